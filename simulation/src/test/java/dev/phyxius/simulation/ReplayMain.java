package dev.phyxius.simulation;

import java.time.Duration;

/**
 * Runs one seed of a scenario of the tests and prints its log, one line per entry: what
 * {@link CrossJvmReplayTest} compares between two JVMs.
 */
public final class ReplayMain {

    private ReplayMain() {}

    /** The scenario and options both JVMs run: sends, asks, forks, timers and injected faults. */
    static final SimulationOptions OPTIONS = SimulationOptions.defaults()
            .withName("replay")
            .withFaults(SimulationFaults.none().crashHandlers(0.05).delayTimers(0.5, Duration.ofMillis(40)));

    static final SimulationScenario SCENARIO = sim -> {
        sim.expectFailures(); // injected crashes break asks on purpose
        try {
            SendRaceTest.openAndPost(false).run(sim);
        } catch (AssertionError found) {
            sim.record("the race: " + found.getMessage());
        }
        try {
            PctTest.uploadWhileViewing(8, 8, true).run(sim);
        } catch (RuntimeException broken) {
            sim.record("the board broke: " + broken);
        }
    };

    /**
     * Prints the log of one seed.
     *
     * @param args the seed
     */
    public static void main(String[] args) {
        SimulationResult result = Simulation.run(Long.parseLong(args[0]), OPTIONS, SCENARIO);
        for (String line : result.logLines()) {
            System.out.println(line);
        }
    }
}

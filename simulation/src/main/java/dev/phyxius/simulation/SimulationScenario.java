package dev.phyxius.simulation;

/**
 * The code a simulation runs: it spawns processes through the {@link Simulation} it is given,
 * drives them and checks the outcome. It runs on a simulated thread, so it may block freely
 * ({@code ask(...).join()}, {@code sim.sleep(...)}); the run ends when it returns or throws.
 *
 * <p>A scenario is run once per seed, and once more before the seeds when PCT measures its
 * {@code k} (see {@link SimulationStrategy}): keep the state of a run inside the scenario, and
 * let results it hands out of the run be overwritten by the next one.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface SimulationScenario {

    /**
     * Runs the scenario once.
     *
     * @param sim the running simulation
     * @throws Exception anything; a throw (an {@link AssertionError} included) fails the run
     */
    void run(Simulation sim) throws Exception;
}

package dev.phyxius.simulation;

import java.util.Optional;

/**
 * The outcome of running one scenario over many seeds: how many ran, and the first that did not
 * pass, if any. Immutable.
 *
 * @since 0.1
 */
public final class SimulationExploration {

    private final long firstSeed;
    private final int seedsRun;
    private final SimulationResult firstFailure;

    SimulationExploration(long firstSeed, int seedsRun, SimulationResult firstFailure) {
        this.firstSeed = firstSeed;
        this.seedsRun = seedsRun;
        this.firstFailure = firstFailure;
    }

    /**
     * The first seed tried.
     *
     * @return the seed
     */
    public long firstSeed() {
        return firstSeed;
    }

    /**
     * How many seeds ran, the failing one included.
     *
     * @return at least 1
     */
    public int seedsRun() {
        return seedsRun;
    }

    /**
     * Whether every seed passed.
     *
     * @return {@code true} if no run failed
     */
    public boolean passed() {
        return firstFailure == null;
    }

    /**
     * The first run that did not pass; exploration stopped there.
     *
     * @return the failing run, or empty
     */
    public Optional<SimulationResult> firstFailure() {
        return Optional.ofNullable(firstFailure);
    }

    /**
     * Throws if a seed failed.
     *
     * @throws SimulationFailure whose message is the failing run's report, with the number of
     *                           seeds it took after its first line: {@code Simulation FAILED at
     *                           seed 412 of ...: replay with ...}, then {@code Found after 413
     *                           seeds, from seed 0.}
     */
    public void assertPassed() {
        if (firstFailure != null) {
            String report = firstFailure.report();
            int firstLine = report.indexOf('\n') + 1;
            throw new SimulationFailure(
                    firstFailure,
                    report.substring(0, firstLine) + "Found after " + seedsRun
                            + (seedsRun == 1 ? " seed" : " seeds") + ", from seed " + firstSeed + ".\n"
                            + report.substring(firstLine));
        }
    }

    @Override
    public String toString() {
        return "SimulationExploration[seeds " + firstSeed + ".." + (firstSeed + seedsRun - 1) + ", "
                + (firstFailure == null ? "all passed" : "failed at seed " + firstFailure.seed()) + "]";
    }
}

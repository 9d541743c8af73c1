package dev.phyxius.simulation;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How one simulated run ended: its seed, outcome, failure, event log, virtual time and number of
 * scheduling steps. Immutable.
 *
 * @since 0.1
 */
public final class SimulationResult {

    /** Log entries a report prints before it elides the oldest. */
    private static final int REPORTED_ENTRIES = 400;

    private final long seed;
    private final SimulationOptions options;
    private final long pctSteps;
    private final SimulationOutcome outcome;
    private final String reason;
    private final Throwable failure;
    private final List<SimulationEvent> log;
    private final Duration virtualTime;
    private final long steps;

    SimulationResult(
            long seed,
            SimulationOptions options,
            long pctSteps,
            SimulationOutcome outcome,
            String reason,
            Throwable failure,
            List<SimulationEvent> log,
            Duration virtualTime,
            long steps) {
        this.seed = seed;
        this.options = options;
        this.pctSteps = pctSteps;
        this.outcome = outcome;
        this.reason = reason;
        this.failure = failure;
        this.log = List.copyOf(log);
        this.virtualTime = virtualTime;
        this.steps = steps;
    }

    /**
     * The seed of the run.
     *
     * @return the seed
     */
    public long seed() {
        return seed;
    }

    /**
     * The options of the run.
     *
     * @return the options
     */
    public SimulationOptions options() {
        return options;
    }

    /**
     * The strategy the run was scheduled by, as it ran: a PCT strategy whose {@code k} was
     * measured by a calibration run comes with the measured steps.
     *
     * @return the strategy; {@link #options()} has it as it was asked for
     */
    public SimulationStrategy strategy() {
        SimulationStrategy asked = options.strategy();
        return asked.measuresSteps() && pctSteps > 0 ? SimulationStrategy.pct(asked.depth(), pctSteps) : asked;
    }

    /**
     * How the run ended.
     *
     * @return the outcome
     */
    public SimulationOutcome outcome() {
        return outcome;
    }

    /**
     * Whether the scenario returned normally.
     *
     * @return {@code true} for {@link SimulationOutcome#PASSED}
     */
    public boolean passed() {
        return outcome == SimulationOutcome.PASSED;
    }

    /**
     * Why the run ended, in words: the first failure nobody expected, then the scenario's
     * exception (by its first cause); the cycle of a deadlock, each ask with its message type and
     * call site, or the threads of a stuck run with where each waits; the thread that broke
     * determinism.
     *
     * @return the reason
     */
    public String reason() {
        return reason;
    }

    /**
     * What the scenario threw, if it threw.
     *
     * @return the failure, or empty
     */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /**
     * The whole event log of the run, up to its end or failure.
     *
     * @return an immutable list, in the order things happened
     */
    public List<SimulationEvent> log() {
        return log;
    }

    /**
     * The log as text, one {@link SimulationEvent#toString()} line per entry: what a test
     * compares to show that two runs were the same.
     *
     * @return the log lines
     */
    public List<String> logLines() {
        return log.stream().map(SimulationEvent::toString).toList();
    }

    /**
     * The simulation clock's monotonic time when the run ended.
     *
     * @return the virtual time covered
     */
    public Duration virtualTime() {
        return virtualTime;
    }

    /**
     * How many times the scheduler handed control to a simulated thread.
     *
     * @return the step count
     */
    public long steps() {
        return steps;
    }

    /**
     * One line that says how to replay this run: the seed, the scenario's name, the strategy (PCT
     * with its measured {@code k}) and the faults, then the call that replays it with the same
     * options.
     *
     * @return for example {@code seed 42 of 'BankTest#x' (strategy: pct(3), k = 180; faults: none):
     *     replay with Simulation.run(42L, options, scenario) or @SimulationTest(seed = 42)}
     */
    public String reproduction() {
        SimulationStrategy asked = options.strategy();
        String strategy = asked + (asked.measuresSteps() && pctSteps > 0 ? ", k = " + pctSteps : "");
        return "seed " + seed + " of '" + options.name() + "' (strategy: " + strategy + "; faults: " + options.faults()
                + "): replay with Simulation.run(" + seed + "L, options, scenario) or @SimulationTest(seed = " + seed
                + ")";
    }

    /**
     * A full report: outcome and reason, the reproduction line, and the log up to the end (its
     * last 400 entries if longer).
     *
     * @return multi-line text for a failure message
     */
    public String report() {
        StringBuilder out = new StringBuilder();
        out.append("Simulation ")
                .append(outcome)
                .append(" at ")
                .append(reproduction())
                .append('\n');
        out.append(reason).append('\n');
        out.append("Event log (")
                .append(log.size())
                .append(" entries, ")
                .append(steps)
                .append(" steps, ")
                .append(SimulationEvent.format(virtualTime))
                .append(" of virtual time):\n");
        int from = Math.max(0, log.size() - REPORTED_ENTRIES);
        if (from > 0) {
            out.append("  ... ").append(from).append(" earlier entries; SimulationResult.log() has them all\n");
        }
        for (SimulationEvent event : log.subList(from, log.size())) {
            out.append("  ").append(event).append('\n');
        }
        return out.toString();
    }

    /**
     * Throws unless the run passed.
     *
     * @throws SimulationFailure with {@link #report()} as its message and the scenario's failure
     *                           as its cause
     */
    public void assertPassed() {
        if (!passed()) {
            throw new SimulationFailure(this, report());
        }
    }

    /**
     * Summarises the run: seed, outcome, entries, steps and virtual time.
     *
     * @return a one-line summary
     */
    @Override
    public String toString() {
        return "SimulationResult[seed=" + seed + ", " + outcome + ", " + log.size() + " entries, " + steps + " steps, "
                + SimulationEvent.format(virtualTime) + "]";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SimulationResult that
                && seed == that.seed
                && outcome == that.outcome
                && log.equals(that.log)
                && options.equals(that.options);
    }

    @Override
    public int hashCode() {
        return Objects.hash(seed, outcome, log);
    }
}

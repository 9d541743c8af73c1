package dev.phyxius.simulation;

/**
 * How one simulated run ended.
 *
 * @since 0.1
 */
public enum SimulationOutcome {
    /** The scenario returned normally. */
    PASSED,
    /**
     * The scenario threw (an assertion failed or the code under test broke), or something failed
     * that the scenario did not expect: a process, an {@code onStop}, a clock task, a forked task
     * nobody joined.
     */
    FAILED,
    /**
     * Threads wait for each other in a cycle of asks, joins of a process's stop or termination,
     * or joins of forked tasks, which only a timeout could end; or nothing could run and no timer was pending while the scenario was
     * still waiting: every live thread of the simulation was blocked on another, or on something
     * outside it.
     */
    DEADLOCK,
    /**
     * Something outside the simulation's control took part: a simulated thread was woken by a
     * foreign thread (real I/O, {@code Thread.sleep}, a timed wait, another executor), or did not
     * hand control back within the blocking bound (a pinned or foreign block, a busy loop), or
     * waited for time by reading the clock in a loop.
     * Replaying the seed is not guaranteed to repeat such a run.
     */
    NONDETERMINISM,
    /** The run took more scheduling steps than allowed: likely a livelock. */
    STEP_LIMIT,
    /** Virtual time would pass the limit: the scenario waits for something that never happens. */
    TIME_LIMIT
}

package dev.phyxius.simulation;

import java.time.Duration;
import java.util.Objects;

/**
 * How simulations run: the scheduling strategy, the faults to inject, the scenario's name for
 * reproduction lines, what the log shows of messages, and the bounds that turn a hang into a
 * report. Immutable and reusable; every {@code with...} method returns a new instance.
 *
 * @since 0.1
 */
public final class SimulationOptions {

    /** Real time a simulated thread may keep control, or the run may wait for a foreign wake-up. */
    public static final Duration DEFAULT_BLOCKING_BOUND = Duration.ofSeconds(2);
    /** Scheduling steps one run may take. */
    public static final long DEFAULT_MAX_STEPS = 1_000_000;
    /** Virtual time one run may cover. */
    public static final Duration DEFAULT_TIME_LIMIT = Duration.ofHours(1);

    /** What the log shows of a message (or a reply's value). */
    public enum MessageDetail {
        /**
         * A short rendering: a record component by component, another type by its own
         * {@code toString} (by its type name if it has none), bounded to 120 characters, with
         * identity hashes and other run-to-run noise replaced.
         */
        CONTENTS,
        /** The type only, for messages that carry data the log must not hold. */
        TYPES
    }

    private static final SimulationOptions DEFAULTS = new SimulationOptions(
            "scenario",
            SimulationStrategy.defaults(),
            SimulationFaults.none(),
            MessageDetail.CONTENTS,
            DEFAULT_BLOCKING_BOUND,
            DEFAULT_MAX_STEPS,
            DEFAULT_TIME_LIMIT);

    private final String name;
    private final SimulationStrategy strategy;
    private final SimulationFaults faults;
    private final MessageDetail messageDetail;
    private final Duration blockingBound;
    private final long maxSteps;
    private final Duration timeLimit;

    private SimulationOptions(
            String name,
            SimulationStrategy strategy,
            SimulationFaults faults,
            MessageDetail messageDetail,
            Duration blockingBound,
            long maxSteps,
            Duration timeLimit) {
        this.name = name;
        this.strategy = strategy;
        this.faults = faults;
        this.messageDetail = messageDetail;
        this.blockingBound = blockingBound;
        this.maxSteps = maxSteps;
        this.timeLimit = timeLimit;
    }

    /**
     * Options named {@code scenario}: the {@linkplain SimulationStrategy#defaults() PCT strategy
     * of depth 3}, no faults, message contents in the log, a 2 s blocking bound, a million steps
     * and an hour of virtual time.
     *
     * @return the defaults
     */
    public static SimulationOptions defaults() {
        return DEFAULTS;
    }

    /**
     * These options with a scenario name, shown in the reproduction line of a failing run.
     *
     * @param name for example {@code BankTest#transfersNeverOverdraw}
     * @return new options
     * @throws NullPointerException     if {@code name} is {@code null}
     * @throws IllegalArgumentException if it is blank
     */
    public SimulationOptions withName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        return new SimulationOptions(name, strategy, faults, messageDetail, blockingBound, maxSteps, timeLimit);
    }

    /**
     * These options with a scheduling strategy.
     *
     * @param strategy {@link SimulationStrategy#pct(int)} or {@link SimulationStrategy#random()}
     * @return new options
     * @throws NullPointerException if {@code strategy} is {@code null}
     */
    public SimulationOptions withStrategy(SimulationStrategy strategy) {
        Objects.requireNonNull(strategy, "strategy");
        return new SimulationOptions(name, strategy, faults, messageDetail, blockingBound, maxSteps, timeLimit);
    }

    /**
     * These options with faults to inject.
     *
     * @param faults the faults; {@link SimulationFaults#none()} for none
     * @return new options
     * @throws NullPointerException if {@code faults} is {@code null}
     */
    public SimulationOptions withFaults(SimulationFaults faults) {
        Objects.requireNonNull(faults, "faults");
        return new SimulationOptions(name, strategy, faults, messageDetail, blockingBound, maxSteps, timeLimit);
    }

    /**
     * These options with what the log shows of messages and reply values.
     *
     * @param detail {@link MessageDetail#CONTENTS} (the default) or {@link MessageDetail#TYPES}
     * @return new options
     * @throws NullPointerException if {@code detail} is {@code null}
     */
    public SimulationOptions withMessageDetail(MessageDetail detail) {
        Objects.requireNonNull(detail, "detail");
        return new SimulationOptions(name, strategy, faults, detail, blockingBound, maxSteps, timeLimit);
    }

    /**
     * These options with a blocking bound: the real time a simulated thread may run without
     * handing control back, and the real time a run with nothing to do waits for a foreign
     * wake-up before it reports a deadlock. Past it the run ends as
     * {@link SimulationOutcome#NONDETERMINISM} or {@link SimulationOutcome#DEADLOCK}.
     *
     * @param bound positive real time
     * @return new options
     * @throws NullPointerException     if {@code bound} is {@code null}
     * @throws IllegalArgumentException if it is not positive
     */
    public SimulationOptions withBlockingBound(Duration bound) {
        Objects.requireNonNull(bound, "bound");
        if (bound.isNegative() || bound.isZero()) {
            throw new IllegalArgumentException("bound must be positive, was " + bound);
        }
        return new SimulationOptions(name, strategy, faults, messageDetail, bound, maxSteps, timeLimit);
    }

    /**
     * These options with a step limit: how many times the scheduler may hand control to a
     * simulated thread in one run. Past it the run ends as {@link SimulationOutcome#STEP_LIMIT}.
     *
     * @param maxSteps at least 1
     * @return new options
     * @throws IllegalArgumentException if {@code maxSteps} is below 1
     */
    public SimulationOptions withMaxSteps(long maxSteps) {
        if (maxSteps < 1) {
            throw new IllegalArgumentException("maxSteps must be >= 1, was " + maxSteps);
        }
        return new SimulationOptions(name, strategy, faults, messageDetail, blockingBound, maxSteps, timeLimit);
    }

    /**
     * These options with a virtual time limit. A run whose next timer falls after it ends as
     * {@link SimulationOutcome#TIME_LIMIT}.
     *
     * @param timeLimit positive virtual time
     * @return new options
     * @throws NullPointerException     if {@code timeLimit} is {@code null}
     * @throws IllegalArgumentException if it is not positive
     */
    public SimulationOptions withTimeLimit(Duration timeLimit) {
        Objects.requireNonNull(timeLimit, "timeLimit");
        if (timeLimit.isNegative() || timeLimit.isZero()) {
            throw new IllegalArgumentException("timeLimit must be positive, was " + timeLimit);
        }
        return new SimulationOptions(name, strategy, faults, messageDetail, blockingBound, maxSteps, timeLimit);
    }

    /**
     * The scenario name.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The scheduling strategy.
     *
     * @return the strategy
     */
    public SimulationStrategy strategy() {
        return strategy;
    }

    /**
     * The faults to inject.
     *
     * @return the faults
     */
    public SimulationFaults faults() {
        return faults;
    }

    /**
     * What the log shows of messages.
     *
     * @return the detail
     */
    public MessageDetail messageDetail() {
        return messageDetail;
    }

    /**
     * The blocking bound, in real time.
     *
     * @return the bound
     */
    public Duration blockingBound() {
        return blockingBound;
    }

    /**
     * The step limit.
     *
     * @return the most scheduling steps of one run
     */
    public long maxSteps() {
        return maxSteps;
    }

    /**
     * The virtual time limit.
     *
     * @return the limit
     */
    public Duration timeLimit() {
        return timeLimit;
    }

    @Override
    public String toString() {
        return "SimulationOptions[name=" + name + ", strategy=" + strategy + ", faults=" + faults + ", messages="
                + messageDetail + ", blockingBound=" + blockingBound + ", maxSteps=" + maxSteps + ", timeLimit="
                + timeLimit + "]";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SimulationOptions that
                && name.equals(that.name)
                && strategy.equals(that.strategy)
                && faults.equals(that.faults)
                && messageDetail == that.messageDetail
                && blockingBound.equals(that.blockingBound)
                && maxSteps == that.maxSteps
                && timeLimit.equals(that.timeLimit);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, strategy, faults, messageDetail, blockingBound, maxSteps, timeLimit);
    }
}

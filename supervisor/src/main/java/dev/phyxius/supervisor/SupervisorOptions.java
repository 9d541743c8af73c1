package dev.phyxius.supervisor;

import dev.phyxius.clock.Clock;
import dev.phyxius.clock.EventSink;
import dev.phyxius.process.ProcessId;
import dev.phyxius.process.ProcessInstrumentation;
import dev.phyxius.process.SpawnOptions;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;

/**
 * How to build a {@link Supervisor}: its clock, event sink, strategy and id. Immutable and
 * reusable; every {@code with...} returns a new instance.
 *
 * @since 0.1
 */
public final class SupervisorOptions {

    private final Clock clock;
    private final EventSink events;
    private final SupervisionStrategy strategy;
    private final ProcessId id;
    private final ProcessInstrumentation instrumentation;
    private final ThreadFactory threadFactory;

    private SupervisorOptions(
            Clock clock,
            EventSink events,
            SupervisionStrategy strategy,
            ProcessId id,
            ProcessInstrumentation instrumentation,
            ThreadFactory threadFactory) {
        this.clock = clock;
        this.events = events;
        this.strategy = strategy;
        this.id = id;
        this.instrumentation = instrumentation;
        this.threadFactory = threadFactory;
    }

    /**
     * Options with {@code clock}, no event sink, {@link SupervisionStrategy#oneForOne()} (3
     * restarts in 5 s, no backoff) and a random id per supervisor.
     *
     * @param clock the clock for backoff timers, intensity windows, shutdown timeouts and event
     *     timestamps; also the clock of every child the supervisor spawns
     * @return the options
     * @throws NullPointerException if {@code clock} is {@code null}
     */
    public static SupervisorOptions of(Clock clock) {
        return new SupervisorOptions(
                Objects.requireNonNull(clock, "clock"), null, SupervisionStrategy.oneForOne(), null, null, null);
    }

    /**
     * These options with an event sink for every {@link SupervisorEvent}; the supervisor also
     * gives it to the children it spawns, so one sink sees process and supervisor events.
     *
     * @param events the sink; called on the thread where each event happens
     * @return new options
     * @throws NullPointerException if {@code events} is {@code null}
     */
    public SupervisorOptions withEvents(EventSink events) {
        return new SupervisorOptions(
                clock, Objects.requireNonNull(events, "events"), strategy, id, instrumentation, threadFactory);
    }

    /**
     * These options with another strategy.
     *
     * @param strategy the strategy
     * @return new options
     * @throws NullPointerException if {@code strategy} is {@code null}
     */
    public SupervisorOptions withStrategy(SupervisionStrategy strategy) {
        return new SupervisorOptions(
                clock, events, Objects.requireNonNull(strategy, "strategy"), id, instrumentation, threadFactory);
    }

    /**
     * These options with a fixed id. Reusing them gives every supervisor that id.
     *
     * @param id the id
     * @return new options
     * @throws NullPointerException if {@code id} is {@code null}
     */
    public SupervisorOptions withId(ProcessId id) {
        return new SupervisorOptions(
                clock, events, strategy, Objects.requireNonNull(id, "id"), instrumentation, threadFactory);
    }

    /**
     * These options with an instrumentation hook that the supervisor gives to every child it
     * spawns (tracing, timing); see {@link SpawnOptions#withInstrumentation}.
     *
     * @param instrumentation the hook
     * @return new options
     * @throws NullPointerException if {@code instrumentation} is {@code null}
     */
    public SupervisorOptions withInstrumentation(ProcessInstrumentation instrumentation) {
        return new SupervisorOptions(
                clock, events, strategy, id, Objects.requireNonNull(instrumentation, "instrumentation"), threadFactory);
    }

    /**
     * These options with a factory for the threads that run the handlers of every child the
     * supervisor spawns; see {@link SpawnOptions#withThreadFactory}.
     *
     * @param threadFactory makes the threads that drain the children's mailboxes
     * @return new options
     * @throws NullPointerException if {@code threadFactory} is {@code null}
     */
    public SupervisorOptions withThreadFactory(ThreadFactory threadFactory) {
        return new SupervisorOptions(
                clock, events, strategy, id, instrumentation, Objects.requireNonNull(threadFactory, "threadFactory"));
    }

    /**
     * The instrumentation hook for spawned children, if one was given.
     *
     * @return the hook, or empty
     */
    public Optional<ProcessInstrumentation> instrumentation() {
        return Optional.ofNullable(instrumentation);
    }

    /**
     * The thread factory for spawned children, if one was given.
     *
     * @return the factory, or empty
     */
    public Optional<ThreadFactory> threadFactory() {
        return Optional.ofNullable(threadFactory);
    }

    /**
     * The clock.
     *
     * @return the clock
     */
    public Clock clock() {
        return clock;
    }

    /**
     * The event sink, if one was given.
     *
     * @return the sink, or empty
     */
    public Optional<EventSink> events() {
        return Optional.ofNullable(events);
    }

    /**
     * The strategy.
     *
     * @return the strategy
     */
    public SupervisionStrategy strategy() {
        return strategy;
    }

    /**
     * The fixed id, if one was given; otherwise every supervisor gets a random one.
     *
     * @return the id, or empty
     */
    public Optional<ProcessId> id() {
        return Optional.ofNullable(id);
    }

    @Override
    public String toString() {
        return "SupervisorOptions[clock=" + clock + ", id=" + id + ", events=" + (events != null) + ", strategy="
                + strategy + "]";
    }
}

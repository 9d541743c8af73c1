package dev.phyxius.process;

import dev.phyxius.clock.Clock;
import dev.phyxius.clock.EventSink;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;

/**
 * How to spawn a process: its clock, context, event sink, id, instrumentation and shutdown
 * timeout. Immutable and reusable across spawns; every {@code with...} returns a new instance.
 *
 * @param <C> the type of the context handed to {@code init} and {@code onStop}
 * @since 0.1
 */
public final class SpawnOptions<C> {

    /** The shutdown timeout when none is given. */
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);

    /** The values of one instance; a fresh copy for each {@code with...}, never changed after. */
    private static final class Values {
        Clock clock;
        Object context;
        EventSink events;
        ProcessId id;
        ProcessInstrumentation instrumentation;
        Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
        ThreadFactory threadFactory;
        /** Zero while not chosen: every message is timed. */
        int timingSample;

        Values copy() {
            Values copy = new Values();
            copy.clock = clock;
            copy.context = context;
            copy.events = events;
            copy.id = id;
            copy.instrumentation = instrumentation;
            copy.shutdownTimeout = shutdownTimeout;
            copy.threadFactory = threadFactory;
            copy.timingSample = timingSample;
            return copy;
        }
    }

    private final Values values;

    private SpawnOptions(Values values) {
        this.values = values;
    }

    /** The one copy path: these options' values, changed by {@code change}, in new options. */
    private <C2> SpawnOptions<C2> with(Consumer<Values> change) {
        Values next = values.copy();
        change.accept(next);
        return new SpawnOptions<>(next);
    }

    /**
     * Options with {@code clock}, no context, no event sink, a random id per spawn, and a 5 s
     * shutdown timeout.
     *
     * @param clock the clock for timers, ask timeouts and event timestamps
     * @return the options
     * @throws NullPointerException if {@code clock} is {@code null}
     */
    public static SpawnOptions<Void> of(Clock clock) {
        Values values = new Values();
        values.clock = Objects.requireNonNull(clock, "clock");
        return new SpawnOptions<>(values);
    }

    /**
     * These options with a context for {@code init} and {@code onStop}.
     *
     * @param ctx  the context
     * @param <C2> its type
     * @return new options
     * @throws NullPointerException if {@code ctx} is {@code null}
     */
    public <C2> SpawnOptions<C2> withContext(C2 ctx) {
        Objects.requireNonNull(ctx, "ctx");
        return with(v -> v.context = ctx);
    }

    /**
     * These options with an event sink for every {@link ProcessEvent}.
     *
     * @param events the sink; called on the thread where each event happens
     * @return new options
     * @throws NullPointerException if {@code events} is {@code null}
     */
    public SpawnOptions<C> withEvents(EventSink events) {
        Objects.requireNonNull(events, "events");
        return with(v -> v.events = events);
    }

    /**
     * These options with a fixed id. Reusing options with an id gives every spawn that id.
     *
     * @param id the id
     * @return new options
     * @throws NullPointerException if {@code id} is {@code null}
     */
    public SpawnOptions<C> withId(ProcessId id) {
        Objects.requireNonNull(id, "id");
        return with(v -> v.id = id);
    }

    /**
     * These options with an instrumentation hook around message handling.
     *
     * @param instrumentation the hook
     * @return new options
     * @throws NullPointerException if {@code instrumentation} is {@code null}
     */
    public SpawnOptions<C> withInstrumentation(ProcessInstrumentation instrumentation) {
        Objects.requireNonNull(instrumentation, "instrumentation");
        return with(v -> v.instrumentation = instrumentation);
    }

    /**
     * These options with a shutdown timeout: how long {@code stop} waits for the message in
     * progress before interrupting the handler.
     *
     * @param shutdownTimeout positive
     * @return new options
     * @throws NullPointerException     if {@code shutdownTimeout} is {@code null}
     * @throws IllegalArgumentException if it is zero or negative
     */
    public SpawnOptions<C> withShutdownTimeout(Duration shutdownTimeout) {
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        if (shutdownTimeout.isZero() || shutdownTimeout.isNegative()) {
            throw new IllegalArgumentException("shutdownTimeout must be positive, was " + shutdownTimeout);
        }
        return with(v -> v.shutdownTimeout = shutdownTimeout);
    }

    /**
     * These options with a factory for the threads that run the process's handlers. By default
     * each activation of a process runs on a new virtual thread; a factory lets a test harness or
     * a simulation decide where handlers run. The factory must return unstarted threads, and
     * handlers may block on them, so virtual threads are strongly advised.
     *
     * <p><b>Experimental.</b> A seam for the simulation and test harnesses: with a factory the
     * process does not use the hand-off slot and does not yield its thread by time slice, since
     * the threads' owner schedules them. What a factory may rely on can change in a minor release.
     *
     * @param threadFactory makes the threads that drain the mailbox
     * @return new options
     * @throws NullPointerException if {@code threadFactory} is {@code null}
     */
    public SpawnOptions<C> withThreadFactory(ThreadFactory threadFactory) {
        Objects.requireNonNull(threadFactory, "threadFactory");
        return with(v -> v.threadFactory = threadFactory);
    }

    /**
     * These options timing one message in {@code oneIn}, chosen at random as it is sent, instead of
     * every message. With an event sink or an instrumentation a timed message costs the process
     * two or three clock readings and a {@link ProcessEvent.MessageHandled}; at the rates where
     * that matters (millions of messages per second) a sample measures the same distribution for
     * a fraction of the cost.
     *
     * <p>What changes with a sample: {@code MessageHandled} is emitted for the timed messages only,
     * and an instrumentation sees {@code -1} as the wait and the handling time of the others (its
     * {@code beforeHandle} and {@code afterHandle} still run for every message, unless it answers
     * {@code false} to {@link ProcessInstrumentation#hooksEveryMessage}). What does not:
     * every message is still counted in {@link ProcessRef#handledCount()}, and every drop, refusal
     * and failure is still reported. {@code 1} times every message, which is what the options do
     * when none is chosen.
     *
     * @param oneIn how many messages per timed one, on average; 1 or more
     * @return new options
     * @throws IllegalArgumentException if {@code oneIn} is less than 1
     */
    public SpawnOptions<C> withTimingSample(int oneIn) {
        if (oneIn < 1) {
            throw new IllegalArgumentException("oneIn must be >= 1, was " + oneIn);
        }
        return with(v -> v.timingSample = oneIn);
    }

    /**
     * The timing sample, if one was chosen with {@link #withTimingSample}; otherwise every message
     * is timed.
     *
     * @return one timed message in how many, or empty
     */
    public OptionalInt timingSample() {
        return values.timingSample == 0 ? OptionalInt.empty() : OptionalInt.of(values.timingSample);
    }

    /**
     * The thread factory, if one was given; otherwise handlers run on new virtual threads.
     *
     * @return the factory, or empty
     */
    public Optional<ThreadFactory> threadFactory() {
        return Optional.ofNullable(values.threadFactory);
    }

    /**
     * The clock.
     *
     * @return the clock
     */
    public Clock clock() {
        return values.clock;
    }

    /**
     * The context, if one was given.
     *
     * @return the context, or empty
     */
    @SuppressWarnings("unchecked") // set only by withContext, which types the options by it
    public Optional<C> context() {
        return Optional.ofNullable((C) values.context);
    }

    /**
     * The event sink, if one was given.
     *
     * @return the sink, or empty
     */
    public Optional<EventSink> events() {
        return Optional.ofNullable(values.events);
    }

    /**
     * The fixed id, if one was given; otherwise every spawn gets a random one.
     *
     * @return the id, or empty
     */
    public Optional<ProcessId> id() {
        return Optional.ofNullable(values.id);
    }

    /**
     * The instrumentation hook, if one was given.
     *
     * @return the hook, or empty
     */
    public Optional<ProcessInstrumentation> instrumentation() {
        return Optional.ofNullable(values.instrumentation);
    }

    /**
     * The shutdown timeout.
     *
     * @return the timeout
     */
    public Duration shutdownTimeout() {
        return values.shutdownTimeout;
    }

    @Override
    public String toString() {
        return "SpawnOptions[clock=" + values.clock + ", id=" + values.id + ", events=" + (values.events != null)
                + ", shutdownTimeout=" + values.shutdownTimeout
                + (values.timingSample == 0 ? "" : ", timingSample=" + values.timingSample) + "]";
    }
}

package dev.phyxius.process;

import dev.phyxius.clock.Clock;
import dev.phyxius.clock.EventSink;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;

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

    private final Clock clock;
    private final C context;
    private final EventSink events;
    private final ProcessId id;
    private final ProcessInstrumentation instrumentation;
    private final Duration shutdownTimeout;
    private final ThreadFactory threadFactory;

    private SpawnOptions(Clock clock, C context, EventSink events, ProcessId id,
                         ProcessInstrumentation instrumentation, Duration shutdownTimeout,
                         ThreadFactory threadFactory) {
        this.clock = clock;
        this.context = context;
        this.events = events;
        this.id = id;
        this.instrumentation = instrumentation;
        this.shutdownTimeout = shutdownTimeout;
        this.threadFactory = threadFactory;
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
        return new SpawnOptions<>(Objects.requireNonNull(clock, "clock"), null, null, null, null,
                DEFAULT_SHUTDOWN_TIMEOUT, null);
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
        return new SpawnOptions<>(clock, Objects.requireNonNull(ctx, "ctx"), events, id, instrumentation,
                shutdownTimeout, threadFactory);
    }

    /**
     * These options with an event sink for every {@link ProcessEvent}.
     *
     * @param events the sink; called on the thread where each event happens
     * @return new options
     * @throws NullPointerException if {@code events} is {@code null}
     */
    public SpawnOptions<C> withEvents(EventSink events) {
        return new SpawnOptions<>(clock, context, Objects.requireNonNull(events, "events"), id, instrumentation,
                shutdownTimeout, threadFactory);
    }

    /**
     * These options with a fixed id. Reusing options with an id gives every spawn that id.
     *
     * @param id the id
     * @return new options
     * @throws NullPointerException if {@code id} is {@code null}
     */
    public SpawnOptions<C> withId(ProcessId id) {
        return new SpawnOptions<>(clock, context, events, Objects.requireNonNull(id, "id"), instrumentation,
                shutdownTimeout, threadFactory);
    }

    /**
     * These options with an instrumentation hook around message handling.
     *
     * @param instrumentation the hook
     * @return new options
     * @throws NullPointerException if {@code instrumentation} is {@code null}
     */
    public SpawnOptions<C> withInstrumentation(ProcessInstrumentation instrumentation) {
        return new SpawnOptions<>(clock, context, events, id,
                Objects.requireNonNull(instrumentation, "instrumentation"), shutdownTimeout, threadFactory);
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
        return new SpawnOptions<>(clock, context, events, id, instrumentation, shutdownTimeout, threadFactory);
    }

    /**
     * These options with a factory for the threads that run the process's handlers. By default
     * each activation of a process runs on a new virtual thread; a factory lets a test harness or
     * a simulation decide where handlers run. The factory must return unstarted threads, and
     * handlers may block on them, so virtual threads are strongly advised.
     *
     * @param threadFactory makes the threads that drain the mailbox
     * @return new options
     * @throws NullPointerException if {@code threadFactory} is {@code null}
     */
    public SpawnOptions<C> withThreadFactory(ThreadFactory threadFactory) {
        Objects.requireNonNull(threadFactory, "threadFactory");
        return new SpawnOptions<>(clock, context, events, id, instrumentation, shutdownTimeout, threadFactory);
    }

    /**
     * The thread factory, if one was given; otherwise handlers run on new virtual threads.
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
     * The context, if one was given.
     *
     * @return the context, or empty
     */
    public Optional<C> context() {
        return Optional.ofNullable(context);
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
     * The fixed id, if one was given; otherwise every spawn gets a random one.
     *
     * @return the id, or empty
     */
    public Optional<ProcessId> id() {
        return Optional.ofNullable(id);
    }

    /**
     * The instrumentation hook, if one was given.
     *
     * @return the hook, or empty
     */
    public Optional<ProcessInstrumentation> instrumentation() {
        return Optional.ofNullable(instrumentation);
    }

    /**
     * The shutdown timeout.
     *
     * @return the timeout
     */
    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    @Override
    public String toString() {
        return "SpawnOptions[clock=" + clock + ", id=" + id + ", events=" + (events != null)
                + ", shutdownTimeout=" + shutdownTimeout + "]";
    }
}

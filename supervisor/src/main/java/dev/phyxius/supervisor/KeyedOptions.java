package dev.phyxius.supervisor;

import dev.phyxius.clock.Clock;
import dev.phyxius.clock.EventSink;
import dev.phyxius.process.ProcessInstrumentation;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import java.util.function.Function;

/**
 * How to build a keyed group ({@link KeyedProcesses}): its clock, when idle keys are passivated,
 * how many keys may be live at once, how their processes are supervised, and where events go.
 * Immutable and reusable; every {@code with...} returns a new instance, validated at once.
 *
 * @param <K> the keys its {@link KeyOwnership} decides about; {@code Object} until one is given
 * @since 0.1
 */
public final class KeyedOptions<K> {

    /** The idle timeout when none is given (Pekko Cluster Sharding's default, too). */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(2);

    private final Clock clock;
    /** Null: idle keys are never passivated. */
    private final Duration idleTimeout;

    private final int maxLiveKeys;
    private final SupervisionStrategy strategy;
    /** Null: the strategy's window. */
    private final Duration quarantine;

    private final EventSink events;
    private final Duration shutdownTimeout;
    private final ThreadFactory threadFactory;
    private final ProcessInstrumentation instrumentation;
    private final Function<SupervisionStrategy, Supervisor> supervisors;
    private final KeyOwnership<K> ownership;

    private KeyedOptions(
            Clock clock,
            Duration idleTimeout,
            int maxLiveKeys,
            SupervisionStrategy strategy,
            Duration quarantine,
            EventSink events,
            Duration shutdownTimeout,
            ThreadFactory threadFactory,
            ProcessInstrumentation instrumentation,
            Function<SupervisionStrategy, Supervisor> supervisors,
            KeyOwnership<K> ownership) {
        this.clock = clock;
        this.idleTimeout = idleTimeout;
        this.maxLiveKeys = maxLiveKeys;
        this.strategy = strategy;
        this.quarantine = quarantine;
        this.events = events;
        this.shutdownTimeout = shutdownTimeout;
        this.threadFactory = threadFactory;
        this.instrumentation = instrumentation;
        this.supervisors = supervisors;
        this.ownership = ownership;
    }

    /**
     * Options with {@code clock}: keys idle for {@link #DEFAULT_IDLE_TIMEOUT} are passivated, any
     * number of keys may be live, each key's process is supervised one for one with the default
     * intensity (3 restarts in 5 s, no backoff) and quarantined for that window once given up on,
     * a 5 s shutdown timeout, no event sink, and every key owned here.
     *
     * @param clock the clock for idle timeouts, quarantines, ask timeouts and event timestamps;
     *     also the clock of every key's process and of the supervisors that own them
     * @return the options
     * @throws NullPointerException if {@code clock} is {@code null}
     */
    public static KeyedOptions<Object> of(Clock clock) {
        return new KeyedOptions<>(
                Objects.requireNonNull(clock, "clock"),
                DEFAULT_IDLE_TIMEOUT,
                Integer.MAX_VALUE,
                SupervisionStrategy.oneForOne(),
                null,
                null,
                ChildOptions.DEFAULT_SHUTDOWN_TIMEOUT,
                null,
                null,
                null,
                null);
    }

    /**
     * These options with another idle timeout: a key whose process has handled nothing for this
     * long, on the group's clock, and has nothing queued, is passivated.
     *
     * @param idleTimeout positive
     * @return new options
     * @throws NullPointerException     if {@code idleTimeout} is {@code null}
     * @throws IllegalArgumentException if it is zero or negative
     */
    public KeyedOptions<K> withIdleTimeout(Duration idleTimeout) {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (idleTimeout.isZero() || idleTimeout.isNegative()) {
            throw new IllegalArgumentException("idleTimeout must be positive, was " + idleTimeout);
        }
        return new KeyedOptions<>(
                clock,
                idleTimeout,
                maxLiveKeys,
                strategy,
                quarantine,
                events,
                shutdownTimeout,
                threadFactory,
                instrumentation,
                supervisors,
                ownership);
    }

    /**
     * These options without idle passivation: a key stays live until it is evicted, passivated or
     * released, or the group stops.
     *
     * @return new options
     */
    public KeyedOptions<K> withoutIdleTimeout() {
        return new KeyedOptions<>(
                clock,
                null,
                maxLiveKeys,
                strategy,
                quarantine,
                events,
                shutdownTimeout,
                threadFactory,
                instrumentation,
                supervisors,
                ownership);
    }

    /**
     * These options with a bound on live keys: when one more key comes to life than this, the
     * least recently used live key is passivated ({@link KeyedEvent.Evicted}). Keys that are
     * passivating finish their queued work meanwhile and are not counted.
     *
     * @param maxLiveKeys at least 1
     * @return new options
     * @throws IllegalArgumentException if {@code maxLiveKeys} is below 1
     */
    public KeyedOptions<K> withMaxLiveKeys(int maxLiveKeys) {
        if (maxLiveKeys < 1) {
            throw new IllegalArgumentException("maxLiveKeys must be >= 1, was " + maxLiveKeys);
        }
        return new KeyedOptions<>(
                clock,
                idleTimeout,
                maxLiveKeys,
                strategy,
                quarantine,
                events,
                shutdownTimeout,
                threadFactory,
                instrumentation,
                supervisors,
                ownership);
    }

    /**
     * These options with another supervision strategy for the keys' processes: its intensity and
     * backoff apply to each key on its own. It must be one for one: a key's failure never restarts
     * another key.
     *
     * @param strategy a {@link SupervisionStrategy#oneForOne()} strategy
     * @return new options
     * @throws NullPointerException     if {@code strategy} is {@code null}
     * @throws IllegalArgumentException if it is one-for-all or rest-for-one
     */
    public KeyedOptions<K> withStrategy(SupervisionStrategy strategy) {
        Objects.requireNonNull(strategy, "strategy");
        if (strategy.scope() != SupervisionStrategy.Scope.ONE_FOR_ONE) {
            throw new IllegalArgumentException(
                    "strategy must be one for one (a key's failure must not restart other" + " keys), was " + strategy);
        }
        return new KeyedOptions<>(
                clock,
                idleTimeout,
                maxLiveKeys,
                strategy,
                quarantine,
                events,
                shutdownTimeout,
                threadFactory,
                instrumentation,
                supervisors,
                ownership);
    }

    /**
     * These options with another quarantine: how long a key whose process was given up on (or
     * whose {@code init} failed) refuses messages before its next message may start a fresh life.
     * {@link Duration#ZERO} starts one at the very next message.
     *
     * @param quarantine zero or positive
     * @return new options
     * @throws NullPointerException     if {@code quarantine} is {@code null}
     * @throws IllegalArgumentException if it is negative
     */
    public KeyedOptions<K> withQuarantine(Duration quarantine) {
        Objects.requireNonNull(quarantine, "quarantine");
        if (quarantine.isNegative()) {
            throw new IllegalArgumentException("quarantine must not be negative, was " + quarantine);
        }
        return new KeyedOptions<>(
                clock,
                idleTimeout,
                maxLiveKeys,
                strategy,
                quarantine,
                events,
                shutdownTimeout,
                threadFactory,
                instrumentation,
                supervisors,
                ownership);
    }

    /**
     * These options with an event sink for the group's {@link KeyedEvent}s and for the process and
     * supervisor events of everything it runs, in one stream.
     *
     * @param events the sink; called on the thread where each event happens
     * @return new options
     * @throws NullPointerException if {@code events} is {@code null}
     */
    public KeyedOptions<K> withEvents(EventSink events) {
        return new KeyedOptions<>(
                clock,
                idleTimeout,
                maxLiveKeys,
                strategy,
                quarantine,
                Objects.requireNonNull(events, "events"),
                shutdownTimeout,
                threadFactory,
                instrumentation,
                supervisors,
                ownership);
    }

    /**
     * These options with another shutdown timeout for each key's process: how long a stop or a
     * passivation waits for the message in progress before interrupting it.
     *
     * @param shutdownTimeout positive
     * @return new options
     * @throws NullPointerException     if {@code shutdownTimeout} is {@code null}
     * @throws IllegalArgumentException if it is zero or negative
     */
    public KeyedOptions<K> withShutdownTimeout(Duration shutdownTimeout) {
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        if (shutdownTimeout.isZero() || shutdownTimeout.isNegative()) {
            throw new IllegalArgumentException("shutdownTimeout must be positive, was " + shutdownTimeout);
        }
        return new KeyedOptions<>(
                clock,
                idleTimeout,
                maxLiveKeys,
                strategy,
                quarantine,
                events,
                shutdownTimeout,
                threadFactory,
                instrumentation,
                supervisors,
                ownership);
    }

    /**
     * These options with a factory for every thread the group starts: the activations that run a
     * key's {@code init}, and the drains of its processes (see
     * {@link SupervisorOptions#withThreadFactory}). By default both are new virtual threads.
     *
     * @param threadFactory makes unstarted threads; virtual threads are strongly advised
     * @return new options
     * @throws NullPointerException if {@code threadFactory} is {@code null}
     */
    public KeyedOptions<K> withThreadFactory(ThreadFactory threadFactory) {
        return new KeyedOptions<>(
                clock,
                idleTimeout,
                maxLiveKeys,
                strategy,
                quarantine,
                events,
                shutdownTimeout,
                Objects.requireNonNull(threadFactory, "threadFactory"),
                instrumentation,
                supervisors,
                ownership);
    }

    /**
     * These options with an instrumentation hook for every key's process (tracing, timing); see
     * {@link SupervisorOptions#withInstrumentation}.
     *
     * @param instrumentation the hook
     * @return new options
     * @throws NullPointerException if {@code instrumentation} is {@code null}
     */
    public KeyedOptions<K> withInstrumentation(ProcessInstrumentation instrumentation) {
        return new KeyedOptions<>(
                clock,
                idleTimeout,
                maxLiveKeys,
                strategy,
                quarantine,
                events,
                shutdownTimeout,
                threadFactory,
                Objects.requireNonNull(instrumentation, "instrumentation"),
                supervisors,
                ownership);
    }

    /**
     * These options with a maker of the supervisors that own the keys' processes, each of which
     * owns a bounded share of the live keys. It is given the group's strategy and must return a
     * running supervisor without a parent, on the group's clock, made for this group alone; a
     * test kit's {@code kit::supervisor} fits, so that the kit waits for the keys' processes. The
     * group stops them when it stops. The event sink, instrumentation and thread factory of these
     * options then do not reach the processes; the supervisor's own do.
     *
     * @param supervisors makes one supervisor per call
     * @return new options
     * @throws NullPointerException if {@code supervisors} is {@code null}
     */
    public KeyedOptions<K> withSupervisors(Function<SupervisionStrategy, Supervisor> supervisors) {
        return new KeyedOptions<>(
                clock,
                idleTimeout,
                maxLiveKeys,
                strategy,
                quarantine,
                events,
                shutdownTimeout,
                threadFactory,
                instrumentation,
                Objects.requireNonNull(supervisors, "supervisors"),
                ownership);
    }

    /**
     * These options with an owner that decides which keys this group may run; see
     * {@link KeyOwnership} for when it is asked and how to give keys away.
     *
     * @param ownership the owner
     * @param <K2>      the keys it decides about
     * @return new options, for groups whose keys are {@code K2}s
     * @throws NullPointerException if {@code ownership} is {@code null}
     */
    public <K2> KeyedOptions<K2> withOwnership(KeyOwnership<K2> ownership) {
        return new KeyedOptions<>(
                clock,
                idleTimeout,
                maxLiveKeys,
                strategy,
                quarantine,
                events,
                shutdownTimeout,
                threadFactory,
                instrumentation,
                supervisors,
                Objects.requireNonNull(ownership, "ownership"));
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
     * The idle timeout, unless idle keys are never passivated.
     *
     * @return the timeout, or empty
     */
    public Optional<Duration> idleTimeout() {
        return Optional.ofNullable(idleTimeout);
    }

    /**
     * The bound on live keys.
     *
     * @return the bound; {@link Integer#MAX_VALUE} when unbounded
     */
    public int maxLiveKeys() {
        return maxLiveKeys;
    }

    /**
     * The supervision strategy of the keys' processes.
     *
     * @return the strategy
     */
    public SupervisionStrategy strategy() {
        return strategy;
    }

    /**
     * The quarantine of a key given up on: the one given, or else the strategy's window.
     *
     * @return the quarantine
     */
    public Duration quarantine() {
        return quarantine != null ? quarantine : strategy.within();
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
     * The shutdown timeout of each key's process.
     *
     * @return the timeout
     */
    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    /**
     * The thread factory, if one was given.
     *
     * @return the factory, or empty
     */
    public Optional<ThreadFactory> threadFactory() {
        return Optional.ofNullable(threadFactory);
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
     * The maker of supervisors, if one was given.
     *
     * @return the maker, or empty
     */
    public Optional<Function<SupervisionStrategy, Supervisor>> supervisors() {
        return Optional.ofNullable(supervisors);
    }

    /**
     * The owner of keys, if one was given; otherwise the group owns every key.
     *
     * @return the owner, or empty
     */
    public Optional<KeyOwnership<K>> ownership() {
        return Optional.ofNullable(ownership);
    }

    @Override
    public String toString() {
        return "KeyedOptions[clock=" + clock + ", idleTimeout=" + (idleTimeout == null ? "never" : idleTimeout)
                + ", maxLiveKeys=" + (maxLiveKeys == Integer.MAX_VALUE ? "unbounded" : maxLiveKeys)
                + ", strategy=" + strategy + ", quarantine=" + quarantine() + ", events=" + (events != null)
                + ", ownership=" + (ownership != null) + "]";
    }
}

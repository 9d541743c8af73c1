package dev.phyxius.observability.micrometer;

import dev.phyxius.clock.Event;
import dev.phyxius.clock.EventSink;
import dev.phyxius.clock.Timestamp;
import dev.phyxius.observability.events.ObservabilityEvent;
import dev.phyxius.observability.internal.ChildNames;
import dev.phyxius.observability.internal.MessageTypes;
import dev.phyxius.observability.internal.NameTable;
import dev.phyxius.process.ProcessEvent;
import dev.phyxius.process.ProcessInstrumentation;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.StopReason;
import dev.phyxius.supervisor.KeyedEvent;
import dev.phyxius.supervisor.SupervisorEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Micrometer meters for processes, fed by their events and their lifecycle: give it as the event
 * sink and as the instrumentation of processes and supervisors (what
 * {@code PhyxiusObservability.apply} does), and bind it to a registry.
 *
 * <p>Every meter is tagged with {@code process}, the process's <em>name</em>, and never with its
 * id: a system that spawns a process per session or per request would otherwise create a time
 * series per process, and with it a cardinality explosion in the monitoring backend. Processes that
 * share a name share their meters, so process names should be a bounded set (one per kind of
 * process, not per instance). The names below are part of Phyxius's contract.
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>what</th></tr>
 *   <tr><td>{@code phyxius.process.messages}</td><td>counter</td>
 *       <td>{@code process}, {@code outcome}, {@code reason}</td>
 *       <td>every message sent to a process, once, by what became of it: {@code outcome} is
 *       {@code handled} (the handler returned), {@code failed} (the handler threw),
 *       {@code dropped} (accepted, never handled; {@code reason} {@code evicted}, {@code stopped},
 *       {@code failed} or {@code superseded}) or {@code rejected} (refused; {@code reason}
 *       {@code mailbox_full} or {@code not_accepting}); {@code reason} is {@code none} for
 *       {@code handled} and {@code failed}</td></tr>
 *   <tr><td>{@code phyxius.process.handling}</td><td>timer</td><td>{@code process}</td>
 *       <td>how long handlers ran, for messages handled normally (the timed ones, under a
 *       {@linkplain Builder#timingSample timing sample})</td></tr>
 *   <tr><td>{@code phyxius.process.mailbox.wait}</td><td>timer</td><td>{@code process}</td>
 *       <td>how long messages handled normally waited in the mailbox (the timed ones, under a
 *       timing sample)</td></tr>
 *   <tr><td>{@code phyxius.process.mailbox.size}</td><td>gauge</td><td>{@code process}</td>
 *       <td>messages queued in the mailboxes of the live processes of the name, sampled when the
 *       registry reads it</td></tr>
 *   <tr><td>{@code phyxius.process.live}</td><td>gauge</td><td>{@code process}</td>
 *       <td>processes of the name that have started and not yet ended for good (a supervised
 *       process waiting for its restart counts)</td></tr>
 *   <tr><td>{@code phyxius.process.failures}</td><td>counter</td><td>{@code process}, {@code exception}</td>
 *       <td>handler or {@code init} failures; {@code exception} is the thrown class's simple name</td></tr>
 *   <tr><td>{@code phyxius.process.restarts}</td><td>counter</td><td>{@code process}</td>
 *       <td>restarts that completed ({@code init} returned again)</td></tr>
 *   <tr><td>{@code phyxius.process.giveups}</td><td>counter</td><td>{@code process}</td>
 *       <td>times a supervisor gave up on a process after too many restarts</td></tr>
 * </table>
 *
 * <p>Keyed groups ({@code KeyedProcesses}) whose events reach this sink have meters of their own,
 * tagged {@code group}, the group's name, and never with a key (keys are as many as the users or
 * devices they name):
 * <table>
 *   <caption>Keyed group meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>what</th></tr>
 *   <tr><td>{@code phyxius.keyed.activations}</td><td>counter</td><td>{@code group}, {@code outcome}</td>
 *       <td>keys that came to life ({@code activated}) or whose activation failed ({@code failed})</td></tr>
 *   <tr><td>{@code phyxius.keyed.passivations}</td><td>counter</td><td>{@code group}, {@code cause}</td>
 *       <td>lives that ended passivated: {@code idle}, {@code evicted}, {@code requested} or {@code released}</td></tr>
 *   <tr><td>{@code phyxius.keyed.evictions}</td><td>counter</td><td>{@code group}</td>
 *       <td>live keys chosen to passivate because the group had more than its maximum</td></tr>
 *   <tr><td>{@code phyxius.keyed.giveups}</td><td>counter</td><td>{@code group}</td>
 *       <td>times the supervisor gave up on a key's process (the key is quarantined)</td></tr>
 *   <tr><td>{@code phyxius.keyed.messages}</td><td>counter</td><td>{@code group}, {@code outcome}, {@code reason}</td>
 *       <td>messages the group itself dropped ({@code reason} a {@code KeyedEvent.DropReason}) or
 *       refused ({@code reason} a {@code SendResult}), in lower case; what a key's process handled,
 *       dropped or refused is in {@code phyxius.process.messages}</td></tr>
 *   <tr><td>{@code phyxius.keyed.live}</td><td>gauge</td><td>{@code group}</td>
 *       <td>keys whose process was activated and has not ended</td></tr>
 * </table>
 * Groups share the bound on names ({@link Builder#maxProcessNames}, counted apart from process
 * names; further groups are counted under {@code group=_other}); a group's meters stay registered
 * after it stops, since groups are few and long-lived.
 *
 * <p>With {@link Builder#tagMessageTypes()}, {@code phyxius.process.messages},
 * {@code phyxius.process.handling} and {@code phyxius.process.mailbox.wait} also carry
 * {@code message.type}, the message class's simple name (off by default: one time series more per
 * message type and process name).
 *
 * <h2>Bounded</h2>
 * At most {@link Builder#maxProcessNames} names have meters of their own (1,000 by default); the
 * processes of any further name are counted under {@code process=_other}, and an
 * {@link ObservabilityEvent.ProcessNameLimitReached} goes to the {@linkplain Builder#warnings
 * warnings sink} once per episode. The meters of a name are removed from the registry once no
 * process of that name has been live for {@link Builder#removeAfter} (2 minutes by default,
 * measured on the registry's clock, so that scrapes still see a name's final counts); that is
 * checked whenever a process starts or ends. An event that races with that removal may be counted
 * in a meter that is no longer published.
 *
 * <p>Give one instance both the process events and the supervisor events (a supervisor's sink gets
 * both for the children it spawns): give-ups are counted from the supervisor's, under the child's
 * name. Durations come from the events, so they are measured on each process's own clock. With a
 * {@linkplain Builder#timingSample timing sample} only the timed messages are events, so the
 * handled messages are then counted by the processes themselves ({@code ProcessRef.handledCount()},
 * read when the registry reads it): {@code phyxius.process.messages} with {@code outcome=handled}
 * is then a function counter, exact under the sample, rather than a counter. The two
 * gauges and the removal of meters need the instrumentation ({@code attached}/{@code detached});
 * as an event sink alone it counts but never removes a name. Events that arrive before
 * {@link #bindTo} are not counted. Timers publish no percentiles or histograms unless a
 * {@code MeterFilter} of the registry asks for them.
 *
 * <p>Thread-safe: events arrive on many process threads at once. Its instrumentation part does
 * nothing per message (no capture, no scope).
 *
 * @since 0.1
 */
public final class PhyxiusMetrics implements MeterBinder, EventSink, ProcessInstrumentation {

    /** The default of {@link Builder#maxProcessNames}. */
    public static final int DEFAULT_MAX_PROCESS_NAMES = 1000;

    /** The default of {@link Builder#removeAfter}. */
    public static final Duration DEFAULT_REMOVE_AFTER = Duration.ofMinutes(2);

    static final String MESSAGES = "phyxius.process.messages";
    private static final String MESSAGES_DESCRIPTION =
            "Messages sent to processes with this name, by what became of them";
    static final String HANDLING = "phyxius.process.handling";
    static final String MAILBOX_WAIT = "phyxius.process.mailbox.wait";
    static final String MAILBOX_SIZE = "phyxius.process.mailbox.size";
    static final String LIVE = "phyxius.process.live";
    static final String FAILURES = "phyxius.process.failures";
    static final String RESTARTS = "phyxius.process.restarts";
    static final String GIVEUPS = "phyxius.process.giveups";

    private static final String TAG_PROCESS = "process";
    private static final String TAG_OUTCOME = "outcome";
    private static final String TAG_REASON = "reason";
    private static final String TAG_EXCEPTION = "exception";
    private static final String TAG_MESSAGE_TYPE = "message.type";
    private static final String NONE = "none";
    private static final long ALIVE = Long.MIN_VALUE;

    private final boolean tagMessageTypes;
    private final int timingSample;
    private final long removeAfterNanos;
    private final int maxProcessNames;
    private final EventSink warnings;
    private final NameTable<NameMeters> names;
    private final ChildNames childNames = new ChildNames();
    private final KeyedMeters keyed;
    /** Names with no live process, oldest retirement first; each entry at most once. */
    private final ConcurrentLinkedQueue<NameMeters> retiring = new ConcurrentLinkedQueue<>();

    private final AtomicBoolean sweeping = new AtomicBoolean();
    private volatile MeterRegistry registry;
    /** Set by the first attached(): from then on a name without live processes may be removed. */
    private volatile boolean seesLifecycle;

    private PhyxiusMetrics(Builder builder) {
        this.tagMessageTypes = builder.tagMessageTypes;
        this.timingSample = builder.timingSample;
        this.removeAfterNanos = builder.removeAfter.toNanos();
        this.maxProcessNames = builder.maxProcessNames;
        this.warnings = builder.warnings;
        this.names = new NameTable<>(builder.maxProcessNames, NameMeters::new, this::limitReached);
        this.keyed = new KeyedMeters(builder.maxProcessNames, this::limitReached);
    }

    /**
     * Metrics with the defaults, recording nothing until bound to a registry.
     *
     * @return new metrics
     */
    public static PhyxiusMetrics create() {
        return builder().build();
    }

    /**
     * A builder with the defaults: no {@code message.type} tag, 1,000 names, removal 2 minutes
     * after a name's last process ended, no warnings sink.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Registers the meters in {@code registry} from now on, including the gauges of names whose
     * processes are already live. One registry per instance: to publish to several, bind a
     * {@code CompositeMeterRegistry}.
     *
     * @param registry the registry
     * @throws NullPointerException  if {@code registry} is {@code null}
     * @throws IllegalStateException if already bound to another registry
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        synchronized (this) {
            if (this.registry != null && this.registry != registry) {
                throw new IllegalStateException("PhyxiusMetrics is already bound to a registry; bind a "
                        + "CompositeMeterRegistry to publish to several");
            }
            this.registry = registry;
        }
        for (NameMeters m : names.entries()) {
            m.registerGauges(registry);
        }
    }

    // ---------------------------------------------------------------------------------------
    // Events

    /**
     * Records what {@code event} says; events that no meter is about are ignored.
     *
     * @param event a process, supervisor or keyed event
     */
    @Override
    public void emit(Event event) {
        MeterRegistry r = registry;
        if (event instanceof SupervisorEvent supervisorEvent) {
            // Names are tracked even before binding, so a give-up after it is still named.
            childNames.track(supervisorEvent);
            if (r != null && supervisorEvent instanceof SupervisorEvent.GaveUp e) {
                meters(r, childNames.nameOf(e.child()).orElse("unknown"))
                        .giveups(r)
                        .increment();
            }
            return;
        }
        if (r == null) {
            return;
        }
        if (event instanceof KeyedEvent keyedEvent) {
            keyed.emit(r, keyedEvent);
            return;
        }
        if (!(event instanceof ProcessEvent processEvent)) {
            return;
        }
        // One case per event that a meter is about; a new process event adds a case here.
        switch (processEvent) {
            case ProcessEvent.MessageHandled e -> {
                TypeMeters t = meters(r, e.name()).of(r, e.messageType());
                if (t.handled != null) {
                    t.handled.increment();
                }
                t.handling.record(e.handling());
                t.mailboxWait.record(e.queued());
            }
            case ProcessEvent.MessageDropped e -> {
                TypeMeters t = meters(r, e.name()).of(r, typeOf(e.message()));
                if (e.reason() == ProcessEvent.DropReason.HANDLER_FAILED) {
                    t.failed.increment();
                } else {
                    t.dropped(e.reason()).increment();
                }
            }
            case ProcessEvent.MessageRejected e ->
                meters(r, e.name())
                        .of(r, typeOf(e.message()))
                        .rejected(e.reason())
                        .increment();
            case ProcessEvent.Failed e ->
                meters(r, e.name()).failures(r, e.error().getClass()).increment();
            case ProcessEvent.Restarted e -> meters(r, e.name()).restarts(r).increment();
            case ProcessEvent.Stopped e -> keyed.processEnded(e);
            default -> {}
        }
    }

    private NameMeters meters(MeterRegistry r, String name) {
        NameMeters m = names.get(name);
        if (m.removed) {
            m = names.get(name); // swept a moment ago: a fresh entry, never meters of a removed one
        }
        if (!m.gaugesRegistered) {
            m.registerGauges(r);
            // Made by an event rather than by a start (a send to a process that has ended): it
            // has no live process, so it goes the way of a name whose last process ended.
            if (m.hasNoLiveProcess()) {
                retire(m);
            }
        }
        return m;
    }

    private static Class<?> typeOf(Object message) {
        return message == null ? Object.class : message.getClass();
    }

    private void limitReached(String refused) {
        EventSink sink = warnings;
        if (sink == null) {
            return;
        }
        try {
            sink.emit(new ObservabilityEvent.ProcessNameLimitReached(
                    new Timestamp(System.currentTimeMillis(), System.nanoTime()),
                    "micrometer",
                    refused,
                    maxProcessNames));
        } catch (RuntimeException ignored) {
            // A broken warnings sink must not break the event that brought the name.
        }
    }

    // ---------------------------------------------------------------------------------------
    // Lifecycle (the instrumentation part)

    /**
     * One message in how many the processes time for {@code phyxius.process.handling} and
     * {@code phyxius.process.mailbox.wait} ({@link Builder#timingSample}; every message by
     * default).
     *
     * @return one timed message in how many
     */
    @Override
    public int timingSample() {
        return timingSample;
    }

    /**
     * No message needs a call: the meters come from the events and the processes' counts.
     *
     * @return {@code false}
     */
    @Override
    public boolean hooksEveryMessage() {
        return false;
    }

    /**
     * Nothing travels with a message for metrics.
     *
     * @param target  unused
     * @param message unused
     * @return {@code null}
     */
    @Override
    public Object capture(ProcessRef<?> target, Object message) {
        return null;
    }

    /**
     * Nothing to do before a handler: durations come from the events.
     *
     * @param process     unused
     * @param message     unused
     * @param captured    unused
     * @param queuedNanos unused
     * @return {@code null}
     */
    @Override
    public Object beforeHandle(ProcessRef<?> process, Object message, Object captured, long queuedNanos) {
        return null;
    }

    /**
     * Nothing to do after a handler.
     *
     * @param scope         unused
     * @param error         unused
     * @param handlingNanos unused
     */
    @Override
    public void afterHandle(Object scope, Throwable error, long handlingNanos) {
        // durations and outcomes come from the events
    }

    /**
     * Counts {@code process} in its name's {@code live} and {@code mailbox.size} gauges.
     *
     * @param process the process that started
     */
    @Override
    public void attached(ProcessRef<?> process) {
        seesLifecycle = true;
        NameMeters m = names.attach(process);
        m.retiredAt = ALIVE;
        MeterRegistry r = registry;
        if (r != null && !m.gaugesRegistered) {
            m.registerGauges(r);
        }
        sweep();
    }

    /**
     * Stops counting {@code process}; once its name has no live process left, the name's meters
     * are removed after {@link Builder#removeAfter}.
     *
     * @param process the process that ended
     * @param reason  unused
     */
    @Override
    public void detached(ProcessRef<?> process, StopReason reason) {
        NameMeters m = names.detach(process);
        if (m != null && m.hasNoLiveProcess()) {
            retire(m);
        }
        sweep();
    }

    private void retire(NameMeters m) {
        if (!seesLifecycle) {
            return; // without lifecycle calls no name can be known to be gone
        }
        m.retiredAt = now();
        if (m.queued.compareAndSet(false, true)) {
            retiring.add(m);
        }
    }

    /** Removes the names retired long enough ago; one thread at a time, the others go on. */
    private void sweep() {
        if (retiring.isEmpty() || !sweeping.compareAndSet(false, true)) {
            return;
        }
        try {
            long now = now();
            // Bounded by the queue's length: an entry put back is looked at again next time.
            for (int left = retiring.size(); left > 0; left--) {
                NameMeters m = retiring.peek();
                if (m == null) {
                    break;
                }
                long retiredAt = m.retiredAt;
                if (retiredAt != ALIVE && now - retiredAt < removeAfterNanos) {
                    break; // queued in retirement order, so every later one is younger
                }
                retiring.poll();
                m.queued.set(false);
                if (retiredAt == ALIVE) {
                    continue; // live again; a later retirement queues it anew
                }
                // The meters leave the registry inside the name's lock: a process of the same name
                // starting meanwhile registers its meters only after, never into the old ones.
                boolean removed =
                        names.removeIf(m, e -> e.retiredAt != ALIVE && now - e.retiredAt >= removeAfterNanos, e -> {
                            e.removed = true;
                            e.removeFrom(registry);
                        });
                if (!removed && m.hasNoLiveProcess() && m.queued.compareAndSet(false, true)) {
                    retiring.add(m); // retired again meanwhile, later than we saw: its turn comes
                }
            }
        } finally {
            sweeping.set(false);
        }
    }

    private long now() {
        MeterRegistry r = registry;
        return r != null ? r.config().clock().monotonicTime() : System.nanoTime();
    }

    @Override
    public String toString() {
        return "PhyxiusMetrics[bound=" + (registry != null) + ", names=" + names.size() + "/" + maxProcessNames
                + ", tagMessageTypes=" + tagMessageTypes + "]";
    }

    private static String tagValue(Enum<?> reason) {
        return reason.name().toLowerCase(Locale.ROOT);
    }

    // ---------------------------------------------------------------------------------------
    // Meters

    /** The meters of one process name; what is hit per message is looked up once, not per event. */
    private final class NameMeters extends NameTable.Entry {
        /** The meters without a message type, or the first one made when types are tagged. */
        private volatile TypeMeters untyped;

        private final ConcurrentHashMap<Class<?>, TypeMeters> byType = new ConcurrentHashMap<>();
        private final ConcurrentHashMap<Class<?>, Counter> failures = new ConcurrentHashMap<>();
        private volatile Counter restarts;
        private volatile Counter giveups;
        /** Everything registered for this name, to remove it all at once. */
        private final List<Meter> registered = new CopyOnWriteArrayList<>();

        private volatile boolean gaugesRegistered;
        /** Monotonic time of the end of the name's last live process, or ALIVE. */
        volatile long retiredAt = ALIVE;

        final AtomicBoolean queued = new AtomicBoolean();
        /** Set once the entry left the table; its meters are being removed. */
        volatile boolean removed;

        NameMeters(String name) {
            super(name);
        }

        synchronized void registerGauges(MeterRegistry r) {
            if (gaugesRegistered) {
                return;
            }
            registered.add(Gauge.builder(LIVE, this, NameMeters::liveCount)
                    .description("Processes with this name that have started and not yet ended")
                    .baseUnit("processes")
                    .tag(TAG_PROCESS, name())
                    .strongReference(true)
                    .register(r));
            registered.add(Gauge.builder(MAILBOX_SIZE, this, NameMeters::mailboxTotal)
                    .description("Messages queued in the mailboxes of the live processes with this name")
                    .baseUnit("messages")
                    .tag(TAG_PROCESS, name())
                    .strongReference(true)
                    .register(r));
            gaugesRegistered = true;
        }

        TypeMeters of(MeterRegistry r, Class<?> type) {
            if (!tagMessageTypes) {
                TypeMeters t = untyped;
                return t != null ? t : untyped(r);
            }
            TypeMeters t = byType.get(type);
            return t != null
                    ? t
                    : byType.computeIfAbsent(type, k -> new TypeMeters(r, this, MessageTypes.name(k), false));
        }

        private synchronized TypeMeters untyped(MeterRegistry r) {
            if (untyped == null) {
                // Under a sample, only some messages are events: with the lifecycle seen, every
                // process of the name is known, so count what they handled exactly from them.
                untyped = new TypeMeters(r, this, null, seesLifecycle && timingSample > 1);
            }
            return untyped;
        }

        Counter failures(MeterRegistry r, Class<?> error) {
            Counter c = failures.get(error);
            return c != null
                    ? c
                    : failures.computeIfAbsent(
                            error,
                            k -> add(Counter.builder(FAILURES)
                                    .description("Handler or init failures of processes with this name")
                                    .tags(TAG_PROCESS, name(), TAG_EXCEPTION, MessageTypes.name(k))
                                    .register(r)));
        }

        Counter restarts(MeterRegistry r) {
            Counter c = restarts;
            if (c == null) {
                synchronized (this) {
                    if (restarts == null) {
                        restarts = add(Counter.builder(RESTARTS)
                                .description("Restarts of processes with this name that completed")
                                .tag(TAG_PROCESS, name())
                                .register(r));
                    }
                    c = restarts;
                }
            }
            return c;
        }

        Counter giveups(MeterRegistry r) {
            Counter c = giveups;
            if (c == null) {
                synchronized (this) {
                    if (giveups == null) {
                        giveups = add(Counter.builder(GIVEUPS)
                                .description(
                                        "Times a supervisor gave up on a process with this name after too many restarts")
                                .tag(TAG_PROCESS, name())
                                .register(r));
                    }
                    c = giveups;
                }
            }
            return c;
        }

        <T extends Meter> T add(T meter) {
            registered.add(meter);
            return meter;
        }

        void removeFrom(MeterRegistry r) {
            if (r == null) {
                return;
            }
            for (Meter meter : registered) {
                r.remove(meter);
            }
        }
    }

    /** The per-message meters of one name (and, with the tag, one message type). */
    private static final class TypeMeters {
        /** Null when the processes count what they handle (a function counter reads them). */
        final Counter handled;

        final Counter failed;
        final Timer handling;
        final Timer mailboxWait;
        private final EnumCounters<ProcessEvent.DropReason> dropped =
                new EnumCounters<>(ProcessEvent.DropReason.class, reason -> messages("dropped", tagValue(reason)));
        private final EnumCounters<ProcessEvent.RejectReason> rejected =
                new EnumCounters<>(ProcessEvent.RejectReason.class, reason -> messages("rejected", tagValue(reason)));
        private final MeterRegistry registry;
        private final NameMeters name;
        private final String messageType;

        TypeMeters(MeterRegistry r, NameMeters name, String messageType, boolean countedByProcesses) {
            this.registry = r;
            this.name = name;
            this.messageType = messageType;
            if (countedByProcesses) {
                handled = null;
                name.add(FunctionCounter.builder(MESSAGES, name, NameMeters::handledTotal)
                        .description(MESSAGES_DESCRIPTION)
                        .baseUnit("messages")
                        .tags(TAG_PROCESS, name.name(), TAG_OUTCOME, "handled", TAG_REASON, NONE)
                        .register(r)); // held weakly: the name table holds the entry while it counts
            } else {
                handled = messages("handled", NONE);
            }
            failed = messages("failed", NONE);
            handling = name.add(withType(Timer.builder(HANDLING)
                            .description(
                                    "How long handlers of processes with this name ran, for messages handled normally")
                            .tag(TAG_PROCESS, name.name()))
                    .register(r));
            mailboxWait = name.add(withType(Timer.builder(MAILBOX_WAIT)
                            .description(
                                    "How long messages handled normally waited in the mailbox of processes with this name")
                            .tag(TAG_PROCESS, name.name()))
                    .register(r));
        }

        private Timer.Builder withType(Timer.Builder builder) {
            return messageType == null ? builder : builder.tag(TAG_MESSAGE_TYPE, messageType);
        }

        private Counter messages(String outcome, String reason) {
            Counter.Builder builder = Counter.builder(MESSAGES)
                    .description(MESSAGES_DESCRIPTION)
                    .baseUnit("messages")
                    .tags(TAG_PROCESS, name.name(), TAG_OUTCOME, outcome, TAG_REASON, reason);
            if (messageType != null) {
                builder.tag(TAG_MESSAGE_TYPE, messageType);
            }
            return name.add(builder.register(registry));
        }

        Counter dropped(ProcessEvent.DropReason reason) {
            return dropped.get(reason);
        }

        Counter rejected(ProcessEvent.RejectReason reason) {
            return rejected.get(reason);
        }
    }

    /**
     * Configures a {@link PhyxiusMetrics}. Not thread-safe; every setter validates its argument at
     * once; {@link #build()} may be called more than once.
     *
     * @since 0.1
     */
    public static final class Builder {

        private boolean tagMessageTypes;
        private int timingSample = 1;
        private int maxProcessNames = DEFAULT_MAX_PROCESS_NAMES;
        private Duration removeAfter = DEFAULT_REMOVE_AFTER;
        private EventSink warnings;

        private Builder() {}

        /**
         * Adds the tag {@code message.type} (the message class's simple name) to
         * {@code phyxius.process.messages}, {@code phyxius.process.handling} and
         * {@code phyxius.process.mailbox.wait}: one time series more per message type and name.
         *
         * @return this builder
         */
        public Builder tagMessageTypes() {
            this.tagMessageTypes = true;
            return this;
        }

        /**
         * Times one message in {@code oneIn} for the two timers, instead of every message (the
         * default). The timers then record a random sample of the messages: their distribution,
         * mean and percentiles estimate those of every message, their {@code count} is the sample's,
         * and their {@code max} the sample's largest. {@code phyxius.process.messages} still counts
         * every message (read from the processes, see {@code ProcessRef.handledCount()}). Timing
         * costs a process two or three clock readings per message, which at millions of messages
         * per second is most of what meters cost; see benchmarks/README.md, "Observability
         * overhead".
         *
         * @param oneIn 1 or more
         * @return this builder
         * @throws IllegalArgumentException if {@code oneIn} is less than 1
         * @see dev.phyxius.process.SpawnOptions#withTimingSample
         */
        public Builder timingSample(int oneIn) {
            if (oneIn < 1) {
                throw new IllegalArgumentException("timingSample must be >= 1, was " + oneIn);
            }
            this.timingSample = oneIn;
            return this;
        }

        /**
         * The most process names with meters of their own; further names are counted under
         * {@code process=_other}.
         *
         * @param limit the limit
         * @return this builder
         * @throws IllegalArgumentException if {@code limit} is less than 1
         */
        public Builder maxProcessNames(int limit) {
            if (limit < 1) {
                throw new IllegalArgumentException("maxProcessNames must be >= 1, was " + limit);
            }
            this.maxProcessNames = limit;
            return this;
        }

        /**
         * How long the meters of a name stay registered after its last live process ended.
         *
         * @param linger the time, on the registry's clock; zero removes them at the next start or end
         * @return this builder
         * @throws NullPointerException     if {@code linger} is {@code null}
         * @throws IllegalArgumentException if {@code linger} is negative
         */
        public Builder removeAfter(Duration linger) {
            Objects.requireNonNull(linger, "linger");
            if (linger.isNegative()) {
                throw new IllegalArgumentException("removeAfter must not be negative, was " + linger);
            }
            this.removeAfter = linger;
            return this;
        }

        /**
         * Where {@link ObservabilityEvent.ProcessNameLimitReached} goes.
         *
         * @param sink the sink
         * @return this builder
         * @throws NullPointerException if {@code sink} is {@code null}
         */
        public Builder warnings(EventSink sink) {
            this.warnings = Objects.requireNonNull(sink, "sink");
            return this;
        }

        /**
         * The metrics, as configured, not yet bound to a registry.
         *
         * @return new metrics
         * @throws IllegalArgumentException if {@link #tagMessageTypes()} was asked for with a
         *                                  {@link #timingSample} above 1
         */
        public PhyxiusMetrics build() {
            if (tagMessageTypes && timingSample > 1) {
                throw new IllegalArgumentException("tagMessageTypes counts each message type from every message's "
                        + "event, so it needs timingSample 1, was " + timingSample);
            }
            return new PhyxiusMetrics(this);
        }
    }
}

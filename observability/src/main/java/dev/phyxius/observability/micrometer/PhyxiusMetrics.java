package dev.phyxius.observability.micrometer;

import dev.phyxius.clock.Event;
import dev.phyxius.clock.EventSink;
import dev.phyxius.observability.internal.ChildNames;
import dev.phyxius.process.ProcessEvent;
import dev.phyxius.process.ProcessId;
import dev.phyxius.supervisor.SupervisorEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Micrometer meters for processes, fed by their events: give it as the event sink of processes
 * and supervisors, and bind it to a registry.
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
 *   <tr><td>{@code phyxius.process.messages.handled}</td><td>counter</td><td>{@code process}</td>
 *       <td>messages whose handler returned normally</td></tr>
 *   <tr><td>{@code phyxius.process.handling}</td><td>timer</td><td>{@code process}</td>
 *       <td>how long handlers ran, for messages handled normally</td></tr>
 *   <tr><td>{@code phyxius.process.mailbox.wait}</td><td>timer</td><td>{@code process}</td>
 *       <td>how long messages waited in the mailbox before their handler ran</td></tr>
 *   <tr><td>{@code phyxius.process.failures}</td><td>counter</td><td>{@code process}, {@code exception}</td>
 *       <td>handler or {@code init} failures; {@code exception} is the thrown class's simple name</td></tr>
 *   <tr><td>{@code phyxius.process.restarts}</td><td>counter</td><td>{@code process}</td>
 *       <td>restarts that completed ({@code init} returned again)</td></tr>
 *   <tr><td>{@code phyxius.process.giveups}</td><td>counter</td><td>{@code process}</td>
 *       <td>times a supervisor gave up on a process after too many restarts</td></tr>
 *   <tr><td>{@code phyxius.process.messages.dropped}</td><td>counter</td><td>{@code process}, {@code reason}</td>
 *       <td>accepted messages that were never handled; {@code reason} is {@code evicted},
 *       {@code stopped}, {@code failed}, {@code handler_failed} or {@code superseded}</td></tr>
 *   <tr><td>{@code phyxius.process.messages.rejected}</td><td>counter</td><td>{@code process}, {@code reason}</td>
 *       <td>refused sends; {@code reason} is {@code mailbox_full} or {@code not_accepting}</td></tr>
 *   <tr><td>{@code phyxius.process.live}</td><td>gauge</td><td>{@code process}</td>
 *       <td>processes that are running: up on {@code Started}/{@code Restarted}, down on
 *       {@code Failed}/{@code Stopped}</td></tr>
 * </table>
 *
 * <p>Give one instance both the process events and the supervisor events (a supervisor's sink gets
 * both for the children it spawns): give-ups are counted from the supervisor's, under the child's
 * name. Durations come from the events, so they are measured on each process's own clock. Meters of a
 * name are registered when its first event arrives; events that arrive before {@link #bindTo} are
 * not counted. Timers publish no percentiles or histograms unless a {@code MeterFilter} of the
 * registry asks for them.
 *
 * <p>Thread-safe: events arrive on many process threads at once.
 *
 * @since 0.1
 */
public final class PhyxiusMetrics implements MeterBinder, EventSink {

    private static final String TAG_PROCESS = "process";
    private static final String TAG_REASON = "reason";
    private static final String TAG_EXCEPTION = "exception";

    private volatile MeterRegistry registry;
    private final ConcurrentHashMap<String, NameMeters> byName = new ConcurrentHashMap<>();
    private final ChildNames childNames = new ChildNames();

    private PhyxiusMetrics() {
    }

    /**
     * Metrics that record nothing until bound to a registry.
     *
     * @return new metrics
     */
    public static PhyxiusMetrics create() {
        return new PhyxiusMetrics();
    }

    /**
     * Registers the meters in {@code registry} from now on. One registry per instance: to publish
     * to several, bind a {@code CompositeMeterRegistry}.
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
    }

    /**
     * Records what {@code event} says; events that no meter is about are ignored.
     *
     * @param event a process or supervisor event
     */
    @Override
    public void emit(Event event) {
        MeterRegistry r = registry;
        if (event instanceof SupervisorEvent supervisorEvent) {
            // Names are tracked even before binding, so a give-up after it is still named.
            childNames.track(supervisorEvent);
            if (r != null && supervisorEvent instanceof SupervisorEvent.GaveUp e) {
                Counter.builder("phyxius.process.giveups")
                        .description("Times a supervisor gave up on a process with this name after too many restarts")
                        .tag(TAG_PROCESS, childNames.nameOf(e.child()).orElse("unknown"))
                        .register(r)
                        .increment();
            }
            return;
        }
        if (r == null || !(event instanceof ProcessEvent processEvent)) {
            return;
        }
        switch (processEvent) {
            case ProcessEvent.MessageHandled e -> {
                NameMeters m = meters(r, e.name());
                m.handled.increment();
                m.handling.record(e.handling());
                m.mailboxWait.record(e.queued());
            }
            case ProcessEvent.Started e -> meters(r, e.name()).live.add(e.id());
            case ProcessEvent.Restarted e -> {
                NameMeters m = meters(r, e.name());
                m.live.add(e.id());
                Counter.builder("phyxius.process.restarts")
                        .description("Restarts of processes with this name that completed")
                        .tag(TAG_PROCESS, e.name())
                        .register(r)
                        .increment();
            }
            case ProcessEvent.Failed e -> {
                meters(r, e.name()).live.remove(e.id());
                Counter.builder("phyxius.process.failures")
                        .description("Handler or init failures of processes with this name")
                        .tags(TAG_PROCESS, e.name(), TAG_EXCEPTION, exceptionName(e.error()))
                        .register(r)
                        .increment();
            }
            case ProcessEvent.Stopped e -> meters(r, e.name()).live.remove(e.id());
            case ProcessEvent.MessageDropped e -> meters(r, e.name()).dropped(r, e.name(), e.reason()).increment();
            case ProcessEvent.MessageRejected e -> meters(r, e.name()).rejected(r, e.name(), e.reason()).increment();
            default -> { }
        }
    }

    private NameMeters meters(MeterRegistry r, String name) {
        NameMeters m = byName.get(name);
        // get before computeIfAbsent: the common case is a hit, and get takes no lock.
        return m != null ? m : byName.computeIfAbsent(name, n -> new NameMeters(r, n));
    }

    private static String exceptionName(Throwable error) {
        String simple = error.getClass().getSimpleName();
        return simple.isEmpty() ? error.getClass().getName() : simple;
    }

    private static String tagValue(Enum<?> reason) {
        return reason.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return "PhyxiusMetrics[bound=" + (registry != null) + ", names=" + byName.size() + "]";
    }

    /** The meters of one process name: the per-message ones are looked up once, not per event. */
    private static final class NameMeters {
        final Counter handled;
        final Timer handling;
        final Timer mailboxWait;
        /** Processes of this name now running; a set, so a repeated event cannot skew the count. */
        final Set<ProcessId> live = ConcurrentHashMap.newKeySet();
        final AtomicReferenceArray<Counter> dropped =
                new AtomicReferenceArray<>(ProcessEvent.DropReason.values().length);
        final AtomicReferenceArray<Counter> rejected =
                new AtomicReferenceArray<>(ProcessEvent.RejectReason.values().length);

        NameMeters(MeterRegistry r, String name) {
            handled = Counter.builder("phyxius.process.messages.handled")
                    .description("Messages handled normally by processes with this name")
                    .tag(TAG_PROCESS, name)
                    .register(r);
            handling = Timer.builder("phyxius.process.handling")
                    .description("How long handlers of processes with this name ran")
                    .tag(TAG_PROCESS, name)
                    .register(r);
            mailboxWait = Timer.builder("phyxius.process.mailbox.wait")
                    .description("How long messages waited in the mailbox of processes with this name")
                    .tag(TAG_PROCESS, name)
                    .register(r);
            Gauge.builder("phyxius.process.live", live, Set::size)
                    .description("Processes with this name that are running")
                    .tag(TAG_PROCESS, name)
                    .strongReference(true)
                    .register(r);
        }

        Counter dropped(MeterRegistry r, String name, ProcessEvent.DropReason reason) {
            Counter c = dropped.get(reason.ordinal());
            if (c == null) {
                // Registering twice in a race is harmless: the registry returns the same counter.
                c = Counter.builder("phyxius.process.messages.dropped")
                        .description("Accepted messages that processes with this name never handled")
                        .tags(TAG_PROCESS, name, TAG_REASON, tagValue(reason))
                        .register(r);
                dropped.set(reason.ordinal(), c);
            }
            return c;
        }

        Counter rejected(MeterRegistry r, String name, ProcessEvent.RejectReason reason) {
            Counter c = rejected.get(reason.ordinal());
            if (c == null) {
                c = Counter.builder("phyxius.process.messages.rejected")
                        .description("Sends that processes with this name refused")
                        .tags(TAG_PROCESS, name, TAG_REASON, tagValue(reason))
                        .register(r);
                rejected.set(reason.ordinal(), c);
            }
            return c;
        }
    }
}

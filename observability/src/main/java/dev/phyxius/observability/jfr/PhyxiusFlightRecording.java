package dev.phyxius.observability.jfr;

import dev.phyxius.clock.Event;
import dev.phyxius.clock.EventSink;
import dev.phyxius.clock.Timestamp;
import dev.phyxius.observability.events.ObservabilityEvent;
import dev.phyxius.observability.internal.ChildNames;
import dev.phyxius.observability.internal.NameTable;
import dev.phyxius.process.ProcessEvent;
import dev.phyxius.process.ProcessInstrumentation;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.StopReason;
import dev.phyxius.supervisor.KeyedEvent;
import dev.phyxius.supervisor.SupervisorEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import jdk.jfr.Configuration;
import jdk.jfr.FlightRecorder;

/**
 * JDK Flight Recorder events for processes, supervisors and keyed groups, readable in JDK Mission
 * Control under the categories "Phyxius / Process", "Phyxius / Supervisor" and "Phyxius / Keyed".
 * Needs only the JDK's
 * {@code jdk.jfr} module.
 *
 * <p>As a {@link ProcessInstrumentation} it writes {@code dev.phyxius.MessageHandled}, a duration
 * event that spans each handler on the process's (virtual) thread, so a threshold such as
 * {@code dev.phyxius.MessageHandled#threshold=10ms} keeps only slow messages, and it knows the live
 * processes of each name for {@code dev.phyxius.ProcessStatistics}. It asks the processes to time
 * a random sample of one message in {@link Builder#timingSample 16}, and writes
 * {@code MessageHandled} for those: a handler's two clock readings (JFR's own cost as much as the
 * process's) are then paid on one message in 16, so an always-on recording costs a fast handler
 * little, while {@code ProcessStatistics} still counts every message. A slow handler that recurs
 * shows in the sample; to catch every one (an investigation), build with {@code timingSample(1)}.
 * As an {@link EventSink} it writes the other events, at the moment they happen:
 *
 * <table>
 *   <caption>JFR events</caption>
 *   <tr><th>name</th><th>fields</th><th>from</th></tr>
 *   <tr><td>{@code dev.phyxius.MessageHandled}</td><td>processName, processId, messageType, queued,
 *       handling, errorType, traceId, spanId</td><td>the instrumentation</td></tr>
 *   <tr><td>{@code dev.phyxius.MessageDropped}</td><td>processName, processId, messageType, reason,
 *       traceId, spanId</td><td>events</td></tr>
 *   <tr><td>{@code dev.phyxius.MessageRejected}</td><td>processName, processId, messageType, reason,
 *       traceId, spanId</td><td>events</td></tr>
 *   <tr><td>{@code dev.phyxius.ProcessStarted}</td><td>processName, processId, traceId, spanId</td><td>events</td></tr>
 *   <tr><td>{@code dev.phyxius.ProcessRestarted}</td><td>processName, processId, traceId, spanId</td><td>events</td></tr>
 *   <tr><td>{@code dev.phyxius.ProcessFailed}</td><td>processName, processId, errorType, traceId, spanId</td><td>events</td></tr>
 *   <tr><td>{@code dev.phyxius.ProcessStopped}</td><td>processName, processId, reason, traceId, spanId</td><td>events</td></tr>
 *   <tr><td>{@code dev.phyxius.ProcessStatistics}</td><td>processName, liveProcesses, mailboxSize,
 *       maxMailboxSize, handled, failed, dropped, rejected</td><td>periodic (10 s by default)</td></tr>
 *   <tr><td>{@code dev.phyxius.SupervisorRestart}</td><td>supervisorId, childName, childId, attempt,
 *       delay</td><td>supervisor events</td></tr>
 *   <tr><td>{@code dev.phyxius.SupervisorGaveUp}</td><td>supervisorId, childName, childId, restarts,
 *       within</td><td>supervisor events</td></tr>
 *   <tr><td>{@code dev.phyxius.SupervisorEscalated}</td><td>supervisorId, parentId, childName, childId,
 *       errorType</td><td>supervisor events</td></tr>
 *   <tr><td>{@code dev.phyxius.KeyedActivated}</td><td>groupName, key, processId</td><td>keyed events</td></tr>
 *   <tr><td>{@code dev.phyxius.KeyedActivationFailed}</td><td>groupName, key, errorType</td><td>keyed events</td></tr>
 *   <tr><td>{@code dev.phyxius.KeyedEvicted}</td><td>groupName, key, processId, liveKeys, maxLiveKeys</td><td>keyed events</td></tr>
 *   <tr><td>{@code dev.phyxius.KeyedPassivated}</td><td>groupName, key, processId, cause, reason</td><td>keyed events</td></tr>
 *   <tr><td>{@code dev.phyxius.KeyedGaveUp}</td><td>groupName, key, processId, errorType, quarantine</td><td>keyed events</td></tr>
 *   <tr><td>{@code dev.phyxius.KeyedMessageDropped}</td><td>groupName, key, messageType, reason</td><td>keyed events</td></tr>
 *   <tr><td>{@code dev.phyxius.KeyedMessageRejected}</td><td>groupName, key, messageType, reason, traceId,
 *       spanId</td><td>keyed events</td></tr>
 *   <tr><td>{@code dev.phyxius.KeyedGroupStopped}</td><td>groupName</td><td>keyed events</td></tr>
 *   <tr><td>{@code dev.phyxius.ProcessNameLimitReached}</td><td>backend, processName, limit</td>
 *       <td>a backend's name limit</td></tr>
 * </table>
 * The keyed events carry the key as its {@code toString}, as the process id does: an event is one
 * occurrence, not a series, so a key there costs no cardinality.
 * {@code queued} and {@code handling} are measured on the process's clock; the event's own start
 * and duration are JFR's. Message contents are never recorded, only their class. {@code traceId}
 * and {@code spanId} are those of the span current where the event is raised (for
 * {@code MessageHandled}, the message's own span), read through the {@link TraceCorrelation} of
 * the {@linkplain Builder#traceCorrelation builder}; absent without one or without a span.
 *
 * <p>{@code ProcessStatistics} has one event per process name at each period: the live processes
 * (from {@code attached}/{@code detached}), their mailboxes summed and the deepest one (sampled at
 * the period), and the messages handled, failed, dropped and rejected since the previous period
 * (the failed, dropped and rejected counted only while a recording has the event enabled; the
 * handled read from each process's exact {@code handledCount()}; a recording's first period
 * counts from the previous period of any recording, or from the start of the name's processes). At most {@link Builder#maxProcessNames}
 * names have their own row; further names share the row {@code _other}, announced once by a
 * {@code ProcessNameLimitReached}. A name's row goes once it has no live process and nothing left
 * to report.
 *
 * <p>Cheap when no recording wants an event: each is checked with {@code isEnabled()} or
 * {@code shouldCommit()} before any field is filled. No event records a stack trace (it would
 * show Phyxius's machinery, not the caller). To record, for example:
 * {@code java -XX:StartFlightRecording:filename=app.jfr,settings=phyxius.jfc ...}
 *
 * <p>Thread-safe. Give one instance both the process and the supervisor events: it learns the
 * names of supervised children from the supervisor's, so that {@code SupervisorGaveUp} can name
 * the child.
 *
 * @since 0.1
 */
public final class PhyxiusFlightRecording implements ProcessInstrumentation, EventSink {

    /** The default of {@link Builder#maxProcessNames}. */
    public static final int DEFAULT_MAX_PROCESS_NAMES = 1000;

    /** The default of {@link Builder#timingSample}: one message in 16 is timed and recorded. */
    public static final int DEFAULT_TIMING_SAMPLE = 16;

    private final ChildNames childNames = new ChildNames();
    private final TraceCorrelation correlation;
    private final int maxProcessNames;
    private final int timingSample;
    private final EventSink warnings;
    private final NameTable<Statistics> statistics;

    private PhyxiusFlightRecording(Builder builder) {
        this.correlation = builder.correlation;
        this.maxProcessNames = builder.maxProcessNames;
        this.timingSample = builder.timingSample;
        this.warnings = builder.warnings;
        this.statistics = new NameTable<>(maxProcessNames, Statistics::new, this::limitReached);
        // JFR calls the hook at the period a recording sets; the hook does not keep this
        // instance alive, and leaves JFR once the instance is gone.
        FlightRecorder.addPeriodicEvent(ProcessStatisticsEvent.class, new StatisticsHook(statistics));
    }

    /**
     * A flight recording bridge with the defaults (no trace ids, 1,000 names); one instance
     * serves any number of processes and supervisors.
     *
     * @return a new bridge
     */
    public static PhyxiusFlightRecording create() {
        return builder().build();
    }

    /**
     * A builder with the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The shipped settings for always-on recording, {@code phyxius.jfc}: slow messages only
     * ({@code MessageHandled} from 10 ms), every lifecycle, drop, refusal and supervisor event,
     * {@code ProcessStatistics} every 10 s. It names only Phyxius events; to record the JDK's too,
     * merge it over a JDK configuration:
     * <pre>{@code
     * Map<String, String> settings = new HashMap<>(Configuration.getConfiguration("default").getSettings());
     * settings.putAll(PhyxiusFlightRecording.configuration().getSettings());
     * recording.setSettings(settings);
     * }</pre>
     *
     * @return the configuration, read from this module
     * @throws IllegalStateException if the file cannot be read (a broken build)
     */
    public static Configuration configuration() {
        return shipped("phyxius.jfc");
    }

    /**
     * The shipped settings for an investigation, {@code phyxius-profile.jfc}: every handled
     * message, {@code ProcessStatistics} every second, and {@code jdk.VirtualThreadPinned},
     * {@code jdk.JavaMonitorEnter} and {@code jdk.ThreadPark} from 5 ms. Merge it over the JDK's
     * {@code profile} configuration as shown for {@link #configuration()}.
     *
     * @return the configuration, read from this module
     * @throws IllegalStateException if the file cannot be read (a broken build)
     */
    public static Configuration profileConfiguration() {
        return shipped("phyxius-profile.jfc");
    }

    private static Configuration shipped(String file) {
        try (InputStream in = PhyxiusFlightRecording.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException(file + " is missing from " + PhyxiusFlightRecording.class.getModule());
            }
            return Configuration.create(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException | ParseException e) {
            throw new IllegalStateException("cannot read the shipped " + file + ": " + e, e);
        }
    }

    // ---------------------------------------------------------------------------------------
    // The instrumentation: MessageHandled and the live processes

    /**
     * One message in how many the processes should time ({@link Builder#timingSample}): the
     * messages that get a {@code MessageHandled} event (if it passes the recording's threshold)
     * and reach the event sink as {@code ProcessEvent.MessageHandled}. The counts of
     * {@code ProcessStatistics} are exact either way.
     *
     * @return one timed message in how many
     */
    @Override
    public int timingSample() {
        return timingSample;
    }

    /**
     * Only the timed messages: JFR spans only those, so the others cost no call.
     *
     * @return {@code false}
     */
    @Override
    public boolean hooksEveryMessage() {
        return false;
    }

    /**
     * Captures nothing: JFR needs nothing from the sender.
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
     * Begins a {@code dev.phyxius.MessageHandled} event if a recording wants it and the message is
     * in the timed sample.
     *
     * @param process     the process
     * @param message     the message; only its class is read
     * @param captured    unused
     * @param queuedNanos how long the message waited in the mailbox
     * @return the begun event, or {@code null} if no recording wants it
     */
    @Override
    public Object beforeHandle(ProcessRef<?> process, Object message, Object captured, long queuedNanos) {
        if (queuedNanos < 0) {
            // Outside the timed sample: spanning it would cost two readings of JFR's clock, which
            // is as dear as the process's own, on every message.
            return null;
        }
        MessageHandledEvent event = new MessageHandledEvent();
        if (!event.isEnabled()) {
            return null; // the event object does not escape, so this path allocates nothing
        }
        event.begin();
        event.processName = process.name();
        event.processId = process.id().value();
        event.messageType = message.getClass();
        event.queued = queuedNanos;
        return event;
    }

    /**
     * Ends and commits the event begun by {@link #beforeHandle}, if it passes the recording's
     * threshold; the trace ids are read here, while the message's span is still current.
     *
     * @param scope         the event, or {@code null}
     * @param error         what the handler threw, or {@code null}
     * @param handlingNanos how long the handler ran
     */
    @Override
    public void afterHandle(Object scope, Throwable error, long handlingNanos) {
        if (!(scope instanceof MessageHandledEvent event)) {
            return;
        }
        event.end();
        if (event.shouldCommit()) {
            event.handling = handlingNanos;
            event.errorType = error == null ? null : error.getClass().getName();
            event.correlate(correlation);
            event.commit();
        }
    }

    /**
     * Counts {@code process} among the live processes of its name, for
     * {@code dev.phyxius.ProcessStatistics}.
     *
     * @param process the process that started
     */
    @Override
    public void attached(ProcessRef<?> process) {
        statistics.attach(process);
    }

    /**
     * Stops counting {@code process} as live; a name left with nothing to report is forgotten.
     *
     * @param process the process that ended
     * @param reason  unused
     */
    @Override
    public void detached(ProcessRef<?> process, StopReason reason) {
        Statistics s = statistics.detach(process);
        if (s != null && s.hasNoLiveProcess()) {
            // With the event enabled, the next period reports the name's last counts and then
            // removes it; without, nothing was counted, so it can go now.
            if (!statisticsEnabled()) {
                s.forgetHandled(); // no recording counts: nothing is left to report
                statistics.removeIf(s, Statistics::isEmpty);
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // The sink: every other event

    /**
     * Writes the JFR event for {@code event}, if a recording wants it, and counts it for
     * {@code dev.phyxius.ProcessStatistics}; events without a JFR counterpart are ignored.
     *
     * @param event a process, supervisor, keyed or observability event
     */
    @Override
    public void emit(Event event) {
        switch (event) {
            case ProcessEvent e -> {
                count(e);
                process(e);
            }
            case SupervisorEvent e -> supervisor(e);
            case KeyedEvent e -> keyed(e);
            case ObservabilityEvent.ProcessNameLimitReached e -> limitReached(e.backend(), e.processName(), e.limit());
            default -> {}
        }
    }

    /** One case per event a statistic counts; a new process event adds a case here. */
    private void count(ProcessEvent event) {
        switch (event) {
            // Handled messages are counted by the processes themselves (handledCount): under a
            // timing sample only some of them are MessageHandled events.
            case ProcessEvent.Failed e -> {
                if (statisticsEnabled()) {
                    statistics.get(e.name()).failed.increment();
                }
            }
            case ProcessEvent.MessageDropped e -> {
                if (e.reason() != ProcessEvent.DropReason.HANDLER_FAILED && statisticsEnabled()) {
                    statistics.get(e.name()).dropped.increment();
                }
            }
            case ProcessEvent.MessageRejected e -> {
                if (statisticsEnabled()) {
                    statistics.get(e.name()).rejected.increment();
                }
            }
            default -> {}
        }
    }

    private static boolean statisticsEnabled() {
        // A periodic event is enabled while a recording asks for it; the probe never escapes.
        return new ProcessStatisticsEvent().isEnabled();
    }

    /** One case per event with a JFR counterpart; a new process event adds a case here. */
    private void process(ProcessEvent event) {
        switch (event) {
            case ProcessEvent.Started e -> {
                ProcessStartedEvent jfr = new ProcessStartedEvent();
                if (jfr.shouldCommit()) {
                    jfr.processName = e.name();
                    jfr.processId = e.id().value();
                    jfr.correlate(correlation);
                    jfr.commit();
                }
            }
            case ProcessEvent.Restarted e -> {
                ProcessRestartedEvent jfr = new ProcessRestartedEvent();
                if (jfr.shouldCommit()) {
                    jfr.processName = e.name();
                    jfr.processId = e.id().value();
                    jfr.correlate(correlation);
                    jfr.commit();
                }
            }
            case ProcessEvent.Failed e -> {
                ProcessFailedEvent jfr = new ProcessFailedEvent();
                if (jfr.shouldCommit()) {
                    jfr.processName = e.name();
                    jfr.processId = e.id().value();
                    jfr.errorType = e.error().getClass().getName();
                    jfr.correlate(correlation);
                    jfr.commit();
                }
            }
            case ProcessEvent.Stopped e -> {
                ProcessStoppedEvent jfr = new ProcessStoppedEvent();
                if (jfr.shouldCommit()) {
                    jfr.processName = e.name();
                    jfr.processId = e.id().value();
                    jfr.reason = stopReason(e.reason());
                    jfr.correlate(correlation);
                    jfr.commit();
                }
            }
            case ProcessEvent.MessageDropped e -> {
                MessageDroppedEvent jfr = new MessageDroppedEvent();
                if (jfr.shouldCommit()) {
                    jfr.processName = e.name();
                    jfr.processId = e.id().value();
                    jfr.messageType = e.message() == null ? null : e.message().getClass();
                    jfr.reason = e.reason().name();
                    jfr.correlate(correlation);
                    jfr.commit();
                }
            }
            case ProcessEvent.MessageRejected e -> {
                MessageRejectedEvent jfr = new MessageRejectedEvent();
                if (jfr.shouldCommit()) {
                    jfr.processName = e.name();
                    jfr.processId = e.id().value();
                    jfr.messageType = e.message() == null ? null : e.message().getClass();
                    jfr.reason = e.reason().name();
                    jfr.correlate(correlation);
                    jfr.commit();
                }
            }
            default -> {}
        }
    }

    /** One case per supervisor decision with a JFR counterpart. */
    private void supervisor(SupervisorEvent event) {
        childNames.track(event);
        switch (event) {
            case SupervisorEvent.RestartScheduled e -> {
                SupervisorRestartEvent jfr = new SupervisorRestartEvent();
                if (jfr.shouldCommit()) {
                    jfr.supervisorId = e.supervisor().value();
                    jfr.childId = e.child().value();
                    jfr.childName = e.name();
                    jfr.attempt = e.attempt();
                    jfr.delay = e.delay().toNanos();
                    jfr.commit();
                }
            }
            case SupervisorEvent.GaveUp e -> {
                SupervisorGaveUpEvent jfr = new SupervisorGaveUpEvent();
                if (jfr.shouldCommit()) {
                    jfr.supervisorId = e.supervisor().value();
                    jfr.childId = e.child().value();
                    jfr.childName = childNames.nameOf(e.child()).orElse(null);
                    jfr.restarts = e.restarts();
                    jfr.within = e.within().toNanos();
                    jfr.commit();
                }
            }
            case SupervisorEvent.Escalated e -> {
                SupervisorEscalatedEvent jfr = new SupervisorEscalatedEvent();
                if (jfr.shouldCommit()) {
                    jfr.supervisorId = e.supervisor().value();
                    jfr.parentId = e.parent().value();
                    jfr.childId = e.child().value();
                    jfr.childName = childNames.nameOf(e.child()).orElse(null);
                    jfr.errorType = e.error().getClass().getName();
                    jfr.commit();
                }
            }
            default -> {}
        }
    }

    /** One case per keyed event; each has a JFR counterpart. */
    private void keyed(KeyedEvent event) {
        switch (event) {
            case KeyedEvent.Activated e -> {
                KeyedActivatedEvent jfr = new KeyedActivatedEvent();
                if (jfr.shouldCommit()) {
                    jfr.groupName = e.group();
                    jfr.key = String.valueOf(e.key());
                    jfr.processId = e.process().value();
                    jfr.commit();
                }
            }
            case KeyedEvent.ActivationFailed e -> {
                KeyedActivationFailedEvent jfr = new KeyedActivationFailedEvent();
                if (jfr.shouldCommit()) {
                    jfr.groupName = e.group();
                    jfr.key = String.valueOf(e.key());
                    jfr.errorType = e.error().getClass().getName();
                    jfr.commit();
                }
            }
            case KeyedEvent.Evicted e -> {
                KeyedEvictedEvent jfr = new KeyedEvictedEvent();
                if (jfr.shouldCommit()) {
                    jfr.groupName = e.group();
                    jfr.key = String.valueOf(e.key());
                    jfr.processId = e.process().value();
                    jfr.liveKeys = e.liveKeys();
                    jfr.maxLiveKeys = e.maxLive();
                    jfr.commit();
                }
            }
            case KeyedEvent.Passivated e -> {
                KeyedPassivatedEvent jfr = new KeyedPassivatedEvent();
                if (jfr.shouldCommit()) {
                    jfr.groupName = e.group();
                    jfr.key = String.valueOf(e.key());
                    jfr.processId = e.process().value();
                    jfr.cause = e.cause().name();
                    jfr.reason = e.reason().why();
                    jfr.commit();
                }
            }
            case KeyedEvent.GaveUp e -> {
                KeyedGaveUpEvent jfr = new KeyedGaveUpEvent();
                if (jfr.shouldCommit()) {
                    jfr.groupName = e.group();
                    jfr.key = String.valueOf(e.key());
                    jfr.processId = e.process().value();
                    jfr.errorType = e.error().getClass().getName();
                    jfr.quarantine = e.quarantine().toNanos();
                    jfr.commit();
                }
            }
            case KeyedEvent.MessageDropped e -> {
                KeyedMessageDroppedEvent jfr = new KeyedMessageDroppedEvent();
                if (jfr.shouldCommit()) {
                    jfr.groupName = e.group();
                    jfr.key = String.valueOf(e.key());
                    jfr.messageType = e.message() == null ? null : e.message().getClass();
                    jfr.reason = e.reason().name();
                    jfr.commit();
                }
            }
            case KeyedEvent.MessageRejected e -> {
                KeyedMessageRejectedEvent jfr = new KeyedMessageRejectedEvent();
                if (jfr.shouldCommit()) {
                    jfr.groupName = e.group();
                    jfr.key = String.valueOf(e.key());
                    jfr.messageType = e.message() == null ? null : e.message().getClass();
                    jfr.reason = e.reason().name();
                    jfr.correlate(correlation);
                    jfr.commit();
                }
            }
            case KeyedEvent.GroupStopped e -> {
                KeyedGroupStoppedEvent jfr = new KeyedGroupStoppedEvent();
                if (jfr.shouldCommit()) {
                    jfr.groupName = e.group();
                    jfr.commit();
                }
            }
        }
    }

    private void limitReached(String refused) {
        limitReached("jfr", refused, maxProcessNames);
        EventSink sink = warnings;
        if (sink != null) {
            try {
                sink.emit(new ObservabilityEvent.ProcessNameLimitReached(
                        new Timestamp(System.currentTimeMillis(), System.nanoTime()), "jfr", refused, maxProcessNames));
            } catch (RuntimeException ignored) {
                // A broken warnings sink must not break the event that brought the name.
            }
        }
    }

    private static void limitReached(String backend, String refused, int limit) {
        ProcessNameLimitReachedEvent jfr = new ProcessNameLimitReachedEvent();
        if (jfr.shouldCommit()) {
            jfr.backend = backend;
            jfr.processName = refused;
            jfr.limit = limit;
            jfr.commit();
        }
    }

    private static String stopReason(StopReason reason) {
        return switch (reason) {
            case StopReason.Normal n -> "NORMAL";
            case StopReason.Shutdown s -> "SHUTDOWN";
            case StopReason.Passivated p -> "PASSIVATED";
            case StopReason.Error e -> "ERROR";
        };
    }

    @Override
    public String toString() {
        return "PhyxiusFlightRecording[correlation=" + correlation + ", names=" + statistics.size() + "/"
                + maxProcessNames + "]";
    }

    // ---------------------------------------------------------------------------------------
    // ProcessStatistics

    /** What one process name did since the last period. */
    private static final class Statistics extends NameTable.Entry {
        final LongAdder failed = new LongAdder();
        final LongAdder dropped = new LongAdder();
        final LongAdder rejected = new LongAdder();
        /** {@link #handledTotal} at the last period; periods only. */
        private long handledReported;

        Statistics(String name) {
            super(name);
        }

        /** Handled since the last call; the periodic hook's thread only. */
        synchronized long handledSinceLastPeriod() {
            long total = handledTotal();
            long since = total - handledReported;
            handledReported = total;
            return since;
        }

        /** No recording counts: what was handled so far is nobody's to report. */
        synchronized void forgetHandled() {
            handledReported = handledTotal();
        }

        synchronized boolean isEmpty() {
            return handledTotal() == handledReported && failed.sum() == 0 && dropped.sum() == 0 && rejected.sum() == 0;
        }
    }

    /**
     * Writes one {@code ProcessStatistics} per name; holds the table weakly, so that a bridge
     * nobody uses any more is collected and its hook then leaves JFR.
     */
    private static final class StatisticsHook implements Runnable {
        private final WeakReference<NameTable<Statistics>> table;

        StatisticsHook(NameTable<Statistics> table) {
            this.table = new WeakReference<>(table);
        }

        @Override
        public void run() {
            NameTable<Statistics> t = table.get();
            if (t == null) {
                FlightRecorder.removePeriodicEvent(this);
                return;
            }
            for (Statistics s : t.entries()) {
                ProcessStatisticsEvent event = new ProcessStatisticsEvent();
                event.processName = s.name();
                event.liveProcesses = s.liveCount();
                event.mailboxSize = s.mailboxTotal();
                event.maxMailboxSize = s.mailboxMax();
                event.handled = s.handledSinceLastPeriod();
                event.failed = s.failed.sumThenReset();
                event.dropped = s.dropped.sumThenReset();
                event.rejected = s.rejected.sumThenReset();
                event.commit();
                if (s.hasNoLiveProcess()) {
                    t.removeIf(s, Statistics::isEmpty);
                }
            }
        }
    }

    /**
     * Configures a {@link PhyxiusFlightRecording}. Not thread-safe; every setter validates its
     * argument at once; {@link #build()} may be called more than once.
     *
     * @since 0.1
     */
    public static final class Builder {

        private TraceCorrelation correlation = TraceCorrelation.NONE;
        private int maxProcessNames = DEFAULT_MAX_PROCESS_NAMES;
        private int timingSample = DEFAULT_TIMING_SAMPLE;
        private EventSink warnings;

        private Builder() {}

        /**
         * One message in how many is timed and gets a {@code MessageHandled} event (16 by default;
         * 1 for every message, as an investigation wants). Timing a message costs two or three
         * clock readings, most of what JFR costs on a fast handler; every message is still counted
         * in {@code ProcessStatistics}.
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
         * Writes the ids of the current span into the process events ({@code traceId},
         * {@code spanId}).
         *
         * @param correlation where the ids come from, e.g. {@code PhyxiusTracing.traceCorrelation()}
         * @return this builder
         * @throws NullPointerException if {@code correlation} is {@code null}
         */
        public Builder traceCorrelation(TraceCorrelation correlation) {
            this.correlation = Objects.requireNonNull(correlation, "correlation");
            return this;
        }

        /**
         * The most process names with a {@code ProcessStatistics} row of their own; further names
         * share the row {@code _other}.
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
         * Also hands {@link ObservabilityEvent.ProcessNameLimitReached} of this bridge to
         * {@code sink} (it is written as a JFR event in any case).
         *
         * @param sink the sink; it should not lead back to this bridge, or the JFR event is
         *             written twice
         * @return this builder
         * @throws NullPointerException if {@code sink} is {@code null}
         */
        public Builder warnings(EventSink sink) {
            this.warnings = Objects.requireNonNull(sink, "sink");
            return this;
        }

        /**
         * The bridge, as configured.
         *
         * @return a new bridge
         */
        public PhyxiusFlightRecording build() {
            return new PhyxiusFlightRecording(this);
        }
    }
}

package dev.phyxius.observability.jfr;

import dev.phyxius.clock.Event;
import dev.phyxius.clock.EventSink;
import dev.phyxius.observability.internal.ChildNames;
import dev.phyxius.process.ProcessEvent;
import dev.phyxius.process.ProcessInstrumentation;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.StopReason;
import dev.phyxius.supervisor.SupervisorEvent;

/**
 * JDK Flight Recorder events for processes, readable in JDK Mission Control under the category
 * "Phyxius". Needs only the JDK's {@code jdk.jfr} module.
 *
 * <p>As a {@link ProcessInstrumentation} it writes {@code dev.phyxius.MessageHandled}, a duration
 * event that spans each handler on the process's (virtual) thread, so a threshold such as
 * {@code dev.phyxius.MessageHandled#threshold=10ms} keeps only slow messages. As an
 * {@link EventSink} it writes the other events, at the moment they happen:
 *
 * <table>
 *   <caption>JFR events</caption>
 *   <tr><th>name</th><th>fields</th><th>from</th></tr>
 *   <tr><td>{@code dev.phyxius.MessageHandled}</td><td>processName, processId, messageType, queued,
 *       handling, errorType</td><td>the instrumentation</td></tr>
 *   <tr><td>{@code dev.phyxius.MessageDropped}</td><td>processName, processId, messageType, reason</td><td>events</td></tr>
 *   <tr><td>{@code dev.phyxius.MessageRejected}</td><td>processName, processId, messageType, reason</td><td>events</td></tr>
 *   <tr><td>{@code dev.phyxius.ProcessStarted}</td><td>processName, processId</td><td>events</td></tr>
 *   <tr><td>{@code dev.phyxius.ProcessRestarted}</td><td>processName, processId</td><td>events</td></tr>
 *   <tr><td>{@code dev.phyxius.ProcessFailed}</td><td>processName, processId, errorType</td><td>events</td></tr>
 *   <tr><td>{@code dev.phyxius.ProcessStopped}</td><td>processName, processId, reason</td><td>events</td></tr>
 *   <tr><td>{@code dev.phyxius.SupervisorGaveUp}</td><td>supervisorId, childName, childId, restarts,
 *       within</td><td>supervisor events</td></tr>
 *   <tr><td>{@code dev.phyxius.SupervisorEscalated}</td><td>supervisorId, parentId, childName, childId,
 *       errorType</td><td>supervisor events</td></tr>
 * </table>
 * {@code queued} and {@code handling} are measured on the process's clock; the event's own start
 * and duration are JFR's. Message contents are never recorded, only their class.
 *
 * <p>Cheap when no recording wants an event: each is checked with {@code isEnabled()} or
 * {@code shouldCommit()} before any field is filled. No event records a stack trace (it would
 * show Phyxius's machinery, not the caller). To record, for example:
 * {@code java -XX:StartFlightRecording:filename=app.jfr,+dev.phyxius.MessageHandled#threshold=1ms ...}
 *
 * <p>Thread-safe. Its only state is the names of supervised children, learned from supervisor
 * events so that {@code SupervisorGaveUp} can name the child; give one instance both the process
 * and the supervisor events.
 *
 * @since 0.1
 */
public final class PhyxiusFlightRecording implements ProcessInstrumentation, EventSink {

    private final ChildNames childNames = new ChildNames();

    private PhyxiusFlightRecording() {
    }

    /**
     * A flight recording bridge; one instance serves any number of processes and supervisors.
     *
     * @return a new bridge
     */
    public static PhyxiusFlightRecording create() {
        return new PhyxiusFlightRecording();
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
     * Begins a {@code dev.phyxius.MessageHandled} event if a recording wants it.
     *
     * @param process     the process
     * @param message     the message; only its class is read
     * @param captured    unused
     * @param queuedNanos how long the message waited in the mailbox
     * @return the begun event, or {@code null} if no recording wants it
     */
    @Override
    public Object beforeHandle(ProcessRef<?> process, Object message, Object captured, long queuedNanos) {
        MessageHandledEvent event = new MessageHandledEvent();
        if (!event.isEnabled()) {
            return null; // the event object does not escape, so this path allocates nothing
        }
        event.begin();
        event.processName = process.name();
        event.processId = process.id().value();
        event.messageType = message.getClass();
        event.queued = Math.max(0L, queuedNanos);
        return event;
    }

    /**
     * Ends and commits the event begun by {@link #beforeHandle}, if it passes the recording's
     * threshold.
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
            event.commit();
        }
    }

    /**
     * Writes the JFR event for {@code event}, if a recording wants it; events without a JFR
     * counterpart are ignored.
     *
     * @param event a process or supervisor event
     */
    @Override
    public void emit(Event event) {
        if (event instanceof ProcessEvent processEvent) {
            process(processEvent);
        } else if (event instanceof SupervisorEvent supervisorEvent) {
            supervisor(supervisorEvent);
        }
    }

    private void supervisor(SupervisorEvent event) {
        childNames.track(event);
        switch (event) {
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
            default -> { }
        }
    }

    private static void process(ProcessEvent event) {
        switch (event) {
            case ProcessEvent.Started e -> {
                ProcessStartedEvent jfr = new ProcessStartedEvent();
                if (jfr.shouldCommit()) {
                    jfr.processName = e.name();
                    jfr.processId = e.id().value();
                    jfr.commit();
                }
            }
            case ProcessEvent.Restarted e -> {
                ProcessRestartedEvent jfr = new ProcessRestartedEvent();
                if (jfr.shouldCommit()) {
                    jfr.processName = e.name();
                    jfr.processId = e.id().value();
                    jfr.commit();
                }
            }
            case ProcessEvent.Failed e -> {
                ProcessFailedEvent jfr = new ProcessFailedEvent();
                if (jfr.shouldCommit()) {
                    jfr.processName = e.name();
                    jfr.processId = e.id().value();
                    jfr.errorType = e.error().getClass().getName();
                    jfr.commit();
                }
            }
            case ProcessEvent.Stopped e -> {
                ProcessStoppedEvent jfr = new ProcessStoppedEvent();
                if (jfr.shouldCommit()) {
                    jfr.processName = e.name();
                    jfr.processId = e.id().value();
                    jfr.reason = stopReason(e.reason());
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
                    jfr.commit();
                }
            }
            default -> { }
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
        return "PhyxiusFlightRecording";
    }
}

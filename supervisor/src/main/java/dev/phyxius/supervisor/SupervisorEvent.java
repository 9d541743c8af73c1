package dev.phyxius.supervisor;

import dev.phyxius.clock.Event;
import dev.phyxius.clock.Timestamp;
import dev.phyxius.process.ProcessId;
import dev.phyxius.process.StopReason;
import java.time.Duration;

/**
 * What a supervisor does, as structured events: emitted to the sink given in
 * {@link SupervisorOptions#withEvents}, on the thread where it happens (a child's thread, a timer
 * of the clock, or the caller's). Every event's {@link #at()} is read from the supervisor's clock,
 * and {@link #supervisor()} names the supervisor that emitted it.
 *
 * <p>A child here is a process or a nested supervisor; for a nested supervisor, {@code child} is
 * that supervisor's id.
 *
 * @since 0.1
 */
public sealed interface SupervisorEvent extends Event {

    /**
     * The supervisor that emitted the event.
     *
     * @return its id
     */
    ProcessId supervisor();

    /**
     * A child came under supervision: spawned, adopted, or a supervisor attached.
     *
     * @param at         when
     * @param supervisor which supervisor
     * @param child      which child
     * @param name       the child's name
     */
    record ChildStarted(Timestamp at, ProcessId supervisor, ProcessId child, String name) implements SupervisorEvent {}

    /**
     * A child failed: its handler or {@code init} threw, or (for a nested supervisor) it escalated,
     * with an {@link EscalationException}.
     *
     * @param at         when
     * @param supervisor which supervisor
     * @param child      which child
     * @param name       the child's name
     * @param error      what was thrown
     */
    record ChildFailed(Timestamp at, ProcessId supervisor, ProcessId child, String name, Throwable error)
            implements SupervisorEvent {}

    /**
     * A restart round is armed: the children to restart have run {@code onStop} and the backoff
     * timer is set (for a zero delay, the restart follows at once).
     *
     * @param at         when
     * @param supervisor which supervisor
     * @param child      the child whose failure (or self-stop) started the round
     * @param name       its name
     * @param attempt    the number of this restart inside the intensity window, from 1
     * @param delay      the backoff delay, jitter included
     */
    record RestartScheduled(
            Timestamp at, ProcessId supervisor, ProcessId child, String name, int attempt, Duration delay)
            implements SupervisorEvent {}

    /**
     * A child was restarted in place: its fresh {@code init} has been started (it runs on the
     * child's own thread; the process's {@code Restarted} event says when it returned).
     *
     * @param at         when
     * @param supervisor which supervisor
     * @param child      which child
     * @param name       its name
     * @param attempt    the number of the restart inside the intensity window of the child whose
     *     failure started the round (the same for siblings restarted with it); 0 when the child
     *     was restarted because a parent restarted this whole supervisor
     * @param delay      the backoff waited
     */
    record ChildRestarted(Timestamp at, ProcessId supervisor, ProcessId child, String name, int attempt, Duration delay)
            implements SupervisorEvent {}

    /**
     * The supervisor gave up on a child: it failed once more after {@code restarts} restarts inside
     * {@code within}. Without a parent the child then ends {@code FAILED}; with one the failure
     * escalates (an {@link Escalated} follows).
     *
     * @param at         when
     * @param supervisor which supervisor
     * @param child      which child
     * @param restarts   the restarts inside the window (the strategy's maximum)
     * @param within     the window
     */
    record GaveUp(Timestamp at, ProcessId supervisor, ProcessId child, int restarts, Duration within)
            implements SupervisorEvent {}

    /**
     * A failure was handed to the parent supervisor, which sees this supervisor fail.
     *
     * @param at         when
     * @param supervisor which supervisor escalated
     * @param child      whose failure escalated
     * @param parent     the parent that now decides
     * @param error      the child's error
     */
    record Escalated(Timestamp at, ProcessId supervisor, ProcessId child, ProcessId parent, Throwable error)
            implements SupervisorEvent {}

    /**
     * A child ended on its own (a failure, or a stop from its handler) while this supervisor's
     * whole subtree was held by its parent's restart, which the child joined too late to be part
     * of: the supervisor decides about it, by its kind and intensity, when the hold ends.
     *
     * @param at         when
     * @param supervisor which supervisor
     * @param child      which child
     * @param name       its name
     * @param reason     how its life ended
     */
    record DecisionDeferred(Timestamp at, ProcessId supervisor, ProcessId child, String name, StopReason reason)
            implements SupervisorEvent {}

    /**
     * A child ended for good and the supervisor forgot it: stopped through its ref or its own
     * {@code stop()}, not restarted because of its kind or action, given up on, or stopped by the
     * supervisor's own stop.
     *
     * @param at         when
     * @param supervisor which supervisor
     * @param child      which child
     * @param name       its name
     * @param reason     why it ended
     */
    record ChildStopped(Timestamp at, ProcessId supervisor, ProcessId child, String name, StopReason reason)
            implements SupervisorEvent {}

    /**
     * A child took longer than its shutdown timeout to stop or suspend; the supervisor stopped
     * waiting for it and went on.
     *
     * @param at         when
     * @param supervisor which supervisor
     * @param child      which child
     * @param name       its name
     * @param waited     the shutdown timeout that ran out
     */
    record ShutdownTimedOut(Timestamp at, ProcessId supervisor, ProcessId child, String name, Duration waited)
            implements SupervisorEvent {}

    /**
     * The supervisor stopped: every child was stopped (or abandoned after its timeout). Always its
     * last event.
     *
     * @param at         when
     * @param supervisor which supervisor
     */
    record SupervisorStopped(Timestamp at, ProcessId supervisor) implements SupervisorEvent {}
}

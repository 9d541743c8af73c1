package dev.phyxius.testing.internal;

import dev.phyxius.clock.Event;
import dev.phyxius.process.ProcessEvent;
import dev.phyxius.process.ProcessId;
import dev.phyxius.supervisor.SupervisorEvent;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Follows supervisor events to tell whether a supervisor is still deciding about a failed child.
 *
 * <p>Why: a supervisor decides on the failed child's thread after the child is already suspended,
 * which {@code ProcessInspection.idle} reports as at rest; until the decision has armed a backoff
 * timer or restarted the child, neither the processes nor the clock show the work in flight. A
 * decision starts with the child's {@code ProcessEvent.Failed} (emitted before the child
 * suspends, unlike the supervisor's {@code ChildFailed}), {@code ChildFailed} or {@code GaveUp},
 * and ends with a restart, a final stop, an escalation, a backoff timer ({@code RestartScheduled}
 * with a delay), a decision deferred to the end of a parent's hold, or the supervisor's own stop. A child that stops itself emits nothing before it
 * suspends; {@code ProcessInspection.idle} covers that case, as it reports a suspended child busy
 * until the supervisor's hook has returned. Thread-safe.
 */
public final class SupervisionTracker {

    private record Key(ProcessId supervisor, ProcessId child) {}

    /** Decisions in flight, in the order they started, with what started them. */
    private final Map<Key, String> deciding = new LinkedHashMap<>();
    /** The supervisor of every supervised child, from ChildStarted until ChildStopped. */
    private final Map<ProcessId, ProcessId> supervisorOf = new HashMap<>();

    /**
     * Takes one event into account; ignores events that say nothing about supervision.
     *
     * @param event any event the kit records
     */
    public synchronized void record(Event event) {
        if (event instanceof ProcessEvent.Failed failed) {
            ProcessId supervisor = supervisorOf.get(failed.id());
            if (supervisor != null) {
                deciding.put(new Key(supervisor, failed.id()), failed.name() + " failed");
            }
            return;
        }
        if (!(event instanceof SupervisorEvent supervisorEvent)) {
            return;
        }
        switch (supervisorEvent) {
            case SupervisorEvent.ChildStarted started -> supervisorOf.put(started.child(), started.supervisor());
            case SupervisorEvent.ChildFailed failed ->
                deciding.put(new Key(failed.supervisor(), failed.child()), failed.name() + " failed");
            case SupervisorEvent.GaveUp gaveUp ->
                deciding.put(
                        new Key(gaveUp.supervisor(), gaveUp.child()),
                        gaveUp.child().value() + " given up on");
            case SupervisorEvent.RestartScheduled scheduled -> {
                Key key = new Key(scheduled.supervisor(), scheduled.child());
                if (scheduled.delay().isZero()) {
                    deciding.put(key, scheduled.name() + " restarting");
                } else {
                    deciding.remove(key); // waits for the clock now, which the kit sees
                }
            }
            case SupervisorEvent.ChildRestarted restarted ->
                deciding.remove(new Key(restarted.supervisor(), restarted.child()));
            case SupervisorEvent.ChildStopped stopped -> {
                deciding.remove(new Key(stopped.supervisor(), stopped.child()));
                supervisorOf.remove(stopped.child(), stopped.supervisor());
            }
            case SupervisorEvent.Escalated escalated ->
                deciding.remove(new Key(escalated.supervisor(), escalated.child()));
            // Waits for the parent's hold to end, which waits for the parent's clock or decision.
            case SupervisorEvent.DecisionDeferred deferred ->
                deciding.remove(new Key(deferred.supervisor(), deferred.child()));
            case SupervisorEvent.SupervisorStopped stopped -> {
                deciding.keySet().removeIf(key -> key.supervisor().equals(stopped.supervisor()));
                supervisorOf.values().removeIf(stopped.supervisor()::equals);
            }
            default -> {}
        }
    }

    /**
     * The decisions still in flight.
     *
     * @return descriptions such as "worker failed", oldest first; empty when none
     */
    public synchronized List<String> deciding() {
        return List.copyOf(deciding.values());
    }
}

package dev.phyxius.spring.autoconfigure;

import dev.phyxius.clock.Event;
import dev.phyxius.clock.EventSink;
import dev.phyxius.process.ProcessId;
import dev.phyxius.supervisor.SupervisorEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers the children that supervisors gave up on for good: an event sink for
 * {@link SupervisorEvent}s, read by the health indicator and the {@code phyxius} endpoint.
 *
 * <p>A {@link SupervisorEvent.GaveUp} counts unless the same supervisor then escalated the
 * child's failure ({@link SupervisorEvent.Escalated}): then its parent decides, and may restart
 * the whole subtree. A give-up is kept for the life of the application, since the child stays
 * {@code FAILED} and nothing brings it back by itself; the most recent {@value #KEPT} are kept
 * with their details, and {@link #total()} counts all of them.
 *
 * <p>The auto-configured supervisor options carry this sink (as they carry every
 * {@code EventSink} bean); a supervisor built from other options reports its give-ups only if its
 * sink includes this one.
 *
 * <p>Thread-safe: events arrive on many process threads at once.
 *
 * @since 0.1
 */
public final class GiveUps implements EventSink {

    /** How many give-ups are kept with their details. */
    public static final int KEPT = 64;

    /**
     * One child a supervisor gave up on.
     *
     * @param at         when, on the supervisor clock's wall time
     * @param supervisor the supervisor that gave up
     * @param child      the child's id
     * @param name       the child's name, or {@code ""} if it was never reported
     * @param restarts   the restarts inside the window that preceded it
     * @param within     the intensity window
     * @since 0.1
     */
    public record GiveUp(
            Instant at, ProcessId supervisor, ProcessId child, String name, int restarts, Duration within) {

        /**
         * Validates.
         *
         * @throws NullPointerException if an argument is {@code null}
         */
        public GiveUp {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(supervisor, "supervisor");
            Objects.requireNonNull(child, "child");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(within, "within");
        }
    }

    /** Names of live children, learned from the events that carry one; a GaveUp has none. */
    private final ConcurrentHashMap<ProcessId, String> names = new ConcurrentHashMap<>();
    /** Guarded by itself; newest last. */
    private final ArrayDeque<GiveUp> kept = new ArrayDeque<>();

    private long total;

    /** An empty record of give-ups. */
    public GiveUps() {}

    /**
     * Records give-ups and escalations; learns child names from the other supervisor events;
     * ignores every other event.
     *
     * @param event any event
     */
    @Override
    public void emit(Event event) {
        if (!(event instanceof SupervisorEvent supervisorEvent)) {
            return;
        }
        switch (supervisorEvent) {
            case SupervisorEvent.ChildStarted e -> names.put(e.child(), e.name());
            case SupervisorEvent.ChildFailed e -> names.put(e.child(), e.name());
            case SupervisorEvent.ChildRestarted e -> names.put(e.child(), e.name());
            // The GaveUp comes before the ChildStopped of the same child, so its name is still known.
            case SupervisorEvent.ChildStopped e -> names.remove(e.child());
            case SupervisorEvent.GaveUp e ->
                record(new GiveUp(
                        Instant.ofEpochMilli(e.at().wallMillis()),
                        e.supervisor(),
                        e.child(),
                        names.getOrDefault(e.child(), ""),
                        e.restarts(),
                        e.within()));
            case SupervisorEvent.Escalated e -> escalated(e.supervisor(), e.child());
            default -> {}
        }
    }

    private void record(GiveUp giveUp) {
        synchronized (kept) {
            kept.addLast(giveUp);
            total++;
            if (kept.size() > KEPT) {
                kept.removeFirst();
            }
        }
    }

    /** The give-up just before an escalation of the same child is the parent's to decide. */
    private void escalated(ProcessId supervisor, ProcessId child) {
        synchronized (kept) {
            GiveUp last = kept.peekLast();
            if (last != null
                    && last.supervisor().equals(supervisor)
                    && last.child().equals(child)) {
                kept.removeLast();
                total--;
            } else {
                // Another give-up came in between: find this one from the newest back.
                var it = kept.descendingIterator();
                while (it.hasNext()) {
                    GiveUp giveUp = it.next();
                    if (giveUp.supervisor().equals(supervisor) && giveUp.child().equals(child)) {
                        it.remove();
                        total--;
                        return;
                    }
                }
            }
        }
    }

    /**
     * The most recent give-ups, oldest first.
     *
     * @return an immutable snapshot, at most {@value #KEPT} long
     */
    public List<GiveUp> recent() {
        synchronized (kept) {
            return List.copyOf(kept);
        }
    }

    /**
     * The most recent give-ups of one supervisor, oldest first.
     *
     * @param supervisor the supervisor's id
     * @return an immutable snapshot
     * @throws NullPointerException if {@code supervisor} is {@code null}
     */
    public List<GiveUp> of(ProcessId supervisor) {
        Objects.requireNonNull(supervisor, "supervisor");
        return recent().stream()
                .filter(giveUp -> giveUp.supervisor().equals(supervisor))
                .toList();
    }

    /**
     * How many give-ups there were since the application started, including those no longer kept.
     *
     * @return the count
     */
    public long total() {
        synchronized (kept) {
            return total;
        }
    }

    @Override
    public String toString() {
        return "GiveUps[total=" + total() + "]";
    }
}

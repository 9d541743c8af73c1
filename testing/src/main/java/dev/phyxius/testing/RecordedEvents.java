package dev.phyxius.testing;

import dev.phyxius.clock.Event;
import dev.phyxius.testing.internal.EventJournal;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The events a {@link ProcessTestKit} has recorded, in arrival order: every {@code ProcessEvent},
 * {@code SupervisorEvent} and {@code ClockEvent} of what it spawned, plus any event a handler
 * emitted through {@code Tools.events()}.
 *
 * <p>Queries read a snapshot; {@code awaitEvent} and {@code awaitEvents} wait in real time for
 * events to arrive. Every assertion failure carries a dump of the whole log, one event per line.
 * Thread-safe.
 *
 * @since 0.1
 */
public final class RecordedEvents {

    /** How many events a failure message shows at most. */
    private static final int DESCRIBED_EVENTS = 200;

    private final EventJournal journal;
    private final Duration defaultTimeout;

    RecordedEvents(EventJournal journal, Duration defaultTimeout) {
        this.journal = journal;
        this.defaultTimeout = defaultTimeout;
    }

    /**
     * Every event recorded so far.
     *
     * @return an immutable snapshot, oldest first
     */
    public List<Event> all() {
        return journal.snapshot();
    }

    /**
     * The events of one type recorded so far, such as {@code ProcessEvent.Failed.class}.
     *
     * @param type the event type; subtypes match too
     * @param <E>  the event type
     * @return an immutable snapshot, oldest first
     * @throws NullPointerException if {@code type} is {@code null}
     */
    public <E extends Event> List<E> ofType(Class<E> type) {
        Objects.requireNonNull(type, "type");
        return all().stream().filter(type::isInstance).map(type::cast).toList();
    }

    /**
     * The events of one type recorded so far that match {@code match}.
     *
     * @param type  the event type
     * @param match which of them
     * @param <E>   the event type
     * @return an immutable snapshot, oldest first
     * @throws NullPointerException if an argument is {@code null}
     */
    public <E extends Event> List<E> ofType(Class<E> type, Predicate<? super E> match) {
        Objects.requireNonNull(match, "match");
        return ofType(type).stream().filter(match).map(type::cast).toList();
    }

    /**
     * Returns the first recorded event of {@code type}, waiting for one up to the kit's timeout
     * in real time.
     *
     * @param type the event type
     * @param <E>  the event type
     * @return the earliest such event, recorded before or during the call
     * @throws AssertionError       if none arrives in time; the message holds the event log
     * @throws NullPointerException if {@code type} is {@code null}
     */
    public <E extends Event> E awaitEvent(Class<E> type) {
        return awaitEvent(type, event -> true, defaultTimeout);
    }

    /**
     * Returns the first recorded event of {@code type} that matches {@code match}, waiting for one
     * up to the kit's timeout in real time. Searches the whole log, so an event that arrived
     * before the call counts.
     *
     * @param type  the event type
     * @param match which event
     * @param <E>   the event type
     * @return the earliest matching event
     * @throws AssertionError       if none arrives in time; the message holds the event log
     * @throws NullPointerException if an argument is {@code null}
     */
    public <E extends Event> E awaitEvent(Class<E> type, Predicate<? super E> match) {
        return awaitEvent(type, match, defaultTimeout);
    }

    /**
     * Like {@link #awaitEvent(Class, Predicate)} with an explicit real-time timeout. The clock is
     * not advanced: this waits for work already under way, not for timers.
     *
     * @param type    the event type
     * @param match   which event
     * @param timeout how long to wait, in real time
     * @param <E>     the event type
     * @return the earliest matching event
     * @throws AssertionError       if none arrives in time; the message holds the event log
     * @throws NullPointerException if an argument is {@code null}
     */
    public <E extends Event> E awaitEvent(Class<E> type, Predicate<? super E> match, Duration timeout) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(match, "match");
        Objects.requireNonNull(timeout, "timeout");
        long deadline = System.nanoTime() + timeout.toNanos();
        int seen = 0;
        while (true) {
            List<Event> events = all();
            for (int i = seen; i < events.size(); i++) {
                Event event = events.get(i);
                if (type.isInstance(event) && match.test(type.cast(event))) {
                    return type.cast(event);
                }
            }
            seen = events.size();
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("expected a " + typeName(type) + " matching the condition within " + timeout
                        + " (real time), none was recorded\n" + describe());
            }
            try {
                journal.awaitMoreThan(seen, Duration.ofNanos(left));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for a " + typeName(type), e);
            }
        }
    }

    /**
     * Returns the first {@code count} recorded events of {@code type}, waiting for them up to the
     * kit's timeout in real time; see {@link #awaitEvents(Class, int, Predicate)}.
     *
     * @param type  the event type
     * @param count how many, at least 1
     * @param <E>   the event type
     * @return the earliest {@code count} such events, oldest first
     * @throws AssertionError           if fewer arrive in time; the message holds the event log
     * @throws IllegalArgumentException if {@code count} is less than 1
     * @throws NullPointerException     if {@code type} is {@code null}
     */
    public <E extends Event> List<E> awaitEvents(Class<E> type, int count) {
        return awaitEvents(type, count, event -> true);
    }

    /**
     * Returns the first {@code count} recorded events of {@code type} that match {@code match},
     * waiting up to the kit's timeout in real time for the last of them: the {@code n}-th restart,
     * the second message handled. Searches the whole log, so events that arrived before the call
     * count. More may arrive later; assert an exact number with {@link #assertCount} once the
     * system is at rest.
     *
     * @param type  the event type
     * @param count how many, at least 1
     * @param match which events count
     * @param <E>   the event type
     * @return the earliest {@code count} matching events, oldest first
     * @throws AssertionError           if fewer arrive in time; the message holds the event log
     * @throws IllegalArgumentException if {@code count} is less than 1
     * @throws NullPointerException     if {@code type} or {@code match} is {@code null}
     */
    public <E extends Event> List<E> awaitEvents(Class<E> type, int count, Predicate<? super E> match) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(match, "match");
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, was " + count);
        }
        long deadline = System.nanoTime() + defaultTimeout.toNanos();
        while (true) {
            int seen = journal.size();
            List<E> found = ofType(type, match);
            if (found.size() >= count) {
                return found.subList(0, count);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError(
                        "expected " + count + " x " + typeName(type) + " matching the condition within "
                                + defaultTimeout + " (real time), " + found.size() + " recorded\n" + describe());
            }
            try {
                journal.awaitMoreThan(seen, Duration.ofNanos(left));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + count + " x " + typeName(type), e);
            }
        }
    }

    /**
     * Asserts that no event of {@code type} was recorded so far.
     *
     * @param type the event type
     * @throws AssertionError       if one was; the message holds the event log
     * @throws NullPointerException if {@code type} is {@code null}
     */
    public void assertNone(Class<? extends Event> type) {
        assertNone(type, event -> true);
    }

    /**
     * Asserts that no event of {@code type} matching {@code match} was recorded so far.
     *
     * @param type  the event type
     * @param match which events are forbidden
     * @param <E>   the event type
     * @throws AssertionError       if one was; the message holds the event log
     * @throws NullPointerException if an argument is {@code null}
     */
    public <E extends Event> void assertNone(Class<E> type, Predicate<? super E> match) {
        List<E> found = ofType(type, match);
        if (!found.isEmpty()) {
            throw new AssertionError("expected no " + typeName(type) + ", found " + found.size() + ", first: "
                    + found.get(0) + "\n" + describe());
        }
    }

    /**
     * Asserts how many events of {@code type} were recorded so far.
     *
     * @param type     the event type
     * @param expected the count
     * @param <E>      the event type
     * @return those events, oldest first
     * @throws AssertionError       if the count differs; the message holds the event log
     * @throws NullPointerException if {@code type} is {@code null}
     */
    public <E extends Event> List<E> assertCount(Class<E> type, int expected) {
        List<E> found = ofType(type);
        if (found.size() != expected) {
            throw new AssertionError(
                    "expected " + expected + " x " + typeName(type) + ", found " + found.size() + "\n" + describe());
        }
        return found;
    }

    /**
     * The event log, one event per line with its index and monotonic time.
     *
     * @return the dump; never {@code null}
     */
    public String dump() {
        return EventJournal.dump(all(), 0);
    }

    /**
     * The event log under a heading, as assertion messages show it.
     *
     * @return the description
     */
    @Override
    public String toString() {
        return describe();
    }

    /** The log for failure messages: its tail, since a test's last events are the telling ones. */
    String describe() {
        List<Event> events = all();
        if (events.size() <= DESCRIBED_EVENTS) {
            return "event log:\n" + EventJournal.dump(events, 0);
        }
        int from = events.size() - DESCRIBED_EVENTS;
        return "event log (last " + DESCRIBED_EVENTS + " of " + events.size() + " events; dump() shows all):\n"
                + EventJournal.dump(events.subList(from, events.size()), from);
    }

    static String typeName(Class<?> type) {
        String name = type.getName();
        return name.substring(name.lastIndexOf('.') + 1).replace('$', '.');
    }
}

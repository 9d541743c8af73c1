package dev.phyxius.testing.internal;

import dev.phyxius.clock.Event;
import dev.phyxius.clock.EventSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The test kit's event sink: keeps every event in arrival order and wakes whoever waits for one.
 * Thread-safe; events arrive on process threads, the clock's advancing thread and supervisor
 * callbacks.
 */
public final class EventJournal implements EventSink {

    private static final Pattern CLASS_NAME = Pattern.compile("(?<==)class (?:\\w+\\.)*([\\w$]+)");

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<Event> events = new ArrayList<>();
    /** Sees each event before waiters wake, so that whoever an event wakes sees its effect. */
    private final Consumer<Event> listener;

    /**
     * Creates an empty journal.
     *
     * @param listener called with each event, on the emitting thread, before it is recorded
     */
    public EventJournal(Consumer<Event> listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** Creates an empty journal with no listener. */
    public EventJournal() {
        this(event -> {});
    }

    @Override
    public void emit(Event event) {
        Objects.requireNonNull(event, "event");
        listener.accept(event);
        lock.lock();
        try {
            events.add(event);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A snapshot of every event so far, in arrival order. */
    public List<Event> snapshot() {
        lock.lock();
        try {
            return List.copyOf(events);
        } finally {
            lock.unlock();
        }
    }

    /** How many events have arrived so far; an index into later snapshots. */
    public int size() {
        lock.lock();
        try {
            return events.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until more than {@code seen} events have arrived or {@code atMost} has passed in real
     * time, whichever comes first.
     *
     * @return {@code true} if more than {@code seen} events have arrived
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public boolean awaitMoreThan(int seen, Duration atMost) throws InterruptedException {
        long left = atMost.toNanos();
        lock.lock();
        try {
            while (events.size() <= seen) {
                if (left <= 0) {
                    return false;
                }
                left = changed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * One event per line with its index and monotonic time, for assertion messages.
     *
     * @param events    the events to describe
     * @param firstIndex the log index of {@code events.get(0)}
     * @return the description; "(no events)" if there are none
     */
    public static String dump(List<? extends Event> events, int firstIndex) {
        if (events.isEmpty()) {
            return "  (no events)";
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < events.size(); i++) {
            Event event = events.get(i);
            if (i > 0) {
                out.append('\n');
            }
            out.append(String.format("  #%-3d %10s  %s", firstIndex + i, at(event), describe(event)));
        }
        return out.toString();
    }

    private static String at(Event event) {
        try {
            long nanos = event.at().monoNanos();
            return "+" + TimeUnit.NANOSECONDS.toMillis(nanos) + "ms";
        } catch (RuntimeException broken) {
            // A user's event may compute at() and fail; the dump must still be written.
            return "?";
        }
    }

    /** The event's type as written in code (ProcessEvent.Failed) and its record components. */
    private static String describe(Event event) {
        String type = event.getClass().getName();
        type = type.substring(type.lastIndexOf('.') + 1).replace('$', '.');
        String text;
        try {
            text = String.valueOf(event);
        } catch (RuntimeException broken) {
            text = "<toString threw " + broken + ">";
        }
        // Records print as SimpleName[...]; prefix the enclosing type so ProcessEvent.Failed and
        // SupervisorEvent.ChildFailed read apart.
        String simple = event.getClass().getSimpleName();
        // The time is printed in its own column already.
        text = text.replaceFirst("at=Timestamp\\[[^\\]]*\\](, )?", "");
        // "messageType=class com.example.Orders$Place" reads better as "Orders.Place".
        text = CLASS_NAME
                .matcher(text)
                .replaceAll(match -> Matcher.quoteReplacement(match.group(1).replace('$', '.')));
        return text.startsWith(simple) ? type + text.substring(simple.length()) : type + " " + text;
    }
}

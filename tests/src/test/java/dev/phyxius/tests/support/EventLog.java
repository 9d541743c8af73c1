package dev.phyxius.tests.support;

import dev.phyxius.clock.Event;
import dev.phyxius.clock.EventSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** A thread-safe recording sink that tests wait on instead of sleeping. */
public final class EventLog implements EventSink {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<Event> events = new ArrayList<>();

    @Override
    public void emit(Event event) {
        lock.lock();
        try {
            events.add(event);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A snapshot of every event so far. */
    public List<Event> all() {
        lock.lock();
        try {
            return List.copyOf(events);
        } finally {
            lock.unlock();
        }
    }

    /** The events of one type so far. */
    public <E extends Event> List<E> ofType(Class<E> type) {
        return all().stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** How many events of one type so far. */
    public long count(Class<? extends Event> type) {
        return all().stream().filter(type::isInstance).count();
    }

    /** Waits until {@code count} events of {@code type} matching {@code match} have been seen. */
    public <E extends Event> List<E> await(Class<E> type, int count, Predicate<? super E> match) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        lock.lock();
        try {
            for (;;) {
                List<E> found = events.stream().filter(type::isInstance).map(type::cast)
                        .filter(match).collect(Collectors.toList());
                if (found.size() >= count) {
                    return found;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("timed out waiting for " + count + " x " + type.getSimpleName()
                            + "; events were:\n" + dump());
                }
                changed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } finally {
            lock.unlock();
        }
    }

    /** Waits for the first event of {@code type}. */
    public <E extends Event> E await(Class<E> type) {
        return await(type, 1, e -> true).get(0);
    }

    /** Waits for {@code count} events of {@code type}. */
    public <E extends Event> List<E> await(Class<E> type, int count) {
        return await(type, count, e -> true);
    }

    /** One event per line, for assertion messages. */
    public String dump() {
        lock.lock();
        try {
            return events.stream().map(Object::toString).collect(Collectors.joining("\n  ", "  ", ""));
        } finally {
            lock.unlock();
        }
    }

    /** Waits until {@code condition} holds, polling politely; for states no event announces. */
    public static void until(String what, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}

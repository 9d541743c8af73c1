package dev.phyxius.supervisor;

import dev.phyxius.clock.EventSink;
import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A supervisor's events, queued in the order its decisions made them (under the supervisor's
 * lock) and delivered after the lock is released, by one thread at a time. The sink is a user's
 * callback: called under the lock, a slow one would keep every other child's failure from being
 * decided. A thread that finds another delivering leaves its events to it instead of waiting: no
 * child thread ever blocks on the supervisor, or on a sink another child is slow in. Actions that
 * must follow the events queued so far (completing a stop, forgetting a child) wait in the same
 * queue.
 */
final class EventOutbox {

    private final EventSink sink;
    private final ReentrantLock lock;

    // Guarded by lock.
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private boolean delivering;

    /**
     * @param sink the supervisor's sink, or {@code null} for none (events are then dropped and
     *             actions run at once)
     * @param lock the supervisor's lock, which orders the queue as it orders decisions
     */
    EventOutbox(EventSink sink, ReentrantLock lock) {
        this.sink = sink;
        this.lock = lock;
    }

    /** Queues an event. The caller holds the lock, or delivers right after ({@link #deliverIfFree}). */
    void add(SupervisorEvent event) {
        if (sink != null) {
            lock.lock();
            try {
                queue.add(() -> deliver(event));
            } finally {
                lock.unlock();
            }
        }
    }

    /** Queues an action to run once every event queued so far is delivered. */
    void afterEvents(Runnable action) {
        if (sink == null) {
            action.run();
            return;
        }
        lock.lock();
        try {
            queue.add(action);
        } finally {
            lock.unlock();
        }
        deliverIfFree();
    }

    /**
     * Delivers what is queued, in order, unless this thread still holds the lock (the outermost
     * release delivers) or another thread is delivering (it will deliver these too).
     */
    void deliverIfFree() {
        if (sink == null || lock.isHeldByCurrentThread()) {
            return;
        }
        lock.lock();
        try {
            if (delivering || queue.isEmpty()) {
                return;
            }
            delivering = true;
        } finally {
            lock.unlock();
        }
        for (; ; ) {
            Runnable next;
            lock.lock();
            try {
                next = queue.poll();
                if (next == null) {
                    delivering = false;
                    return;
                }
            } finally {
                lock.unlock();
            }
            try {
                next.run();
            } catch (RuntimeException e) {
                // An action completes a future or tells another supervisor; a broken one must not
                // keep later events from being delivered.
            }
        }
    }

    private void deliver(SupervisorEvent event) {
        try {
            sink.emit(event);
        } catch (Throwable ignored) {
            // A sink that throws must never break supervision; events are the only log we have.
        }
    }
}

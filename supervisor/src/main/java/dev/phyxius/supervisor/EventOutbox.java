package dev.phyxius.supervisor;

import dev.phyxius.clock.Event;
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
 *
 * <p>The children's own events ({@link #childEvent}) join the queue while it holds anything, so
 * that a child's fresh life (its {@code ProcessEvent.Restarted}) is never reported before the decision that restarted it: without
 * that, a restart done while another thread is still delivering the decision would let the
 * child's {@code Restarted} reach the sink first. With nothing queued they go straight to the
 * sink, which keeps the per-message events of a healthy tree off any lock.
 *
 * <p>The queue has a lock of its own, held only to add or take one entry and never while calling
 * out: a child's thread may add its events while it holds its own monitor, and the supervisor's
 * lock is taken around decisions that call into children, so sharing that lock here could
 * deadlock.
 */
final class EventOutbox {

    private final EventSink sink;
    private final ReentrantLock decisions;
    private final ReentrantLock queueLock = new ReentrantLock();

    // Guarded by queueLock.
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private boolean delivering;
    /**
     * Whether anything is queued or being delivered; written under queueLock, read without it by
     * a child's event as a fast path (a stale {@code true} only sends it the slow way).
     */
    private volatile boolean busy;

    /**
     * @param sink      the supervisor's sink, or {@code null} for none (events are then dropped and
     *                  actions run at once)
     * @param decisions the supervisor's lock: what is queued while a thread holds it is delivered
     *                  once that thread releases it
     */
    EventOutbox(EventSink sink, ReentrantLock decisions) {
        this.sink = sink;
        this.decisions = decisions;
    }

    /** Queues an event. The caller holds the lock, or delivers right after ({@link #deliverIfFree}). */
    void add(SupervisorEvent event) {
        if (sink != null) {
            enqueue(() -> deliver(event));
        }
    }

    /** Queues an action to run once every event queued so far is delivered. */
    void afterEvents(Runnable action) {
        if (sink == null) {
            action.run();
            return;
        }
        enqueue(action);
        deliverIfFree();
    }

    /**
     * The sink the supervisor's children report to: an event goes straight to the sink when
     * nothing is queued, and behind what is queued otherwise (delivered by whoever delivers that).
     * Never waits for another thread's delivery.
     *
     * @param event a child's event
     */
    void childEvent(Event event) {
        boolean held = decisions.isHeldByCurrentThread();
        if (!busy && !held) {
            deliver(event); // nothing queued: no decision can be waiting to come first
            return;
        }
        queueLock.lock();
        try {
            if (delivering || !queue.isEmpty() || held) {
                // Someone delivers what is queued and will take this too: a thread delivering
                // loops until the queue is empty, and one that queued under the supervisor's
                // lock delivers when it releases it.
                queue.add(() -> deliver(event));
                busy = true;
                return;
            }
        } finally {
            queueLock.unlock();
        }
        deliver(event);
    }

    private void enqueue(Runnable entry) {
        queueLock.lock();
        try {
            queue.add(entry);
            busy = true;
        } finally {
            queueLock.unlock();
        }
    }

    /**
     * Delivers what is queued, in order, unless this thread still holds the supervisor's lock (the
     * outermost release delivers) or another thread is delivering (it will deliver these too).
     */
    void deliverIfFree() {
        if (sink == null || decisions.isHeldByCurrentThread()) {
            return;
        }
        queueLock.lock();
        try {
            if (delivering || queue.isEmpty()) {
                return;
            }
            delivering = true;
        } finally {
            queueLock.unlock();
        }
        for (; ; ) {
            Runnable next;
            queueLock.lock();
            try {
                next = queue.poll();
                if (next == null) {
                    delivering = false;
                    busy = false;
                    return;
                }
            } finally {
                queueLock.unlock();
            }
            try {
                next.run();
            } catch (RuntimeException e) {
                // An action completes a future or tells another supervisor; a broken one must not
                // keep later events from being delivered.
            }
        }
    }

    private void deliver(Event event) {
        try {
            sink.emit(event);
        } catch (Throwable ignored) {
            // A sink that throws must never break supervision; events are the only log we have.
        }
    }
}

package dev.phyxius.process.internal;

import dev.phyxius.clock.Cancellable;
import dev.phyxius.process.ProcessTerminatedException;
import dev.phyxius.process.StopReason;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The fields a process needs only once something rare happens (a stop, a supervisor's request, a
 * waiting sender, an ask answered later): kept apart so an idle process costs only its core.
 * Lifecycle fields are guarded by the process's monitor.
 */
final class Extras {
    final CompletableFuture<Void> stopped = new CompletableFuture<>();
    final CompletableFuture<StopReason> termination = new CompletableFuture<>();

    // Guarded by the process's monitor.
    StopReason stopReason;
    StopReason selfStop;
    boolean restartRequested;
    StopReason suspendReason;
    boolean terminateAsFailure;
    /** Package-visible for the timeout check; guarded by the process's monitor. */
    CompletableFuture<Void> suspendWaiter;
    /** Interrupts a handler that holds up a suspend; guarded by the process's monitor. */
    Cancellable suspendTimer;

    /** Guarded by the process's monitor. */
    Cancellable shutdownTimer;
    /**
     * Threads still telling the supervisor that a life or the process ended (its {@code ended}
     * or {@code terminated} hook, or the suspension's waiter, is running): while above zero the
     * process is not at rest. A count,
     * because the next life may end while the last teller of the previous one is finishing. Here
     * rather than in the process, whose every byte counts while idle. Guarded by the process's
     * monitor.
     */
    int tellers;

    final ReentrantLock roomLock = new ReentrantLock();
    final Condition room = roomLock.newCondition();
    /** Written under roomLock; read without it by the drain, which only needs a hint. */
    volatile int roomWaiters;

    private final Set<AskReply<?>> outstanding = ConcurrentHashMap.newKeySet();

    /** Guarded by the process's monitor. */
    CompletableFuture<Void> suspendWaiter() {
        if (suspendWaiter == null) {
            suspendWaiter = new CompletableFuture<>();
        }
        return suspendWaiter;
    }

    /** Takes the waiter of a pending suspend, if any. Guarded by the process's monitor. */
    CompletableFuture<Void> takeSuspendWaiter() {
        CompletableFuture<Void> waiter = suspendWaiter;
        suspendWaiter = null;
        return waiter;
    }

    /** Takes the timer of a pending suspend, if any. Guarded by the process's monitor. */
    Cancellable takeSuspendTimer() {
        Cancellable timer = suspendTimer;
        suspendTimer = null;
        return timer;
    }

    void signalRoom() {
        roomLock.lock();
        try {
            room.signalAll();
        } finally {
            roomLock.unlock();
        }
    }

    /** Remembers an ask whose message was handled but not answered yet. */
    void outstanding(AskReply<?> reply) {
        reply.tracked = true;
        outstanding.add(reply);
        if (reply.isDone()) {
            outstanding.remove(reply);
        }
    }

    void forget(AskReply<?> reply) {
        outstanding.remove(reply);
    }

    void failOutstanding(ProcessCore<?, ?, ?> process, StopReason reason) {
        for (AskReply<?> reply : outstanding) {
            reply.fail(new ProcessTerminatedException(
                    "process '" + process.name() + "' (" + process.id() + ") ended before answering: " + reason,
                    reason));
        }
        outstanding.clear();
    }
}

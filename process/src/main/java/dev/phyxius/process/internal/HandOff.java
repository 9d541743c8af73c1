package dev.phyxius.process.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A drain thread's hand-off slot: the idle process that the handler running on this thread woke
 * last, kept to run right here, on this thread, once the handler has returned and its own process
 * has nothing left to do. A reply, a ping-pong partner or the next process of a ring then costs
 * no thread start and no trip to another carrier: the woken process simply runs next, as a
 * goroutine in Go's {@code runnext} slot does.
 *
 * <p><b>Why it is safe.</b> A handler may block after it sent (on a lock, I/O, a latch, an ask)
 * until the process it woke has run. The slot must then not hold that process back: the
 * {@link HandOffMonitor}, a thread of its own like Go's {@code sysmon}, looks at every slot in
 * use and starts the kept process on a thread of its own as soon as the handler that keeps it is
 * blocked or has run for a whole check period. Phyxius' own blocking calls ({@code ask},
 * {@code send} with a timeout) empty the slot before they wait. A second wake while the slot is
 * full starts the displaced process on its own thread, so a handler that fans out keeps only the
 * last one, and the others run in parallel.
 *
 * <p><b>Ordering.</b> The slot is written by its own thread ({@link #keep}) and emptied by its own
 * thread or by the monitor ({@link #take}): both take with one atomic swap, so a kept process is
 * started exactly once. {@link #handlerStarted} is an opaque counter the monitor compares between
 * two checks; a stale read only delays a hand-off by one period.
 */
final class HandOff {

    private static final ThreadLocal<HandOff> CURRENT = new ThreadLocal<>();
    private static final VarHandle NEXT;
    private static final VarHandle STAMP;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            NEXT = lookup.findVarHandle(HandOff.class, "next", Drain.class);
            STAMP = lookup.findVarHandle(HandOff.class, "stamp", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Thread thread;

    @SuppressWarnings("unused") // accessed through NEXT
    private volatile Drain next;

    @SuppressWarnings("unused") // accessed through STAMP
    private int stamp;
    /** Own thread only: registered with the monitor (from the first keep until the thread ends). */
    private boolean watched;
    /** The next older watched slot; see {@link HandOffMonitor}. Monitor only once pushed. */
    HandOff nextWatched;
    /** The thread ended and the slot is empty: the monitor unlinks it. */
    volatile boolean exited;
    /** Own thread only: messages handled and processes switched to since the last fairness check. */
    int steps;
    /** Own thread only: when this thread last let other virtual threads run. */
    long sliceStart;
    /**
     * Own thread only: when the last timed handler on this thread returned normally, if the next
     * message of the same process follows it with nothing in between but the dequeue; otherwise 0.
     * That message then started when this one finished, and one clock reading serves both. Kept
     * here rather than in the process, so that an idle process does not carry it.
     */
    long lastFinished;

    // Monitor thread only: what the last check saw.
    private Drain seenNext;
    private int seenStamp;

    private HandOff(Thread thread) {
        this.thread = thread;
        this.sliceStart = System.nanoTime();
    }

    /** Makes the current thread a drain thread with an empty slot. */
    static HandOff enter() {
        HandOff handOff = new HandOff(Thread.currentThread());
        CURRENT.set(handOff);
        return handOff;
    }

    /** The current thread's slot, or {@code null} if it is not a drain thread. */
    static HandOff current() {
        return CURRENT.get();
    }

    /** The drain thread ends: its slot is empty (the trampoline ran everything it kept). */
    void exit() {
        CURRENT.remove();
        if (watched) {
            HandOffMonitor.unwatch(this);
        }
    }

    /**
     * Keeps {@code process}, whose consumer role the caller has just claimed, to run on this
     * thread. Own thread only.
     *
     * @return the process it displaces, which the caller must start on a thread of its own
     */
    Drain keep(Drain process) {
        if (!watched) {
            watched = true;
            HandOffMonitor.watch(this);
        }
        return (Drain) NEXT.getAndSet(this, process);
    }

    /** Takes the kept process, if any; it is the caller's to run or start. Any thread. */
    Drain take() {
        return NEXT.getVolatile(this) == null ? null : (Drain) NEXT.getAndSet(this, null);
    }

    /** Whether a process is kept. A plain read: a hint for the drain's own decisions. */
    boolean holds() {
        return NEXT.getOpaque(this) != null;
    }

    /** Starts whatever is kept on a thread of its own: the caller is about to wait. */
    void release() {
        Drain kept = take();
        if (kept != null) {
            kept.startThread();
        }
    }

    /** A handler (or init, or onStop) is about to run on this thread. Own thread only. */
    void handlerStarted() {
        STAMP.setOpaque(this, (int) STAMP.getOpaque(this) + 1);
    }

    /**
     * Monitor thread only: starts the kept process on a thread of its own if the thread that keeps
     * it is blocked, or has been in the same handler since the last check.
     */
    void check() {
        Drain kept = (Drain) NEXT.getVolatile(this);
        int handlers = (int) STAMP.getOpaque(this);
        if (kept == null) {
            seenNext = null;
            return;
        }
        Thread.State state = thread.getState();
        boolean blocked =
                state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING || state == Thread.State.BLOCKED;
        if (blocked || (kept == seenNext && handlers == seenStamp)) {
            seenNext = null;
            release();
        } else {
            seenNext = kept;
            seenStamp = handlers;
        }
    }
}

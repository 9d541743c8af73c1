package dev.phyxius.process.internal;

import dev.phyxius.clock.Clock;
import dev.phyxius.clock.EventSink;
import dev.phyxius.process.ProcessInstrumentation;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The third layer of a process (see {@link ProcessCore}): the drain, which owns the consumer
 * role while there is work and runs on a virtual thread only then. Three parts: activation (who
 * starts a drain, and on which thread), batching (how long a drain keeps its carrier), release
 * (how a drain gives the role up).
 *
 * <p><b>Activation.</b> A send that claims the consumer role {@linkplain #wake wakes} the process.
 * From a plain thread that starts a virtual thread. From a drain thread (a handler sending), the
 * process is kept in that thread's {@link HandOff} slot instead and runs on the same thread as
 * soon as the handler has returned and its own process has nothing left: a reply or a partner's
 * next message costs no thread switch. The {@link HandOffMonitor} frees a kept process whose
 * waker blocks or runs long, so a blocking handler never holds another process back. A process on
 * a custom thread factory (the simulation's scheduler) always gets a thread from the factory.
 *
 * <p><b>Batching.</b> A busy drain yields its carrier once per time slice ({@code SLICE_NANOS},
 * checked every {@code BATCH} messages or switches); with a hand-off slot the slice belongs to
 * the thread, across the processes it runs, so a chain of processes waking each other on one
 * thread cannot starve others of the carrier either.
 *
 * <p><b>Release.</b> An empty drain with a kept process releases at once and runs it. Without one
 * it spins briefly on the state word first: a partner on another carrier (a reply, an asker's next
 * request) usually answers within microseconds, and that answer then finds this process still
 * scheduled. The spin is bounded in time and adapts per process: it doubles when the next wake-up
 * came soon after the release and halves when it came late, down to no spin at all; a process on
 * a custom thread factory or a single carrier never spins. The release is a CAS on the state
 * word, so it fails if a message was accepted meanwhile; a lifecycle request that raced with it
 * is caught by re-reading its flag and re-claiming the role. Figures: benchmarks/README.md, "What
 * we tried".
 */
abstract class Drain extends Mailbox implements Runnable {

    /** Messages or switches between two reads of the clock that decides whether to yield. */
    static final int BATCH = 64;
    /**
     * Longest time a busy drain thread keeps its carrier before yielding to other virtual threads.
     * A yield costs about a microsecond (unmount, resubmit, remount), so yielding every
     * {@link #BATCH} messages cost a third of a 1-to-1 tell; a time slice keeps the fairness for
     * a fraction of it.
     */
    private static final long SLICE_NANOS = Long.getLong("phyxius.slice.micros", 100L) * 1_000L;
    /**
     * Bounds of an empty drain's adaptive spin before it releases its thread, in nanoseconds. The
     * floor keeps a process able to learn that spinning pays; the ceiling bounds the carrier time
     * one idle moment can cost the virtual threads queued behind it.
     */
    private static final int SPIN_MIN_NANOS = Integer.getInteger("phyxius.spin.min.nanos", 500);

    private static final int SPIN_MAX_NANOS =
            Math.max(SPIN_MIN_NANOS, Integer.getInteger("phyxius.spin.max.nanos", 16_000));
    /**
     * A drain that starts within this many spin budgets after the previous one released (and
     * within {@link #SPIN_NEAR_FLOOR_NANOS} at least) was woken by a message a longer spin would
     * have caught: the next spin doubles. Otherwise it halves, down to no spin at all.
     */
    private static final int SPIN_NEAR_FACTOR = 8;

    private static final int SPIN_NEAR_FLOOR_NANOS = 16_000;
    /**
     * Whether the JDK's virtual-thread scheduler has more than one carrier. With one, a spinning
     * drain holds the only carrier its partner could answer on, so it never spins.
     */
    private static final boolean SEVERAL_CARRIERS = Integer.getInteger(
                    "jdk.virtualThreadScheduler.parallelism",
                    Runtime.getRuntime().availableProcessors())
            > 1;
    /** {@link #spinNanos} of a process that never spins. */
    private static final int NEVER_SPINS = -1;
    /**
     * Whether sends from a handler keep the process they wake in the drain thread's hand-off slot;
     * off ({@code -Dphyxius.handoff=false}) only to measure what it buys.
     */
    private static final boolean HAND_OFF = !"false".equals(System.getProperty("phyxius.handoff"));

    /**
     * Drains started from outside the scheduler's carriers (a plain thread, a timer, the hand-off
     * monitor), and those of them that began to run. Such a drain waits in the scheduler's
     * external queue, which a carrier whose local queue never empties does not look at: while one
     * waits, a drain at the end of its slice lets it go first (see {@link #fairness}).
     */
    private static final LongAdder STARTED_OUTSIDE = new LongAdder();

    private static final LongAdder RAN_OUTSIDE = new LongAdder();

    /** Makes drain threads; null for the default, a virtual thread per activation. */
    final ThreadFactory threadFactory;
    /** The pending drain was started from outside the carriers; written before the start. */
    private boolean startedOutside;
    /**
     * The drain thread while one runs this process: lets a handler's self-ask and self-stop be
     * recognised, and a stuck handler be interrupted. Cleared under the monitor when a life ends.
     */
    volatile Thread drainThread;
    /** A lifecycle request waits for the drain; set under the monitor before claiming the role. */
    volatile boolean controlPending;
    /**
     * Current spin budget of an empty drain: 0 (a new process, or one whose messages come far
     * apart, does not spin), within the bounds above, or {@link #NEVER_SPINS}. Drain only.
     */
    private int spinNanos;
    /**
     * {@link System#nanoTime()} of the last release of the consumer role, in units of 1,024 ns and
     * truncated to an int (it wraps after about an hour; only short differences are compared), so
     * that an idle process stays small; 0 until the first release. Drain only.
     */
    private int releasedAt;

    Drain(
            int maxInbox,
            boolean dropOldest,
            Clock clock,
            EventSink sink,
            ProcessInstrumentation instrumentation,
            int timingSample,
            String name,
            Node stub,
            ThreadFactory threadFactory) {
        super(maxInbox, dropOldest, clock, sink, instrumentation, timingSample, name, stub);
        this.threadFactory = threadFactory;
        // A custom thread factory may run drains anywhere (one carrier, platform threads, the
        // simulation's scheduler), where a spin cannot be known to pay.
        this.spinNanos = SEVERAL_CARRIERS && threadFactory == null ? 0 : NEVER_SPINS;
    }

    /** Acts on pending lifecycle requests; true if this drain must end. Role owner only. */
    abstract boolean runControl();

    /**
     * Handles one dequeued message; false if the handler failed and this drain must end.
     *
     * @param thread the drain thread's hand-off slot, or {@code null} under a thread factory; its
     *     {@link HandOff#lastFinished} chains the timing of messages handled back to back
     */
    abstract boolean handle(Node node, HandOff thread);

    /** A message was dequeued: a sender waiting for room may go on. */
    abstract void roomMade();

    // ---------------------------------------------------------------------------------------
    // Activation

    /**
     * A send claimed the consumer role: start the drain. From a drain thread, the process is kept
     * in that thread's hand-off slot to run there once the current handler has returned.
     */
    @Override
    final void wake() {
        if (HAND_OFF && threadFactory == null) {
            HandOff handOff = HandOff.current();
            if (handOff != null) {
                Drain displaced = handOff.keep(this);
                if (displaced != null) {
                    displaced.startThread();
                }
                return;
            }
        }
        startThread();
    }

    /** Starts the drain on a thread of its own: for lifecycle requests and freed hand-offs. */
    final void startThread() {
        if (threadFactory == null) {
            boolean outside = !Thread.currentThread().isVirtual();
            startedOutside = outside;
            if (outside) {
                STARTED_OUTSIDE.increment();
            }
            Thread.startVirtualThread(this);
        } else {
            threadFactory.newThread(this).start();
        }
    }

    /** Starts what the current drain thread keeps, if it is one: the caller is about to wait. */
    static void releaseHandOff() {
        if (HAND_OFF) {
            HandOff handOff = HandOff.current();
            if (handOff != null) {
                handOff.release();
            }
        }
    }

    /**
     * A drain thread: drains this process, then whatever process the last handler woke and kept
     * in the hand-off slot, and so on, on this one thread, for as long as each finds work.
     */
    @Override
    public final void run() {
        if (threadFactory != null) {
            // A custom factory decides where drains run (the simulation's scheduler): no hand-off.
            drain(null, true);
            return;
        }
        if (startedOutside) {
            startedOutside = false;
            RAN_OUTSIDE.increment();
        }
        HandOff handOff = HandOff.enter();
        try {
            Drain next = drain(handOff, true);
            while (next != null) {
                // An interrupt meant for the process that just finished must not reach the next.
                Thread.interrupted();
                fairness(handOff);
                next = next.drain(handOff, false);
            }
        } finally {
            handOff.exit();
        }
    }

    // ---------------------------------------------------------------------------------------
    // Batching

    /**
     * Counts a step (a message, or a switch to a kept process) and, every {@link #BATCH} steps,
     * lets other virtual threads run if this thread has had its carrier for a whole slice.
     *
     * <p>A yield puts this thread back on its carrier's local queue, which the carrier runs
     * until it is empty before it looks at the external queue: drains that keep yielding to each
     * other would starve a drain started from a plain thread. While such a drain waits, this one
     * parks for a nanosecond instead: its wake-up comes from the JDK's timer thread, so it waits in
     * the external queue too, behind the one started earlier.
     */
    private static boolean fairness(HandOff handOff) {
        if (++handOff.steps >= BATCH) {
            handOff.steps = 0;
            long now = System.nanoTime();
            if (now - handOff.sliceStart >= SLICE_NANOS) {
                if (STARTED_OUTSIDE.sum() > RAN_OUTSIDE.sum()) {
                    LockSupport.parkNanos(1L);
                } else {
                    Thread.yield();
                }
                handOff.sliceStart = System.nanoTime();
                return true;
            }
        }
        return false;
    }

    /**
     * Drains this process until it has nothing left or its life ends.
     *
     * @param handOff this thread's hand-off slot, or {@code null} without one
     * @param woken   whether the process was woken from idle onto this new thread (not kept by
     *                the previous process on it): only then does its spin budget adapt
     * @return the process to run next on this thread (kept by a handler), or {@code null}
     */
    private Drain drain(HandOff handOff, boolean woken) {
        Thread current = Thread.currentThread();
        drainThread = current;
        int batch = 0;
        // CPU time slices are real time whatever the process's Clock says: a ControlledClock must
        // not be able to stop a busy drain from ever yielding its carrier. With a hand-off slot
        // the slice belongs to the thread, across the processes it runs.
        long sliceStart = handOff == null ? System.nanoTime() : 0L;
        if (woken) {
            adaptSpin(handOff == null ? sliceStart : handOff.sliceStart);
        }
        // Timing chains only from one message of this process to the next with nothing in
        // between but the dequeue (see HandOff.lastFinished), and never without a slot: under a
        // thread factory a simulation schedules at every clock reading, and its interleavings must
        // not depend on where a drain's messages happen to be back to back.
        unchain(handOff);
        for (; ; ) {
            if (controlPending) {
                unchain(handOff);
                if (runControl()) {
                    return handOff == null ? null : handOff.take();
                }
                continue;
            }
            Node node = poll();
            if (node == null) {
                unchain(handOff);
                // With a woken process kept, it runs here next: no reason to spin for our own.
                if ((handOff == null || !handOff.holds()) && spinForWork()) {
                    continue;
                }
                if (release(current, handOff)) {
                    return handOff == null ? null : handOff.take();
                }
                continue;
            }
            roomMade();
            if (handOff != null) {
                handOff.handlerStarted();
            }
            if (!handle(node, handOff)) {
                return handOff == null ? null : handOff.take();
            }
            if (handOff != null) {
                if (handOff.holds() && hasMore()) {
                    // Both have work: the kept process gets a thread of its own and they run in
                    // parallel, instead of one waiting for the other to run dry.
                    handOff.release();
                    unchain(handOff);
                }
                if (fairness(handOff)) {
                    unchain(handOff);
                }
            } else if (threadFactory == null && ++batch == BATCH) {
                // With a thread factory the threads' owner schedules them (a simulation replays a
                // seed's interleaving): a yield timed on the real clock would differ run to run.
                batch = 0;
                long now = System.nanoTime();
                if (now - sliceStart >= SLICE_NANOS) {
                    // Fairness: let other processes on the same carriers progress.
                    Thread.yield();
                    sliceStart = System.nanoTime();
                }
            }
        }
    }

    /** Something other than a dequeue came between two messages: the next one is timed afresh. */
    private static void unchain(HandOff handOff) {
        if (handOff != null) {
            handOff.lastFinished = 0L;
        }
    }

    // ---------------------------------------------------------------------------------------
    // Release

    /**
     * Spins for up to the process's budget; true if a message was linked or a lifecycle request
     * arrived meanwhile. A message reserved but not yet linked when the spin ends is caught by the
     * release, which fails on the state word.
     */
    private boolean spinForWork() {
        if (spinNanos <= 0) {
            return false;
        }
        long start = System.nanoTime();
        for (int i = 1; ; i++) {
            Thread.onSpinWait();
            if (linked() || controlPending) {
                return true;
            }
            // Reading the time costs about as much as a spin round, so only every eighth round.
            if ((i & 7) == 0 && System.nanoTime() - start >= spinNanos) {
                return false;
            }
        }
    }

    /**
     * Sets this drain's spin budget from how long the process was idle: a wake-up soon after the
     * last release means a slightly longer spin would have kept the thread; a late one means the
     * spin was wasted.
     */
    private void adaptSpin(long now) {
        int budget = spinNanos;
        if (budget == NEVER_SPINS) {
            return;
        }
        int near = Math.max(budget * SPIN_NEAR_FACTOR, SPIN_NEAR_FLOOR_NANOS);
        if (releasedAt != 0 && (int) (now >>> 10) - releasedAt < near >>> 10) {
            spinNanos = budget == 0 ? SPIN_MIN_NANOS : Math.min(SPIN_MAX_NANOS, budget << 1);
        } else {
            int half = budget >>> 1;
            spinNanos = half < SPIN_MIN_NANOS ? 0 : half;
        }
    }

    /**
     * Gives up the consumer role when nothing is left; true if this drain must end. The release is
     * a CAS on the state word, so it fails if a message was accepted meanwhile; a lifecycle request
     * that raced with it is caught by re-reading its flag and re-claiming the role.
     */
    private boolean release(Thread current, HandOff handOff) {
        long s = lvState();
        if (!drained(s)) {
            return false;
        }
        drainThread = null;
        // Only a release that may end the thread says anything about the next wake-up: after
        // one followed by a kept process, this process is woken in a hand-off again.
        if (spinNanos != NEVER_SPINS && (handOff == null || !handOff.holds())) {
            // Written before the role is released, so the next drain, which acquires it, sees it.
            releasedAt = (int) (System.nanoTime() >>> 10);
        }
        if (!casState(s, s & ~SCHEDULED)) {
            drainThread = current;
            return false;
        }
        if (!controlPending) {
            return true;
        }
        long previous = getAndOrState(SCHEDULED);
        if ((previous & SCHEDULED) != 0) {
            return true; // another drain owns the role and will see the request
        }
        drainThread = current;
        return false;
    }
}

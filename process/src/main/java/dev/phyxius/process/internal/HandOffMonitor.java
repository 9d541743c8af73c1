package dev.phyxius.process.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * Watches the hand-off slots in use and frees what they keep from a handler that blocks or runs
 * long (see {@link HandOff}): the guarantee that a blocking handler never holds another process
 * back rests here, not on handlers returning. One daemon platform thread, started on first need:
 * a virtual thread could not check while handlers pin every carrier.
 *
 * <p>It checks every {@code phyxius.handoff.check.micros} (50 by default) while any slot is
 * watched, and parks when none is. A handler that blocks right after waking a process delays it by
 * one or two periods at most, a thread switch's worth of microseconds compared with the wait that
 * follows; a handler that runs for longer than a period gives the woken process a thread of its
 * own, so long handlers and their partners run in parallel.
 *
 * <p>The watched slots form an intrusive stack: a drain thread pushes its slot with one CAS on
 * its first keep and marks it exited when it ends, and the monitor, the only thread that unlinks,
 * drops exited slots as it checks. A drain thread's whole cost is that one CAS: a concurrent set
 * cost an insert and a removal on shared counters for every drain thread that kept a process,
 * which is most of them where processes wake each other.
 */
final class HandOffMonitor {

    private static final long PERIOD_NANOS = Long.getLong("phyxius.handoff.check.micros", 50L) * 1_000L;
    private static final VarHandle HEAD;
    /** The last slot pushed; older ones follow {@link HandOff#nextWatched}. Accessed through HEAD. */
    @SuppressWarnings("unused")
    private static volatile HandOff head;

    private static final Object START = new Object();
    private static volatile Thread thread;
    /** The monitor is parked with nothing to watch; a new slot must wake it. */
    private static volatile boolean idle;

    static {
        try {
            HEAD = MethodHandles.lookup().findStaticVarHandle(HandOffMonitor.class, "head", HandOff.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private HandOffMonitor() {}

    /** Starts watching {@code handOff}; its own thread calls this once, on its first keep. */
    static void watch(HandOff handOff) {
        HandOff first;
        do {
            first = (HandOff) HEAD.getVolatile();
            // Written before the CAS publishes the slot; afterwards only the monitor writes it.
            handOff.nextWatched = first;
        } while (!HEAD.compareAndSet(first, handOff));
        Thread monitor = thread;
        if (monitor == null) {
            monitor = start();
        }
        // Dekker with the monitor's park: it sets idle, then looks at WATCHED again.
        if (idle) {
            LockSupport.unpark(monitor);
        }
    }

    /** Stops watching: the slot's thread ends; the monitor unlinks the slot at its next check. */
    static void unwatch(HandOff handOff) {
        handOff.exited = true;
    }

    private static Thread start() {
        synchronized (START) {
            if (thread == null) {
                thread = Thread.ofPlatform()
                        .daemon()
                        .name("phyxius-hand-off-monitor")
                        .start(HandOffMonitor::run);
            }
            return thread;
        }
    }

    private static void run() {
        for (; ; ) {
            if (HEAD.getVolatile() == null) {
                idle = true;
                if (HEAD.getVolatile() == null) {
                    LockSupport.park();
                }
                idle = false;
                continue;
            }
            LockSupport.parkNanos(PERIOD_NANOS);
            checkAll();
        }
    }

    /**
     * Checks every watched slot and unlinks those whose thread ended. Slots pushed meanwhile are
     * checked next time. An exited slot that is still the head is unlinked by a CAS; if a push
     * won, it has a predecessor now and goes at the next check.
     */
    private static void checkAll() {
        HandOff previous = null;
        HandOff handOff = (HandOff) HEAD.getVolatile();
        while (handOff != null) {
            HandOff next = handOff.nextWatched;
            if (handOff.exited) {
                if (previous != null) {
                    previous.nextWatched = next;
                } else if (!HEAD.compareAndSet(handOff, next)) {
                    previous = handOff;
                }
            } else {
                try {
                    handOff.check();
                } catch (Throwable ignored) {
                    // Starting a thread can fail only when the JVM is out of resources; the next
                    // check tries again, and the monitor must outlive any one failure.
                }
                previous = handOff;
            }
            handOff = next;
        }
    }
}

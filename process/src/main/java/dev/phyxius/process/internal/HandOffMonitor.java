package dev.phyxius.process.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 */
final class HandOffMonitor {

    private static final long PERIOD_NANOS = Long.getLong("phyxius.handoff.check.micros", 50L) * 1_000L;
    private static final Set<HandOff> WATCHED = ConcurrentHashMap.newKeySet();
    private static final Object START = new Object();
    private static volatile Thread thread;
    /** The monitor is parked with nothing to watch; a new slot must wake it. */
    private static volatile boolean idle;

    private HandOffMonitor() {}

    /** Starts watching {@code handOff}; its own thread calls this once, on its first keep. */
    static void watch(HandOff handOff) {
        WATCHED.add(handOff);
        Thread monitor = thread;
        if (monitor == null) {
            monitor = start();
        }
        // Dekker with the monitor's park: it sets idle, then looks at WATCHED again.
        if (idle) {
            LockSupport.unpark(monitor);
        }
    }

    /** Stops watching: the slot's thread ends. */
    static void unwatch(HandOff handOff) {
        WATCHED.remove(handOff);
    }

    private static Thread start() {
        synchronized (START) {
            if (thread == null) {
                thread = Thread.ofPlatform().daemon().name("phyxius-hand-off-monitor").start(HandOffMonitor::run);
            }
            return thread;
        }
    }

    private static void run() {
        for (;;) {
            if (WATCHED.isEmpty()) {
                idle = true;
                if (WATCHED.isEmpty()) {
                    LockSupport.park();
                }
                idle = false;
                continue;
            }
            LockSupport.parkNanos(PERIOD_NANOS);
            for (HandOff handOff : WATCHED) {
                try {
                    handOff.check();
                } catch (Throwable ignored) {
                    // Starting a thread can fail only when the JVM is out of resources; the next
                    // check tries again, and the monitor must outlive any one failure.
                }
            }
        }
    }
}

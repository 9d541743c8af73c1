package dev.phyxius.simulation.internal;

import dev.phyxius.process.ProcessRef;
import java.util.ArrayList;
import java.util.List;

/**
 * A simulated thread: the name the log uses, the actor it runs for (the key that scheduling
 * priorities belong to, so that a process keeps its priority across the drain threads it starts
 * and ends), and what it is known to wait for.
 *
 * <p>Not thread-safe and needs not be: every field after construction is read and written only
 * inside the run's serialized execution (the loop thread, or the one simulated thread it runs).
 */
public final class SimThread {

    final String name;
    final String key;
    final ProcessRef<?> process;
    final Thread thread;
    /** Asks this thread made whose futures are not complete, oldest first. */
    final List<Asks.Ask> outstanding = new ArrayList<>();
    /** Stop and termination futures of processes this thread was handed that are not complete. */
    final List<Waits.ProcessFuture> held = new ArrayList<>();
    /** What this thread waits for, if it is parked on a future the simulation knows; else null. */
    Waits.Wait waiting;

    SimThread(String name, String key, ProcessRef<?> process, Thread thread) {
        this.name = name;
        this.key = key;
        this.process = process;
        this.thread = thread;
    }

    @Override
    public String toString() {
        return name;
    }
}

package dev.phyxius.simulation.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

/**
 * The wait-for graph of one run: which simulated thread waits for which, through the futures the
 * simulation knows (the replies of asks, and forked tasks). A cycle in it can only be broken by
 * a timeout, so the run reports it as a deadlock, naming each ask in it, whatever the timeouts.
 *
 * <p><b>How a wait is known.</b> A thread blocked in {@code join} or {@code get} of a
 * {@link CompletableFuture} parks with a {@code CompletableFuture.Signaller} as its blocker,
 * pushed onto that future's dependents. The JDK does not say which future that is, so the step
 * in which a thread parks is bracketed: the futures it may wait on (its own outstanding asks and
 * every live fork) have their dependents counted when the step begins (or when the ask is made,
 * within the step) and after it, and a future that gained one during the step, while this thread
 * alone ran, is the one it waits on. A future
 * waited on through a composition ({@code ask(...).thenApply(...).join()}) gains a dependent too,
 * which is right: the thread waits for that ask. Waits on futures the simulation did not hand
 * out (a process's {@code stop()} or {@code termination()}, a {@code CompletableFuture} of the
 * scenario's own) are not in the graph; a run stuck on them still ends, as a deadlock naming
 * where each thread waits, or in its time limit.
 *
 * <p>Used only inside the run's serialized execution.
 */
final class Waits {

    /** What a thread waits for. */
    sealed interface Wait permits OnAsk, OnFork {
        CompletableFuture<?> future();
    }

    /** A reply to an ask. */
    record OnAsk(Asks.Ask ask) implements Wait {
        @Override
        public CompletableFuture<?> future() {
            return ask.future;
        }
    }

    /** A forked task. */
    record OnFork(Fork fork) implements Wait {
        @Override
        public CompletableFuture<?> future() {
            return fork.future();
        }
    }

    /** A forked task: its thread, its result, and its result's dependents when the current step began. */
    static final class Fork {
        final SimThread thread;
        final ForkFuture<?> future;
        int dependentsBefore;

        Fork(SimThread thread, ForkFuture<?> future) {
            this.thread = thread;
            this.future = future;
        }

        SimThread thread() {
            return thread;
        }

        ForkFuture<?> future() {
            return future;
        }
    }

    private static final String SIGNALLER = "java.util.concurrent.CompletableFuture$Signaller";

    private final Journal journal;
    /** Forks whose future is not complete, in start order. */
    private final List<Fork> forks = new ArrayList<>();
    /** Each process's newest drain thread, by the process. */
    private final Map<Object, SimThread> drains = new HashMap<>();
    /** Threads known to wait, in the order they started to. */
    private final List<SimThread> waiting = new ArrayList<>();

    Waits(Journal journal) {
        this.journal = journal;
    }

    void drainStarted(Object process, SimThread thread) {
        drains.put(process, thread);
    }

    void forkStarted(Fork fork) {
        forks.add(fork);
    }

    /** Counts the dependents of every future {@code thread} may park on during its next step. */
    void beforeStep(SimThread thread) {
        for (Asks.Ask ask : thread.outstanding) {
            ask.dependentsBefore = ask.future.getNumberOfDependents();
        }
        if (!forks.isEmpty()) {
            forks.removeIf(fork -> fork.future.isDone());
            for (Fork fork : forks) {
                fork.dependentsBefore = fork.future.getNumberOfDependents();
            }
        }
    }

    /** Works out what {@code thread} waits for now that its step has ended. */
    void afterStep(SimThread thread) {
        Wait before = thread.waiting;
        Wait now = null;
        if (thread.thread.getState() == Thread.State.WAITING && isFutureWait(thread.thread)) {
            now = grown(thread);
            if (now == null && before != null && !before.future().isDone()) {
                now = before; // still parked in the same wait (woken and parked again)
            }
        }
        thread.waiting = now;
        if (now != null && now != before) {
            if (before == null) {
                waiting.add(thread);
            }
            journal.add(thread.name, "waits for " + describeTarget(now));
        } else if (now == null && before != null) {
            waiting.remove(thread);
        }
    }

    /** An ask was answered or failed: its asker no longer has it outstanding. */
    void askDone(Asks.Ask ask) {
        if (ask.asker != null) {
            ask.asker.outstanding.remove(ask);
        }
    }

    /**
     * A cycle of threads each waiting for the next, if there is one.
     *
     * @return the description ({@code a waits for b (ask Get at Teller.java:42), b waits for a
     *     (...)}), or null
     */
    String findCycle() {
        if (waiting.isEmpty()) {
            return null;
        }
        Set<SimThread> done = new HashSet<>();
        for (SimThread start : waiting) {
            List<SimThread> path = new ArrayList<>();
            SimThread current = start;
            while (current != null && !done.contains(current)) {
                int seen = path.indexOf(current);
                if (seen >= 0) {
                    return describe(path.subList(seen, path.size()));
                }
                path.add(current);
                current = waitedOn(current);
            }
            done.addAll(path);
        }
        return null;
    }

    private SimThread waitedOn(SimThread thread) {
        Wait wait = thread.waiting;
        if (wait == null) {
            return null;
        }
        SimThread next = switch (wait) {
            case OnAsk onAsk -> drains.get(onAsk.ask().target);
            case OnFork onFork -> onFork.fork().thread();
        };
        return next == null || next.thread.getState() == Thread.State.TERMINATED || next.waiting == null ? null : next;
    }

    private Wait grown(SimThread thread) {
        for (Asks.Ask ask : thread.outstanding) {
            if (!ask.future.isDone() && ask.future.getNumberOfDependents() > ask.dependentsBefore) {
                return new OnAsk(ask);
            }
        }
        for (Fork fork : forks) {
            if (fork.thread != thread && !fork.future.isDone()
                    && fork.future.getNumberOfDependents() > fork.dependentsBefore) {
                return new OnFork(fork);
            }
        }
        return null;
    }

    private static boolean isFutureWait(Thread thread) {
        Object blocker = LockSupport.getBlocker(thread);
        return blocker != null && blocker.getClass().getName().equals(SIGNALLER);
    }

    private String describe(List<SimThread> cycle) {
        // Start at the thread that began to wait first: the cycle reads in the order it formed.
        int first = 0;
        for (int i = 1; i < cycle.size(); i++) {
            if (waiting.indexOf(cycle.get(i)) < waiting.indexOf(cycle.get(first))) {
                first = i;
            }
        }
        Set<String> names = new HashSet<>();
        boolean ambiguous = false;
        for (SimThread thread : cycle) {
            ambiguous |= !names.add(thread.name);
        }
        List<String> edges = new ArrayList<>();
        for (int i = 0; i < cycle.size(); i++) {
            SimThread thread = cycle.get((first + i) % cycle.size());
            SimThread next = cycle.get((first + i + 1) % cycle.size());
            edges.add(label(thread, ambiguous) + " waits for " + label(next, ambiguous) + " (" + how(thread) + ")");
        }
        return String.join(", ", edges);
    }

    private static String label(SimThread thread, boolean withId) {
        return withId && thread.process != null ? thread.name + " (" + thread.process.id().value() + ")" : thread.name;
    }

    private static String how(SimThread thread) {
        return switch (thread.waiting) {
            case OnAsk onAsk -> onAsk.ask().describe();
            case OnFork onFork -> {
                String at = CallSite.of(thread.thread.getStackTrace());
                yield "join of fork " + onFork.fork().thread().name + (at.isEmpty() ? "" : " at " + at);
            }
        };
    }

    static String describeTarget(Wait wait) {
        return switch (wait) {
            case OnAsk onAsk -> onAsk.ask().label() + " (" + onAsk.ask().target.name() + ")";
            case OnFork onFork -> "fork " + onFork.fork().thread().name;
        };
    }
}

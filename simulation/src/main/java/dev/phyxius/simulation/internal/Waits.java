package dev.phyxius.simulation.internal;

import dev.phyxius.process.ProcessRef;
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
 * simulation knows: the replies of asks, the stop and termination futures of processes, and
 * forked tasks. A cycle in it can only be broken by a timeout, so the run reports it as a
 * deadlock, naming each edge (the ask, stop, termination or fork, and where it was made),
 * whatever the timeouts.
 *
 * <p><b>How a wait is known.</b> A thread blocked in {@code join} or {@code get} of a
 * {@link CompletableFuture} parks with a {@code CompletableFuture.Signaller} as its blocker,
 * pushed onto that future's dependents. The JDK does not say which future that is, so the step
 * in which a thread parks is bracketed: the futures it may wait on (its own outstanding asks,
 * the process futures it was handed, and every live fork) have their dependents counted when
 * the step begins (or when the future is handed out, within the step) and after it, and a future
 * that gained one during the step, while this thread alone ran, is the one it waits on. A future
 * waited on through a composition ({@code ask(...).thenApply(...).join()}) gains a dependent too,
 * which is right: the thread waits for that ask. Waits on a {@code CompletableFuture} of the
 * scenario's own (or of any code that is not a process) are not in the graph; a run stuck on
 * them still ends, as a deadlock naming where each thread waits, or in its time limit.
 *
 * <p><b>Who a process future waits for.</b> A stop completes, and a process terminates, once the
 * process's drain thread has finished its handler and {@code onStop}: a thread waiting on either
 * waits for that process's newest drain thread, as an asker waits for the target's.
 *
 * <p>Used only inside the run's serialized execution.
 */
final class Waits {

    /** What a thread waits for. */
    sealed interface Wait permits OnAsk, OnProcess, OnFork {
        CompletableFuture<?> future();
    }

    /** A reply to an ask. */
    record OnAsk(Asks.Ask ask) implements Wait {
        @Override
        public CompletableFuture<?> future() {
            return ask.future;
        }
    }

    /** A process's stop or termination. */
    record OnProcess(ProcessFuture held) implements Wait {
        @Override
        public CompletableFuture<?> future() {
            return held.future;
        }
    }

    /** A forked task. */
    record OnFork(Fork fork) implements Wait {
        @Override
        public CompletableFuture<?> future() {
            return fork.future();
        }
    }

    /**
     * A future a process handed to a thread, other than an ask's: the completion of its stop, or
     * its termination. Each process has one of each, so several threads may hold the same future,
     * each with its own count of its dependents.
     */
    static final class ProcessFuture {

        /** Which of a process's futures it is. */
        enum Kind {
            STOP("stop"),
            TERMINATION("termination");

            final String word;

            Kind(String word) {
                this.word = word;
            }
        }

        final Kind kind;
        final ProcessRef<?> process;
        final CompletableFuture<?> future;
        /** Where the user's code was last handed it: the likeliest place it waits. */
        String callSite;
        /** The future's dependents when its holder's current step began (or when it was handed out). */
        int dependentsBefore;

        ProcessFuture(Kind kind, ProcessRef<?> process, CompletableFuture<?> future, String callSite) {
            this.kind = kind;
            this.process = process;
            this.future = future;
            this.callSite = callSite;
        }

        /** {@code stop at Registry.java:42}, as a deadlock names it. */
        String describe() {
            return kind.word + (callSite.isEmpty() ? "" : " at " + callSite);
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

    /**
     * A process handed {@code thread} its stop or termination future: the thread may wait on it
     * from now until it completes. Handing out the same future again moves its call site.
     */
    void handedOut(
            SimThread thread,
            ProcessFuture.Kind kind,
            ProcessRef<?> process,
            CompletableFuture<?> future,
            String callSite) {
        if (future.isDone()) {
            return;
        }
        for (ProcessFuture held : thread.held) {
            if (held.future == future) {
                held.callSite = callSite;
                return;
            }
        }
        ProcessFuture held = new ProcessFuture(kind, process, future, callSite);
        thread.held.add(held);
        future.whenComplete((value, error) -> thread.held.remove(held));
        // Counted after the simulation's own dependent: only the thread's later ones are waits.
        held.dependentsBefore = future.getNumberOfDependents();
    }

    /** Counts the dependents of every future {@code thread} may park on during its next step. */
    void beforeStep(SimThread thread) {
        for (Asks.Ask ask : thread.outstanding) {
            ask.dependentsBefore = ask.future.getNumberOfDependents();
        }
        for (ProcessFuture held : thread.held) {
            held.dependentsBefore = held.future.getNumberOfDependents();
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
     *     (stop at Registry.java:17)}), or null
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
            case OnProcess onProcess -> drains.get(onProcess.held().process);
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
        for (ProcessFuture held : thread.held) {
            if (!held.future.isDone() && held.future.getNumberOfDependents() > held.dependentsBefore) {
                return new OnProcess(held);
            }
        }
        for (Fork fork : forks) {
            if (fork.thread != thread
                    && !fork.future.isDone()
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
        return withId && thread.process != null
                ? thread.name + " (" + thread.process.id().value() + ")"
                : thread.name;
    }

    private static String how(SimThread thread) {
        return switch (thread.waiting) {
            case OnAsk onAsk -> onAsk.ask().describe();
            case OnProcess onProcess -> onProcess.held().describe();
            case OnFork onFork -> {
                String at = CallSite.of(thread.thread.getStackTrace());
                yield "join of fork " + onFork.fork().thread().name + (at.isEmpty() ? "" : " at " + at);
            }
        };
    }

    static String describeTarget(Wait wait) {
        return switch (wait) {
            case OnAsk onAsk -> onAsk.ask().label() + " (" + onAsk.ask().target.name() + ")";
            case OnProcess onProcess ->
                onProcess.held().kind.word + " of " + onProcess.held().process.name();
            case OnFork onFork -> "fork " + onFork.fork().thread().name;
        };
    }
}

package dev.phyxius.tests.supervisor;

import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.StopReason;
import dev.phyxius.tests.support.Gate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test child that records what happens to it. Messages: {@code "boom"} throws, {@code "stop-self"}
 * stops the process from its handler, {@code "block"} waits for {@link #release()} (ignoring interrupts); anything else
 * is recorded as handled. Its state is the number of its life (1 for the first {@code init}).
 */
final class Worker {
    final String name;
    /** Shared across workers of one test, to see the order of starts and stops across siblings. */
    final List<String> journal;

    final AtomicInteger inits = new AtomicInteger();
    final List<String> handled = new CopyOnWriteArrayList<>();
    final List<String> stops = new CopyOnWriteArrayList<>();
    private final Gate gate;
    volatile boolean failInit;

    Worker(String name, List<String> journal) {
        this.name = name;
        this.journal = journal;
        this.gate = new Gate(name);
    }

    Worker(String name) {
        this(name, new CopyOnWriteArrayList<>());
    }

    ProcessSpec<String, Integer, Void> spec() {
        return ProcessSpec.<String, Integer>named(name)
                .init(() -> {
                    int life = inits.incrementAndGet();
                    journal.add("init " + name);
                    if (failInit) {
                        throw new IllegalStateException("init of " + name + " failed");
                    }
                    return life;
                })
                .handler((life, message, tools) -> {
                    switch (message) {
                        case "boom" -> throw new IllegalStateException("boom in " + name);
                        case "stop-self" -> tools.self().stop();
                        case "block" ->
                            gate.passIgnoringInterrupts(); // stuck for good: even a shutdown interrupt cannot end it
                        default -> handled.add(message + "@" + life);
                    }
                    return life;
                })
                .onStop((life, reason) -> {
                    stops.add(life + " " + kind(reason));
                    journal.add("stop " + name + " " + kind(reason));
                })
                .build();
    }

    static String kind(StopReason reason) {
        return reason instanceof StopReason.Error ? "ERROR" : reason.toString();
    }

    void awaitBlocked() throws InterruptedException {
        gate.awaitEntered();
    }

    void release() {
        gate.open();
    }
}

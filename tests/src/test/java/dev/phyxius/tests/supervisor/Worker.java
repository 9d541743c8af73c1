package dev.phyxius.tests.supervisor;

import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.StopReason;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    volatile boolean failInit;

    Worker(String name, List<String> journal) {
        this.name = name;
        this.journal = journal;
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
                        case "block" -> block();
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

    /**
     * Waits for {@link #release()}, ignoring interrupts: a handler stuck for good, which even the
     * process's own shutdown interrupt cannot end.
     */
    private void block() {
        entered.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        boolean interrupted = false;
        while (released.getCount() > 0 && System.nanoTime() < deadline) {
            try {
                released.await(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    void awaitBlocked() throws InterruptedException {
        if (!entered.await(10, TimeUnit.SECONDS)) {
            throw new AssertionError(name + " never entered the blocking message");
        }
    }

    void release() {
        released.countDown();
    }
}

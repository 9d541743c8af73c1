package dev.phyxius.kafka;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition on the real cluster, where no controlled clock can tell when it holds. */
final class Conditions {

    private Conditions() {}

    /**
     * Returns once {@code condition} holds; fails with {@code state}'s description after
     * {@code within}. It re-checks every few milliseconds: nothing here is synchronised by time.
     */
    static void await(String what, Duration within, BooleanSupplier condition, Supplier<String> state) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + within + " waiting for " + what + "; " + state.get());
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }

    static void await(String what, Duration within, BooleanSupplier condition) {
        await(what, within, condition, () -> "");
    }
}

package dev.phyxius.tests.support;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Holds a handler inside its message until the test opens the gate, so that the test can act
 * while the process is busy (queue behind it, stop it, advance the clock) and know that it is.
 * One use: once open, every later {@code pass} goes straight through.
 */
public final class Gate {

    /** How long a handler waits at the gate before it gives up: past any test's timeout. */
    private static final long HOLD_SECONDS = 20;
    /** How long the test waits for a handler to arrive. */
    private static final long ARRIVAL_SECONDS = 10;

    private final String holder;
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch opened = new CountDownLatch(1);

    /** A gate whose failures speak of "the handler". */
    public Gate() {
        this("the handler");
    }

    /**
     * A gate whose failures name who passes it.
     *
     * @param holder who waits at the gate, for failure messages
     */
    public Gate(String holder) {
        this.holder = holder;
    }

    /**
     * Called by the handler: says it is inside, then waits until the gate opens. An interrupt (a
     * stop's shutdown timeout) ends the wait.
     *
     * @throws InterruptedException  if interrupted while waiting
     * @throws IllegalStateException if the gate does not open in time
     */
    public void pass() throws InterruptedException {
        entered.countDown();
        if (!opened.await(HOLD_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException(holder + ": the gate never opened");
        }
    }

    /**
     * Like {@link #pass()}, but an interrupt does not end the wait (the interrupt status is
     * restored afterwards): a handler stuck for good, which even a shutdown interrupt cannot end.
     */
    public void passIgnoringInterrupts() {
        entered.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HOLD_SECONDS);
        boolean interrupted = false;
        while (opened.getCount() > 0 && System.nanoTime() < deadline) {
            try {
                opened.await(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Called by the test: waits until a handler has reached the gate.
     *
     * @throws InterruptedException if interrupted while waiting
     * @throws AssertionError       if no handler arrives in time
     */
    public void awaitEntered() throws InterruptedException {
        if (!entered.await(ARRIVAL_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError(holder + " never reached the gate");
        }
    }

    /** Lets the handler at the gate, and every later one, through. */
    public void open() {
        opened.countDown();
    }
}

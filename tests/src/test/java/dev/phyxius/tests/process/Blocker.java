package dev.phyxius.tests.process;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Lets a test hold a handler inside its message and know when it got there. */
final class Blocker {
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    /** Called by the handler: signals entry, then waits for release. */
    void block() throws InterruptedException {
        entered.countDown();
        if (!released.await(20, TimeUnit.SECONDS)) {
            throw new IllegalStateException("never released");
        }
    }

    void awaitEntered() throws InterruptedException {
        if (!entered.await(10, TimeUnit.SECONDS)) {
            throw new AssertionError("handler never entered the blocking message");
        }
    }

    void release() {
        released.countDown();
    }
}

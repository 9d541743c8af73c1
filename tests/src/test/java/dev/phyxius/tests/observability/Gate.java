package dev.phyxius.tests.observability;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Holds a handler inside its message until the test lets it go, so the test can act meanwhile. */
final class Gate {
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch opened = new CountDownLatch(1);

    /** Called by the handler: says it is inside, then waits to be let go. */
    void pass() throws InterruptedException {
        entered.countDown();
        if (!opened.await(20, TimeUnit.SECONDS)) {
            throw new IllegalStateException("gate never opened");
        }
    }

    void awaitEntered() throws InterruptedException {
        if (!entered.await(10, TimeUnit.SECONDS)) {
            throw new AssertionError("the handler never reached the gate");
        }
    }

    void open() {
        opened.countDown();
    }
}

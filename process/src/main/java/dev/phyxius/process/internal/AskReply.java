package dev.phyxius.process.internal;

import dev.phyxius.clock.Cancellable;
import dev.phyxius.clock.Clock;
import dev.phyxius.process.Reply;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * One ask: the future the asker holds, the reply the handler answers, and the timeout task, in a
 * single object so that an ask allocates as little as possible.
 */
final class AskReply<R> extends CompletableFuture<R> implements Reply<R>, Runnable {
    private final ProcessCore<?, ?, ?> process;
    private volatile Cancellable timer;
    private Duration timeout;
    /** Set once the reply is in the process's outstanding set. */
    volatile boolean tracked;

    AskReply(ProcessCore<?, ?, ?> process) {
        this.process = process;
    }

    @Override
    public void send(R value) {
        if (complete(value)) {
            settled();
        }
    }

    @Override
    public void fail(Throwable error) {
        Objects.requireNonNull(error, "error");
        if (completeExceptionally(error)) {
            settled();
        }
    }

    void armTimeout(Clock clock, Duration after) {
        this.timeout = after;
        Cancellable scheduled = clock.schedule(after, this);
        timer = scheduled;
        if (isDone()) {
            // Answered before the timer existed: the settle above could not cancel it.
            scheduled.cancel();
        }
    }

    /** The timeout. */
    @Override
    public void run() {
        if (completeExceptionally(new TimeoutException(
                "ask to process '" + process.name() + "' (" + process.id() + ") got no reply within " + timeout))) {
            settled();
        }
    }

    private void settled() {
        Cancellable scheduled = timer;
        if (scheduled != null) {
            scheduled.cancel();
        }
        if (tracked) {
            process.forget(this);
        }
    }
}

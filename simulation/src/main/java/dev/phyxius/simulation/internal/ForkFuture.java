package dev.phyxius.simulation.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The future of a forked task. It remembers whether anyone looked at it (waited on it, read it or
 * composed it), so that a fork that failed and was never looked at fails the run instead of
 * passing with nothing said; a dependent registered before the failure (a join in progress, an
 * {@code allOf}) counts too, as the fork sees it when it fails.
 */
public final class ForkFuture<T> extends CompletableFuture<T> {

    private volatile boolean observed;

    /** Whether anyone waited on, read or composed this future. */
    public boolean observed() {
        return observed;
    }

    @Override
    public T join() {
        observed = true;
        return super.join();
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        observed = true;
        return super.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        observed = true;
        return super.get(timeout, unit);
    }

    @Override
    public T getNow(T valueIfAbsent) {
        observed = true;
        return super.getNow(valueIfAbsent);
    }

    @Override
    public T resultNow() {
        observed = true;
        return super.resultNow();
    }

    @Override
    public Throwable exceptionNow() {
        observed = true;
        return super.exceptionNow();
    }

    @Override
    public boolean isCompletedExceptionally() {
        observed = true;
        return super.isCompletedExceptionally();
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        // Every composition (thenApply, whenComplete, exceptionally, handle, ...) makes its
        // dependent through this method.
        observed = true;
        return new CompletableFuture<>();
    }
}

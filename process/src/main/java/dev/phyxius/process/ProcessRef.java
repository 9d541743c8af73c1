package dev.phyxius.process;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The handle on a running process: the only way to talk to it. Thread-safe; valid for the
 * process's whole life, across supervised restarts.
 *
 * <p>Ordering: messages from one sender thread are handled in the order sent; handler invocations
 * never overlap, and each sees the state the previous one returned.
 *
 * @param <M> the type of message the process handles
 * @since 0.1
 */
public interface ProcessRef<M> {

    /**
     * The process's identity.
     *
     * @return its id
     */
    ProcessId id();

    /**
     * The process's name, from its spec.
     *
     * @return its name
     */
    String name();

    /**
     * Where the process is in its life, as of now.
     *
     * @return the status
     */
    ProcessStatus status();

    /**
     * How many accepted messages wait in the mailbox now, not counting the one being handled: a
     * sample for gauges and health checks, stale as soon as it is returned.
     *
     * @return the number of queued messages; 0 for a ref with no mailbox of its own
     */
    default int mailboxSize() {
        return 0;
    }

    /**
     * How many messages this process has handled normally (its handler returned), over all its
     * lives: exact and never decreasing, whatever its timing sample, so that meters can count
     * every message while timing only some ({@link SpawnOptions#withTimingSample}). Stale as soon as
     * it is returned while the process runs.
     *
     * @return the messages handled so far; 0 for a ref with no mailbox of its own
     */
    default long handledCount() {
        return 0L;
    }

    /**
     * Offers {@code message} to the mailbox without ever blocking.
     *
     * @param message the message
     * @return {@code true} if accepted (it will be handled, or reported as dropped);
     *     {@code false} if refused because the mailbox is full under {@link MailboxPolicy#REJECT}
     *     or the process is not accepting (a {@link ProcessEvent.MessageRejected} is emitted)
     * @throws NullPointerException if {@code message} is {@code null}
     */
    boolean send(M message);

    /**
     * Offers {@code message}, waiting up to {@code timeout} on the process's clock for room in a
     * full mailbox: for producers that prefer waiting to losing.
     *
     * @param message the message
     * @param timeout how long to wait for room
     * @return {@code true} if accepted; {@code false} if the timeout ran out or the process is not
     *     accepting
     * @throws NullPointerException if an argument is {@code null}
     * @throws InterruptedException if the calling thread is interrupted while waiting
     */
    boolean send(M message, Duration timeout) throws InterruptedException;

    /**
     * Sends the message {@code request} builds around a {@link Reply}, and returns the answer;
     * times out after 5 seconds on the process's clock.
     *
     * @param request builds the message from the reply handle
     * @param <R>     the answer's type
     * @return a future of the first answer; it fails with {@link java.util.concurrent.TimeoutException}
     *     on timeout, with {@link MessageRejectedException} at once if the message is refused, with
     *     {@link ProcessTerminatedException} as soon as the process stops or fails for good without
     *     answering, and with the handler's exception if the handler throws on this message
     * @throws NullPointerException if {@code request} is {@code null}
     */
    <R> CompletableFuture<R> ask(Function<Reply<R>, ? extends M> request);

    /**
     * Like {@link #ask(Function)} with an explicit timeout. A process that asks itself from its own
     * handler gets a failed future at once (it could never answer) instead of a deadlock.
     *
     * @param request builds the message from the reply handle
     * @param timeout how long to wait for the answer, on the process's clock
     * @param <R>     the answer's type
     * @return a future of the first answer
     * @throws NullPointerException if an argument is {@code null}
     */
    <R> CompletableFuture<R> ask(Function<Reply<R>, ? extends M> request, Duration timeout);

    /**
     * Stops the process with {@link StopReason#NORMAL}.
     *
     * @return completes when the process is stopped
     * @see #stop(StopReason)
     */
    CompletableFuture<Void> stop();

    /**
     * Stops the process: the message in progress finishes (up to the shutdown timeout, after which
     * the handler's thread is interrupted and a {@link ProcessEvent.StopTimedOut} is emitted),
     * {@code onStop} runs once, queued messages are reported as dropped, and the process ends
     * {@link ProcessStatus#STOPPED}. Idempotent (later calls return the same future) and safe to
     * call from the process's own handler (but do not wait on the future there).
     *
     * @param reason the reason {@code onStop} receives
     * @return completes when the process is stopped
     * @throws NullPointerException if {@code reason} is {@code null}
     */
    CompletableFuture<Void> stop(StopReason reason);

    /**
     * Death watch: completes with the reason once the process has ended for good (stopped, or
     * failed with no supervisor to restart it). Never completes exceptionally.
     *
     * @return the termination future, the same object on every call
     */
    CompletableFuture<StopReason> termination();
}

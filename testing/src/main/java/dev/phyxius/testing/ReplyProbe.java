package dev.phyxius.testing;

import dev.phyxius.process.Reply;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link Reply} that records the answer, for testing a process's replies without an ask: put it
 * into a request message and expect. Made by {@link ProcessTestKit#replyProbe()}.
 *
 * <p>Like every reply, only the first {@code send} or {@code fail} counts; later ones are ignored.
 * Thread-safe.
 *
 * @param <R> the type of the answer
 * @since 0.1
 */
public final class ReplyProbe<R> implements Reply<R> {

    private final ProcessTestKit kit;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition answered = lock.newCondition();
    private boolean done;
    private R value;
    private Throwable error;

    ReplyProbe(ProcessTestKit kit) {
        this.kit = kit;
    }

    /**
     * Records {@code value} as the answer, if none was recorded.
     *
     * @param value the answer; may be {@code null}
     */
    @Override
    public void send(R value) {
        complete(value, null);
    }

    /**
     * Records {@code error} as the answer, if none was recorded.
     *
     * @param error why the request failed
     * @throws NullPointerException if {@code error} is {@code null}
     */
    @Override
    public void fail(Throwable error) {
        complete(null, Objects.requireNonNull(error, "error"));
    }

    /**
     * Waits up to {@link ProcessTestKit#DEFAULT_TIMEOUT} of real time for an answer and asserts
     * that it is a value.
     *
     * @return the value; {@code null} if the process answered {@code null}
     * @throws AssertionError if no answer arrives in time or the answer is a failure
     */
    public R expectReply() {
        awaitAnswer("a reply");
        lock.lock();
        try {
            if (error != null) {
                throw failure("expected a reply but the request failed with " + error, error);
            }
            return value;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for an answer as {@link #expectReply()} does and asserts that it equals
     * {@code expected}.
     *
     * @param expected the value
     * @return the value
     * @throws AssertionError if no answer arrives in time, it is a failure, or it differs
     */
    public R expectReply(R expected) {
        R received = expectReply();
        if (!Objects.equals(expected, received)) {
            throw failure("expected the reply " + expected + " but got " + received, null);
        }
        return received;
    }

    /**
     * Waits up to {@link ProcessTestKit#DEFAULT_TIMEOUT} of real time for an answer and asserts
     * that it is a failure.
     *
     * @return the error passed to {@code fail}
     * @throws AssertionError if no answer arrives in time or the answer is a value
     */
    public Throwable expectFailure() {
        awaitAnswer("a failure");
        lock.lock();
        try {
            if (error == null) {
                throw failure("expected a failure but got the reply " + value, null);
            }
            return error;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for a failure as {@link #expectFailure()} does and asserts its class.
     *
     * @param type the expected error class; subclasses match
     * @param <T>  that class
     * @return the error
     * @throws AssertionError       if no answer arrives in time, it is a value, or another error
     * @throws NullPointerException if {@code type} is {@code null}
     */
    public <T extends Throwable> T expectFailure(Class<T> type) {
        Objects.requireNonNull(type, "type");
        Throwable received = expectFailure();
        if (!type.isInstance(received)) {
            throw failure("expected a failure of " + type.getName() + " but got " + received, received);
        }
        return type.cast(received);
    }

    /**
     * Advances the kit's clock by {@code within} (see {@link ProcessTestKit#advance(Duration)}) and
     * asserts that no answer was given.
     *
     * @param within how much controlled time must pass without an answer
     * @throws AssertionError           if an answer was given
     * @throws NullPointerException     if {@code within} is {@code null}
     * @throws IllegalArgumentException if {@code within} is negative
     */
    public void expectNoReply(Duration within) {
        kit.advance(within);
        lock.lock();
        try {
            if (done) {
                throw failure(
                        "expected no answer within " + within + " (controlled time) but got "
                                + (error != null ? "the failure " + error : "the reply " + value),
                        error);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether an answer was recorded.
     *
     * @return {@code true} once {@code send} or {@code fail} was called
     */
    public boolean answered() {
        lock.lock();
        try {
            return done;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Describes the answer, if any.
     *
     * @return the description
     */
    @Override
    public String toString() {
        lock.lock();
        try {
            return "ReplyProbe[" + (!done ? "no answer" : error != null ? "failed: " + error : "reply: " + value) + "]";
        } finally {
            lock.unlock();
        }
    }

    private void complete(R value, Throwable error) {
        lock.lock();
        try {
            if (done) {
                return;
            }
            done = true;
            this.value = value;
            this.error = error;
            answered.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void awaitAnswer(String expectation) {
        long left = ProcessTestKit.DEFAULT_TIMEOUT.toNanos();
        lock.lock();
        try {
            while (!done) {
                if (left <= 0) {
                    throw failure(
                            "expected " + expectation + " within " + ProcessTestKit.DEFAULT_TIMEOUT
                                    + " (real time) but got no answer",
                            null);
                }
                left = answered.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + expectation, e);
        } finally {
            lock.unlock();
        }
    }

    private AssertionError failure(String what, Throwable cause) {
        return new AssertionError("reply probe: " + what + "\n" + kit.events().describe(), cause);
    }
}

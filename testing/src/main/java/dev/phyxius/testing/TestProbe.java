package dev.phyxius.testing;

import dev.phyxius.process.ProcessId;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.ProcessStatus;
import dev.phyxius.process.Processes;
import dev.phyxius.process.Reply;
import dev.phyxius.process.StopReason;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * A process that records what it receives, for a test to expect: hand it to the code under test
 * wherever a {@code ProcessRef<M>} goes. Made by {@link ProcessTestKit#probe(String)}.
 *
 * <p>It is a real process (spawned through {@code Processes.spawn} on the kit's clock), so sends
 * to it are accepted, ordered and accounted for like any other; its handler only records. The
 * {@code expect...} methods consume received messages in arrival order.
 *
 * <p>Thread-safe; the {@code expect...} methods are meant for the test thread.
 *
 * @param <M> the type of message it receives
 * @since 0.1
 */
public final class TestProbe<M> implements ProcessRef<M> {

    private final ProcessTestKit kit;
    private final Inbox<M> inbox;
    private final ProcessRef<M> process;

    private TestProbe(ProcessTestKit kit, Inbox<M> inbox, ProcessRef<M> process) {
        this.kit = kit;
        this.inbox = inbox;
        this.process = process;
    }

    static <M> TestProbe<M> spawn(ProcessTestKit kit, String name) {
        Inbox<M> inbox = new Inbox<>();
        ProcessSpec<M, Void, Void> spec = ProcessSpec.<M, Void>named(name)
                .handler((state, message, tools) -> {
                    inbox.add(message);
                    return null;
                })
                .build();
        return new TestProbe<>(kit, inbox, Processes.spawn(spec, kit.options()));
    }

    /** The process behind the probe, which the kit inspects and stops. */
    ProcessRef<M> process() {
        return process;
    }

    /**
     * Takes the next received message, waiting up to {@link ProcessTestKit#DEFAULT_TIMEOUT} of
     * real time for one, and asserts that it equals {@code expected}.
     *
     * @param expected the message
     * @return the received message
     * @throws AssertionError       if none arrives in time or it differs; the message holds the
     *                              event log
     * @throws NullPointerException if {@code expected} is {@code null}
     */
    public M expectMessage(M expected) {
        Objects.requireNonNull(expected, "expected");
        M received = next("expected " + expected);
        if (!expected.equals(received)) {
            throw failure("expected " + expected + " but received " + received);
        }
        return received;
    }

    /**
     * Takes the next received message, waiting up to {@link ProcessTestKit#DEFAULT_TIMEOUT} of
     * real time for one, and asserts that it is a {@code type}.
     *
     * @param type the expected class; subclasses match
     * @param <T>  that class
     * @return the received message
     * @throws AssertionError       if none arrives in time or it is of another class
     * @throws NullPointerException if {@code type} is {@code null}
     */
    public <T extends M> T expectMessageClass(Class<T> type) {
        Objects.requireNonNull(type, "type");
        M received = next("expected a " + type.getName());
        if (!type.isInstance(received)) {
            throw failure("expected a " + type.getName() + " but received " + received);
        }
        return type.cast(received);
    }

    /**
     * Advances the kit's clock by {@code within} (see {@link ProcessTestKit#advance(Duration)}) and
     * asserts that no message is waiting to be expected: nothing arrived in that window, and
     * nothing earlier was left unexpected.
     *
     * @param within how much controlled time must pass without a message
     * @throws AssertionError           if a message is waiting
     * @throws NullPointerException     if {@code within} is {@code null}
     * @throws IllegalArgumentException if {@code within} is negative
     */
    public void expectNoMessage(Duration within) {
        kit.advance(within);
        List<M> unexpected = inbox.drain();
        if (!unexpected.isEmpty()) {
            throw failure("expected no message within " + within + " (controlled time) but received " + unexpected);
        }
    }

    /**
     * Waits for quiescence without moving time, then asserts that no message is waiting to be
     * expected.
     *
     * @throws AssertionError if a message is waiting
     */
    public void expectNoMessage() {
        expectNoMessage(Duration.ZERO);
    }

    /**
     * The messages received and not yet taken by an {@code expect...} method.
     *
     * @return a snapshot, oldest first
     */
    public List<M> pendingMessages() {
        return inbox.snapshot();
    }

    /** {@inheritDoc} */
    @Override
    public ProcessId id() {
        return process.id();
    }

    /** {@inheritDoc} */
    @Override
    public String name() {
        return process.name();
    }

    /** {@inheritDoc} */
    @Override
    public ProcessStatus status() {
        return process.status();
    }

    /** The probe's own mailbox: messages received by the process, not yet recorded. {@inheritDoc} */
    @Override
    public int mailboxSize() {
        return process.mailboxSize();
    }

    /** {@inheritDoc} */
    @Override
    public boolean send(M message) {
        return process.send(message);
    }

    /** {@inheritDoc} */
    @Override
    public boolean send(M message, Duration timeout) throws InterruptedException {
        return process.send(message, timeout);
    }

    /**
     * Sends the request; a probe never answers, so the future fails when the timeout runs out on
     * the kit's clock. {@inheritDoc}
     */
    @Override
    public <R> CompletableFuture<R> ask(Function<Reply<R>, ? extends M> request) {
        return process.ask(request);
    }

    /**
     * Sends the request; a probe never answers, so the future fails when the timeout runs out on
     * the kit's clock. {@inheritDoc}
     */
    @Override
    public <R> CompletableFuture<R> ask(Function<Reply<R>, ? extends M> request, Duration timeout) {
        return process.ask(request, timeout);
    }

    /** {@inheritDoc} */
    @Override
    public CompletableFuture<Void> stop() {
        return process.stop();
    }

    /** {@inheritDoc} */
    @Override
    public CompletableFuture<Void> stop(StopReason reason) {
        return process.stop(reason);
    }

    /** {@inheritDoc} */
    @Override
    public CompletableFuture<StopReason> termination() {
        return process.termination();
    }

    /**
     * Names the probe and the messages waiting to be expected.
     *
     * @return the description
     */
    @Override
    public String toString() {
        return "TestProbe[" + process.name() + ", pending=" + inbox.snapshot() + "]";
    }

    private M next(String expectation) {
        try {
            M received = inbox.poll(ProcessTestKit.DEFAULT_TIMEOUT);
            if (received == null) {
                throw failure(expectation + " within " + ProcessTestKit.DEFAULT_TIMEOUT
                        + " (real time) but received nothing");
            }
            return received;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for a message on probe " + process.name(), e);
        }
    }

    private AssertionError failure(String what) {
        return new AssertionError(
                "probe " + process.name() + ": " + what + "\n" + kit.events().describe());
    }

    /** Received messages not yet expected, in arrival order. */
    private static final class Inbox<M> {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition arrived = lock.newCondition();
        private final ArrayDeque<M> messages = new ArrayDeque<>();

        void add(M message) {
            lock.lock();
            try {
                messages.add(message);
                arrived.signalAll();
            } finally {
                lock.unlock();
            }
        }

        M poll(Duration timeout) throws InterruptedException {
            long left = timeout.toNanos();
            lock.lock();
            try {
                while (messages.isEmpty()) {
                    if (left <= 0) {
                        return null;
                    }
                    left = arrived.awaitNanos(left);
                }
                return messages.poll();
            } finally {
                lock.unlock();
            }
        }

        List<M> drain() {
            lock.lock();
            try {
                List<M> all = List.copyOf(messages);
                messages.clear();
                return all;
            } finally {
                lock.unlock();
            }
        }

        List<M> snapshot() {
            lock.lock();
            try {
                return List.copyOf(messages);
            } finally {
                lock.unlock();
            }
        }
    }
}

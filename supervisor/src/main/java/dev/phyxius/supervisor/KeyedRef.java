package dev.phyxius.supervisor;

import dev.phyxius.process.ProcessId;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessStatus;
import dev.phyxius.process.Reply;
import dev.phyxius.process.StopReason;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The ref of one key of a keyed group: every call goes through the group, which routes it to the
 * key's current life or holds it for the next. See {@link KeyedProcesses#ref(Object)}.
 */
final class KeyedRef<K, M> implements ProcessRef<M> {

    private static final Duration DEFAULT_ASK_TIMEOUT = Duration.ofSeconds(5);

    private final KeyedProcesses<K, M> group;
    private final K key;
    /** Made on first use: a ref made per send should cost one small object. */
    private ProcessId id;

    KeyedRef(KeyedProcesses<K, M> group, K key) {
        this.group = group;
        this.key = key;
    }

    @Override
    public ProcessId id() {
        ProcessId current = id;
        if (current == null) {
            // Benign race: every thread derives an equal id from the same key.
            current = group.idOf(key);
            id = current;
        }
        return current;
    }

    @Override
    public String name() {
        return group.name();
    }

    @Override
    public ProcessStatus status() {
        return group.statusOf(key);
    }

    @Override
    public int mailboxSize() {
        return group.mailboxSize(key);
    }

    @Override
    public boolean send(M message) {
        return group.offer(key, message).accepted();
    }

    @Override
    public boolean send(M message, Duration timeout) throws InterruptedException {
        return group.send(key, message, timeout);
    }

    @Override
    public <R> CompletableFuture<R> ask(Function<Reply<R>, ? extends M> request) {
        return group.ask(key, request, DEFAULT_ASK_TIMEOUT);
    }

    @Override
    public <R> CompletableFuture<R> ask(Function<Reply<R>, ? extends M> request, Duration timeout) {
        return group.ask(key, request, timeout);
    }

    /**
     * Ends the key's current life with {@link StopReason#NORMAL}; its next message starts a new one.
     */
    @Override
    public CompletableFuture<Void> stop() {
        return group.stopKey(key, StopReason.NORMAL);
    }

    /**
     * Ends the key's current life with {@code reason} (the message in progress finishes, queued
     * messages are reported dropped); messages sent meanwhile wait for its next life.
     */
    @Override
    public CompletableFuture<Void> stop(StopReason reason) {
        return group.stopKey(key, reason);
    }

    /** Completes once the group has stopped: only then can the key not come back. */
    @Override
    public CompletableFuture<StopReason> termination() {
        return group.termination();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KeyedRef<?, ?> that && group == that.group && key.equals(that.key);
    }

    @Override
    public int hashCode() {
        return 31 * System.identityHashCode(group) + key.hashCode();
    }

    @Override
    public String toString() {
        return "KeyedRef[" + id() + ", " + group.state(key) + "]";
    }
}

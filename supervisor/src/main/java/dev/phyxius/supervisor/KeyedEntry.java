package dev.phyxius.supervisor;

import dev.phyxius.clock.Cancellable;
import dev.phyxius.process.ProcessId;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.StopReason;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * One key of a keyed group while it is present: from the send that brings it to life until its
 * last life has ended and nothing waits for it. A key is present at most once at a time in its
 * group's map, and an entry has at most one process at a time, so there is at most one live
 * process per key.
 *
 * <p>Fields are guarded by this entry's monitor (held only for non-blocking work: a send, a
 * buffer operation, a state change); {@link #state} is also read without it, and the LRU links
 * are guarded by the group's {@link KeyOrder}. What the key's process writes or reads after each
 * message lives in its {@link KeyedLifeSpec} instead, so that the handler's thread never touches
 * the line the senders lock.
 */
final class KeyedEntry<K, M> {

    // -------------------------------------------------------------------------------------------
    // States. Sends go straight to the process only in LIVE; in ACTIVATING, DRAINING and ENDING they
    // wait in the buffer for the next life, in order; in GIVEN_UP and CLOSED they are refused.

    /** No process yet: a thread is spawning it (its {@code init} runs). */
    static final int ACTIVATING = 0;
    /** The process runs and takes sends. */
    static final int LIVE = 1;
    /** Passivating: the process finishes what it has queued, then ends. */
    static final int DRAINING = 2;
    /** The process has been asked to stop and is ending. */
    static final int ENDING = 3;
    /** Quarantined after a give-up or a failed activation. */
    static final int GIVEN_UP = 4;
    /** Gone from the map, or the group is stopping. */
    static final int CLOSED = 5;

    /** What an entry still activating must do once its process exists. */
    static final int END_NONE = 0;

    static final int END_DRAIN = 1;
    static final int END_NOW = 2;

    final K key;
    final ProcessId id;

    /** Written under the monitor; read without it by {@link KeyOrder}. */
    volatile int state = ACTIVATING;

    // Guarded by this.
    /** The current life's process; null while activating, between lives and once closed. */
    ProcessRef<M> process;
    /** The current life's spec, which its process reports to; set with {@link #process}. */
    KeyedLifeSpec<K, M, ?, ?> life;
    /** The spec of the current (or next) life; bounds the buffer. */
    ProcessSpec<M, ?, ?> spec;
    /** The supervisor that owns the current life. */
    SupervisorPool.Slot slot;
    /** Messages (and {@link PendingAsk}s) for the next life, in arrival order; null when none. */
    ArrayDeque<Object> buffer;
    /** The idle timer of a live key, or the quarantine timer of a given-up one. */
    Cancellable timer;
    /** Senders blocked in {@code send(message, timeout)} on the live process's full mailbox. */
    int blockedSenders;
    /** Whether the entry counts toward the group's live keys (activating or live). */
    boolean counted;
    /** An end asked for while activating: {@link #END_NONE}, {@link #END_DRAIN} or {@link #END_NOW}. */
    int endRequest = END_NONE;
    /** The reason the current life is (or will be) stopped with. */
    StopReason endReason;
    /** Why it passivates, for the event; null for a stop that is not a passivation. */
    KeyedEvent.PassivationCause endCause;
    /** Completes when the current life has ended; made only when someone waits for it. */
    CompletableFuture<Void> ended;

    // Guarded by the group's KeyOrder.
    KeyedEntry<K, M> newer;
    KeyedEntry<K, M> older;
    boolean ordered;

    KeyedEntry(K key, ProcessId id, ProcessSpec<M, ?, ?> spec) {
        this.key = key;
        this.id = id;
        this.spec = spec;
    }

    /** The future of the current life's end. Guarded by this. */
    CompletableFuture<Void> ended() {
        if (ended == null) {
            ended = new CompletableFuture<>();
        }
        return ended;
    }

    /** Takes the future of the current life's end, if anyone waits. Guarded by this. */
    CompletableFuture<Void> takeEnded() {
        CompletableFuture<Void> waiting = ended;
        ended = null;
        return waiting;
    }

    /** How many messages wait for the next life. Guarded by this. */
    int buffered() {
        return buffer == null ? 0 : buffer.size();
    }

    @Override
    public String toString() {
        return "KeyedEntry[" + id + ", state " + state + "]";
    }
}

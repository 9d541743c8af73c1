package dev.phyxius.supervisor;

import dev.phyxius.clock.Event;
import dev.phyxius.clock.Timestamp;
import dev.phyxius.process.ProcessId;
import dev.phyxius.process.StopReason;
import java.time.Duration;

/**
 * What a keyed group ({@link KeyedProcesses}) does with its keys, as structured events: emitted to
 * the sink given in {@link KeyedOptions#withEvents}, the same sink its processes and supervisors
 * report to, on the thread where it happens. Every event's {@link #at()} is read from the group's
 * clock, and {@link #group()} names the group; every event but {@link GroupStopped} names its key.
 *
 * <p>Accounting: a message the group accepted for a key that has no live process yet ends, like
 * any accepted message, in exactly one {@code MessageHandled} (once a life of its key handles it)
 * or one drop: a process's {@code MessageDropped} or this module's {@link MessageDropped}. A send
 * the group itself refuses emits one {@link MessageRejected}; a send a live process refuses emits
 * the process's own {@code MessageRejected}.
 *
 * @since 0.1
 */
public sealed interface KeyedEvent extends Event {

    /**
     * The group that emitted the event.
     *
     * @return its name
     */
    String group();

    /** Why a life ended passivated. */
    enum PassivationCause {
        /** It handled nothing for the group's idle timeout. */
        IDLE,
        /** It was the least recently used key while the group had more than its maximum of live keys. */
        EVICTED,
        /** {@link KeyedProcesses#passivate} asked for it. */
        REQUESTED,
        /** {@link KeyedProcesses#release} gave the key away (it is owned elsewhere now). */
        RELEASED
    }

    /** Why a message the group had accepted for a key's next life was never delivered. */
    enum DropReason {
        /** The group stopped first. */
        STOPPED,
        /** The key's {@code init} (or the spec factory) failed, so there was no life to deliver to. */
        ACTIVATION_FAILED,
        /** The key's process was given up on while the message waited. */
        GAVE_UP,
        /** The key was released to another owner while the message waited. */
        RELEASED,
        /** Evicted as the oldest waiting message by a send into a full {@code DROP_OLDEST} mailbox. */
        EVICTED,
        /** The key's new life refused it (its spec has a smaller mailbox than the last one). */
        REFUSED
    }

    /**
     * A key came to life: its process was spawned (its {@code init} returned), before any of its
     * messages is handled.
     *
     * @param at      when
     * @param group   which group
     * @param key     which key
     * @param process the process's id ({@code group/key})
     */
    record Activated(Timestamp at, String group, Object key, ProcessId process) implements KeyedEvent {}

    /**
     * A key could not come to life: the spec factory threw, {@code init} threw, or there was no
     * supervisor to run it. Its waiting messages are dropped ({@link MessageDropped}); the key is
     * quarantined like one given up on.
     *
     * @param at    when
     * @param group which group
     * @param key   which key
     * @param error what was thrown ({@code init}'s exception, not the {@code SpawnException} around it)
     */
    record ActivationFailed(Timestamp at, String group, Object key, Throwable error) implements KeyedEvent {}

    /**
     * The group chose a key to passivate because it had more live keys than its maximum: the least
     * recently used one. Its process finishes what it has queued, then ends ({@link Passivated}
     * with {@link PassivationCause#EVICTED}).
     *
     * @param at       when
     * @param group    which group
     * @param key      which key
     * @param process  its process
     * @param liveKeys how many keys were live, counting the one that made room necessary
     * @param maxLive  the group's maximum
     */
    record Evicted(Timestamp at, String group, Object key, ProcessId process, int liveKeys, int maxLive)
            implements KeyedEvent {}

    /**
     * A key's life ended passivated: its process ran {@code onStop} with {@code reason} and is
     * gone; the key's next message (or one that waited meanwhile) starts a fresh life.
     *
     * @param at      when
     * @param group   which group
     * @param key     which key
     * @param process the ended process
     * @param reason  what its {@code onStop} was given
     * @param cause   why the group let it go
     */
    record Passivated(
            Timestamp at,
            String group,
            Object key,
            ProcessId process,
            StopReason.Passivated reason,
            PassivationCause cause)
            implements KeyedEvent {}

    /**
     * The group's supervisor gave up on a key's process (it failed once more after the strategy's
     * restarts); the process ended {@code FAILED}. The key refuses messages for {@code quarantine}
     * ({@link SendResult#GIVEN_UP}); after it, its next message starts a fresh life.
     *
     * @param at         when
     * @param group      which group
     * @param key        which key
     * @param process    the failed process
     * @param error      its last failure
     * @param quarantine how long the key refuses messages; zero if not at all
     */
    record GaveUp(Timestamp at, String group, Object key, ProcessId process, Throwable error, Duration quarantine)
            implements KeyedEvent {}

    /**
     * The group refused a message for a key (the sender saw {@code false}, or the result in
     * {@code reason}); never emitted for {@link SendResult#ACCEPTED}.
     *
     * @param at      when
     * @param group   which group
     * @param key     which key
     * @param message the refused message; for a refused ask, its request function
     * @param reason  why
     */
    record MessageRejected(Timestamp at, String group, Object key, Object message, SendResult reason)
            implements KeyedEvent {}

    /**
     * A message the group had accepted for a key's next life will never be handled.
     *
     * @param at      when
     * @param group   which group
     * @param key     which key
     * @param message the message; for an ask that never reached a process, its request function
     * @param reason  why
     */
    record MessageDropped(Timestamp at, String group, Object key, Object message, DropReason reason)
            implements KeyedEvent {}

    /**
     * The group stopped: every key's process ended and every waiting message was reported. Always
     * the group's last event.
     *
     * @param at    when
     * @param group which group
     */
    record GroupStopped(Timestamp at, String group) implements KeyedEvent {}
}

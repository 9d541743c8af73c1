package dev.phyxius.process;

import dev.phyxius.clock.Event;
import dev.phyxius.clock.Timestamp;
import java.time.Duration;

/**
 * What happens to a process, as structured events: emitted to the {@link dev.phyxius.clock.EventSink}
 * given in {@link SpawnOptions#withEvents}, on the thread where it happens. Every event's
 * {@link #at()} is read from the process's clock.
 *
 * <p>Accounting guarantee: every message a process accepted ends in exactly one
 * {@link MessageHandled} or one {@link MessageDropped}; every refused send emits one
 * {@link MessageRejected}. With a {@linkplain SpawnOptions#withTimingSample timing sample},
 * {@code MessageHandled} is emitted for the timed messages only, and the others are counted in
 * {@link ProcessRef#handledCount()} instead.
 *
 * @since 0.1
 */
public sealed interface ProcessEvent extends Event {

    /**
     * The process the event is about.
     *
     * @return its identity
     */
    ProcessId id();

    /**
     * The process's name, from its spec.
     *
     * @return the name
     */
    String name();

    /** Why a message was refused. */
    enum RejectReason {
        /** The mailbox held {@code maxInbox} messages under {@link MailboxPolicy#REJECT}. */
        MAILBOX_FULL,
        /** The process is stopping, stopped or failed for good. */
        NOT_ACCEPTING
    }

    /** Why an accepted message was not handled. */
    enum DropReason {
        /** Evicted as the oldest by a send into a full {@link MailboxPolicy#DROP_OLDEST} mailbox. */
        EVICTED,
        /** Still queued when the process stopped. */
        STOPPED,
        /** Still queued when the process failed for good. */
        FAILED,
        /** The message whose handler threw; it is reported, never retried. */
        HANDLER_FAILED,
        /** A scheduled self-message whose timer key was cancelled or replaced after it fired. */
        SUPERSEDED
    }

    /**
     * {@code init} returned and the process is running.
     *
     * @param at   when
     * @param id   which process
     * @param name its name
     */
    record Started(Timestamp at, ProcessId id, String name) implements ProcessEvent {}

    /**
     * A supervised process ran {@code init} again and is running with fresh state.
     *
     * @param at   when
     * @param id   which process
     * @param name its name
     */
    record Restarted(Timestamp at, ProcessId id, String name) implements ProcessEvent {}

    /**
     * A handler returned normally (for every message, or for the timed ones under a
     * {@linkplain SpawnOptions#withTimingSample timing sample}).
     *
     * @param at          when the handler returned
     * @param id          which process
     * @param name        its name
     * @param messageType the message's class (never its contents)
     * @param queued      how long the message waited in the mailbox
     * @param handling    how long the handler ran
     */
    record MessageHandled(
            Timestamp at, ProcessId id, String name, Class<?> messageType, Duration queued, Duration handling)
            implements ProcessEvent {}

    /**
     * A handler or {@code init} threw. An unsupervised process is then {@link ProcessStatus#FAILED}
     * for good; a supervised one waits for its supervisor.
     *
     * @param at    when
     * @param id    which process
     * @param name  its name
     * @param error what was thrown
     */
    record Failed(Timestamp at, ProcessId id, String name, Throwable error) implements ProcessEvent {}

    /**
     * The process stopped for good after a stop request; always the last event of a stopped
     * process.
     *
     * @param at     when
     * @param id     which process
     * @param name   its name
     * @param reason the reason given to {@code stop}
     */
    record Stopped(Timestamp at, ProcessId id, String name, StopReason reason) implements ProcessEvent {}

    /**
     * A send was refused; the sender saw {@code false}.
     *
     * @param at      when
     * @param id      which process
     * @param name    its name
     * @param message the refused message
     * @param reason  why
     */
    record MessageRejected(Timestamp at, ProcessId id, String name, Object message, RejectReason reason)
            implements ProcessEvent {}

    /**
     * An accepted message will never be handled.
     *
     * @param at      when
     * @param id      which process
     * @param name    its name
     * @param message the message
     * @param reason  why
     */
    record MessageDropped(Timestamp at, ProcessId id, String name, Object message, DropReason reason)
            implements ProcessEvent {}

    /**
     * A stop waited the shutdown timeout for the message in progress (or {@code onStop}) and then
     * interrupted the process's thread.
     *
     * @param at     when
     * @param id     which process
     * @param name   its name
     * @param waited the shutdown timeout that ran out
     */
    record StopTimedOut(Timestamp at, ProcessId id, String name, Duration waited) implements ProcessEvent {}

    /**
     * {@code onStop} threw; the process still ends as it would have.
     *
     * @param at    when
     * @param id    which process
     * @param name  its name
     * @param error what {@code onStop} threw
     */
    record CleanupFailed(Timestamp at, ProcessId id, String name, Throwable error) implements ProcessEvent {}
}

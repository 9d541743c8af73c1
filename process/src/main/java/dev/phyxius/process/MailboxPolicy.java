package dev.phyxius.process;

/**
 * What {@code send} does when a process's mailbox is full.
 *
 * @since 0.1
 */
public enum MailboxPolicy {
    /** Refuse the new message: {@code send} returns {@code false} and a
     *  {@link ProcessEvent.MessageRejected} is emitted. */
    REJECT,
    /** Evict the oldest queued message (reported as {@link ProcessEvent.MessageDropped}) and
     *  accept the new one. */
    DROP_OLDEST
}

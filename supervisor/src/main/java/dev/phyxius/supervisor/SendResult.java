package dev.phyxius.supervisor;

/**
 * What became of a message offered to a keyed group ({@link KeyedProcesses#offer}): accepted, or
 * refused with the reason. A refused message was never accepted, so it is never handled; an
 * accepted one is handled by a life of its key or reported as dropped.
 *
 * @since 0.1
 */
public enum SendResult {
    /** Accepted: queued in the key's process, or held for the key's next life while it starts or passivates. */
    ACCEPTED,
    /**
     * The key's mailbox is full: its process holds {@code maxInbox} messages under
     * {@link dev.phyxius.process.MailboxPolicy#REJECT}, or as many wait for its next life.
     */
    MAILBOX_FULL,
    /** The group is stopping or stopped, or the key's process was stopped from outside the group. */
    STOPPED,
    /**
     * The key's process failed beyond its restarts (or its {@code init} failed) and the group
     * refuses its messages for the quarantine ({@link KeyedOptions#withQuarantine}).
     */
    GIVEN_UP,
    /** The key is owned elsewhere: the group's {@link KeyOwnership} said no. */
    NOT_OWNED,
    /** The group's spec factory threw for the key (a {@link KeyedEvent.ActivationFailed} says what). */
    SPEC_FAILED;

    /**
     * Whether the message was accepted.
     *
     * @return {@code true} for {@link #ACCEPTED}
     */
    public boolean accepted() {
        return this == ACCEPTED;
    }
}

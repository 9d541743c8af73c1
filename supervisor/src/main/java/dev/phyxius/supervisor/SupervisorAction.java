package dev.phyxius.supervisor;

/**
 * What a supervisor does when one of its children fails.
 *
 * @since 0.1
 */
public enum SupervisorAction {
    /**
     * Restart the child in place (fresh {@code init}, same ref), with the siblings the
     * {@link SupervisionStrategy} names, within the strategy's intensity and after its backoff.
     */
    RESTART,
    /** Do not restart: the failed child ends {@code FAILED} and the supervisor forgets it. */
    STOP,
    /**
     * Hand the failure to the parent supervisor, which treats this whole supervisor as one failed
     * child under its own strategy. The failed child is held (suspended, its mailbox kept) until
     * the parent decides. Without a parent there is nobody to hand it to: the child ends
     * {@code FAILED} and a {@link SupervisorEvent.GaveUp} is emitted.
     */
    ESCALATE
}

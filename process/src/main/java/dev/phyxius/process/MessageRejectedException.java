package dev.phyxius.process;

/**
 * Fails an {@linkplain ProcessRef#ask ask} whose message the process did not accept.
 *
 * @since 0.1
 */
public final class MessageRejectedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** Why the message was refused. */
    private final transient ProcessEvent.RejectReason reason;

    /**
     * Creates the exception.
     *
     * @param message the description, naming the process
     * @param reason  why the message was refused
     */
    public MessageRejectedException(String message, ProcessEvent.RejectReason reason) {
        super(message);
        this.reason = reason;
    }

    /**
     * Why the message was refused.
     *
     * @return the reason
     */
    public ProcessEvent.RejectReason reason() {
        return reason;
    }
}

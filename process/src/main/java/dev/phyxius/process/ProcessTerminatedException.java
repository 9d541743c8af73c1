package dev.phyxius.process;

/**
 * Fails an {@linkplain ProcessRef#ask ask} whose process stopped or failed before replying.
 *
 * @since 0.1
 */
public final class ProcessTerminatedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** Why the process ended. */
    private final transient StopReason reason;

    /**
     * Creates the exception.
     *
     * @param message the description, naming the process
     * @param reason  why the process ended
     */
    public ProcessTerminatedException(String message, StopReason reason) {
        super(message, reason instanceof StopReason.Error error ? error.cause() : null);
        this.reason = reason;
    }

    /**
     * Why the process ended.
     *
     * @return the reason
     */
    public StopReason reason() {
        return reason;
    }
}

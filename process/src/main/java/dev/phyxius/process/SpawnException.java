package dev.phyxius.process;

/**
 * Thrown by {@link Processes#spawn} when a process's {@code init} throws; the cause is what
 * {@code init} threw.
 *
 * @since 0.1
 */
public final class SpawnException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message which process failed to start
     * @param cause   what {@code init} threw
     */
    public SpawnException(String message, Throwable cause) {
        super(message, cause);
    }
}

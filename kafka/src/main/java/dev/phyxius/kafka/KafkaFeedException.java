package dev.phyxius.kafka;

/**
 * A feed cannot start or cannot go on: a topic is missing or of the wrong kind, a record's key or
 * value does not deserialise and there is no dead-letter topic, or the consumer failed. Nothing the
 * feed read past the cause is committed, so a feed started again after the fix loses nothing.
 *
 * @since 0.1
 */
public final class KafkaFeedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * An exception with a message that names what is wrong.
     *
     * @param message what is wrong, naming the topic, partition and offset where there is one
     */
    public KafkaFeedException(String message) {
        super(message);
    }

    /**
     * An exception with a message and its cause.
     *
     * @param message what is wrong
     * @param cause   what was thrown
     */
    public KafkaFeedException(String message, Throwable cause) {
        super(message, cause);
    }
}

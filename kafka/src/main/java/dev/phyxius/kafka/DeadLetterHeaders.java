package dev.phyxius.kafka;

/**
 * The headers a dead-lettered record carries, besides its own: where it came from, which process
 * gave up on it and what was thrown. Values are UTF-8 strings.
 *
 * @since 0.1
 */
public final class DeadLetterHeaders {

    /** The topic the record was read from. */
    public static final String TOPIC = "phyxius.dlt.topic";
    /** Its partition, in decimal. */
    public static final String PARTITION = "phyxius.dlt.partition";
    /** Its offset, in decimal. */
    public static final String OFFSET = "phyxius.dlt.offset";
    /** The keyed group's name. */
    public static final String GROUP = "phyxius.dlt.group";
    /** The id of the process that failed on it ({@code group/key}); absent when no process got it. */
    public static final String PROCESS = "phyxius.dlt.process";
    /** Why it is here: {@code handler-failed}, {@code key-not-deserialisable}, {@code value-not-deserialisable}, {@code spec-failed}. */
    public static final String REASON = "phyxius.dlt.reason";
    /** The class name of the exception. */
    public static final String EXCEPTION_CLASS = "phyxius.dlt.exception.class";
    /** The exception's message (empty if it had none). */
    public static final String EXCEPTION_MESSAGE = "phyxius.dlt.exception.message";
    /** How many times the record was tried, in decimal. */
    public static final String ATTEMPTS = "phyxius.dlt.attempts";

    private DeadLetterHeaders() {}
}

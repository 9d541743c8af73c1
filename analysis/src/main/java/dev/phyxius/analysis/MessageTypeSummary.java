package dev.phyxius.analysis;

import java.time.Instant;
import java.util.Objects;

/**
 * The recorded handling of one message type in one process, for "the slowest messages by type".
 *
 * @param messageType the message class's name
 * @param handling    how long its handlers ran
 * @param slowestAt   when the slowest one started
 * @param slowestProcessId the id of the process that handled the slowest one
 * @param slowestTraceId   the trace id of the slowest one, empty if it was not traced
 * @since 0.1
 */
public record MessageTypeSummary(
        String messageType, Distribution handling, Instant slowestAt, String slowestProcessId, String slowestTraceId) {
    /**
     * Creates a summary.
     *
     * @throws NullPointerException if an argument is {@code null}
     */
    public MessageTypeSummary {
        Objects.requireNonNull(messageType, "messageType");
        Objects.requireNonNull(handling, "handling");
        Objects.requireNonNull(slowestAt, "slowestAt");
        Objects.requireNonNull(slowestProcessId, "slowestProcessId");
        Objects.requireNonNull(slowestTraceId, "slowestTraceId");
    }
}

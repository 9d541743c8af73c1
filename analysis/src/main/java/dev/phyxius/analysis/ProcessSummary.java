package dev.phyxius.analysis;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a recording says about the processes of one name.
 *
 * @param name          the process name
 * @param handled       messages handled normally: the larger of what {@code dev.phyxius.ProcessStatistics}
 *                      counted (every message, whatever the {@code MessageHandled} threshold, up to
 *                      its last period) and the recorded {@code MessageHandled} events without an error
 * @param recordedMessages {@code MessageHandled} events recorded (above the threshold)
 * @param handling      handler time of the recorded messages
 * @param mailboxWait   mailbox wait of the recorded messages
 * @param maxMailbox    the deepest mailbox {@code ProcessStatistics} sampled, 0 without it
 * @param maxLive       the most live processes {@code ProcessStatistics} sampled, 0 without it
 * @param failures      {@code dev.phyxius.ProcessFailed} by error type
 * @param restarts      {@code dev.phyxius.ProcessRestarted} events
 * @param giveUps       {@code dev.phyxius.SupervisorGaveUp} events naming this process
 * @param drops         {@code dev.phyxius.MessageDropped} by reason
 * @param rejections    {@code dev.phyxius.MessageRejected} by reason
 * @param slowestTypes  the message types with the slowest recorded handler, slowest first (at most 5)
 * @param jdk           what the JDK's events say about its handlers
 * @param series        the same over time, for charts
 * @since 0.1
 */
public record ProcessSummary(
        String name,
        long handled,
        long recordedMessages,
        Distribution handling,
        Distribution mailboxWait,
        long maxMailbox,
        int maxLive,
        Map<String, Long> failures,
        long restarts,
        long giveUps,
        Map<String, Long> drops,
        Map<String, Long> rejections,
        List<MessageTypeSummary> slowestTypes,
        JdkActivity jdk,
        Series series) {

    /**
     * Creates a summary; the maps and lists are copied.
     *
     * @throws NullPointerException if an argument is {@code null}
     */
    public ProcessSummary {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(handling, "handling");
        Objects.requireNonNull(mailboxWait, "mailboxWait");
        failures = Map.copyOf(failures);
        drops = Map.copyOf(drops);
        rejections = Map.copyOf(rejections);
        slowestTypes = List.copyOf(slowestTypes);
        Objects.requireNonNull(jdk, "jdk");
        Objects.requireNonNull(series, "series");
    }

    /**
     * All failures, whatever their type.
     *
     * @return the sum of {@link #failures()}
     */
    public long failureCount() {
        return failures.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * The figures of one process name over the recording's time bins and handling-time buckets
     * (see {@link Analysis#binStart()}, {@link Analysis#binWidth()} and
     * {@link Analysis#HANDLING_BUCKETS}).
     *
     * @param handlingHistogram recorded messages per handling-time bucket
     * @param maxMailboxWait    the longest recorded mailbox wait per time bin, in nanoseconds
     * @param maxMailboxSize    the deepest sampled mailbox per time bin
     * @param failures          failures per time bin
     * @param restarts          restarts per time bin
     */
    public record Series(
            List<Long> handlingHistogram,
            List<Long> maxMailboxWait,
            List<Long> maxMailboxSize,
            List<Long> failures,
            List<Long> restarts) {
        /**
         * Creates the series; the lists are copied.
         *
         * @throws NullPointerException if a list is {@code null}
         */
        public Series {
            handlingHistogram = List.copyOf(handlingHistogram);
            maxMailboxWait = List.copyOf(maxMailboxWait);
            maxMailboxSize = List.copyOf(maxMailboxSize);
            failures = List.copyOf(failures);
            restarts = List.copyOf(restarts);
        }
    }
}

package dev.phyxius.analysis;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * What was recorded, and how: the file, its time span, the {@code MessageHandled} threshold in
 * force, and which of the JDK events the report reads were there.
 *
 * @param source             the file (or stream) the recording came from
 * @param start              the earliest event's start
 * @param end                the latest event's end
 * @param phyxiusEvents      how many {@code dev.phyxius.*} events it holds
 * @param messageThreshold   the {@code dev.phyxius.MessageHandled} threshold the recording ran with
 *                           (the last one set), {@link Duration#ZERO} if it does not say
 * @param jdkEvents          the JDK events the report reads that the recording has enabled:
 *                           {@code jdk.VirtualThreadPinned}, {@code jdk.JavaMonitorEnter},
 *                           {@code jdk.ThreadPark}, {@code jdk.GCPhasePause}
 * @since 0.1
 */
public record RecordingInfo(
        String source,
        Instant start,
        Instant end,
        long phyxiusEvents,
        Duration messageThreshold,
        Set<String> jdkEvents) {
    /**
     * Creates the description; the set is copied.
     *
     * @throws NullPointerException if an argument is {@code null}
     */
    public RecordingInfo {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(messageThreshold, "messageThreshold");
        jdkEvents = Set.copyOf(jdkEvents);
    }

    /**
     * How long the recording covers.
     *
     * @return {@code end - start}
     */
    public Duration duration() {
        return Duration.between(start, end);
    }
}

package dev.phyxius.analysis;

import java.time.Duration;
import java.util.Objects;

/**
 * What the JDK's own events of the same recording say about one process's handlers: events on
 * the thread that ran a recorded handler, while it ran.
 *
 * @param pinned       {@code jdk.VirtualThreadPinned}: the handler pinned its carrier thread
 * @param monitorEnter {@code jdk.JavaMonitorEnter}: the handler waited to enter a monitor
 * @param park         {@code jdk.ThreadPark}: the handler's thread parked (on a platform thread,
 *                     or a virtual thread that was pinned)
 * @param slowMessages recorded messages at or above the slow-handler threshold
 * @param slowTime     their handler time, summed (the events' own durations)
 * @param slowDuringGc of those, how many overlapped a GC pause ({@code jdk.GCPhasePause})
 * @param gcPauseInSlow the total GC pause time inside those slow handlers
 * @since 0.1
 */
public record JdkActivity(
        Blocking pinned,
        Blocking monitorEnter,
        Blocking park,
        long slowMessages,
        Duration slowTime,
        long slowDuringGc,
        Duration gcPauseInSlow) {

    /** Nothing seen. */
    public static final JdkActivity NONE =
            new JdkActivity(Blocking.NONE, Blocking.NONE, Blocking.NONE, 0, Duration.ZERO, 0, Duration.ZERO);

    /**
     * Creates a summary.
     *
     * @throws NullPointerException if an argument is {@code null}
     */
    public JdkActivity {
        Objects.requireNonNull(pinned, "pinned");
        Objects.requireNonNull(monitorEnter, "monitorEnter");
        Objects.requireNonNull(park, "park");
        Objects.requireNonNull(slowTime, "slowTime");
        Objects.requireNonNull(gcPauseInSlow, "gcPauseInSlow");
    }

    /**
     * JDK events of one kind inside handlers.
     *
     * @param count how many
     * @param total their durations, summed
     * @param max   the longest
     * @param detail what the longest was about (the monitor's or parked-on class, the blocking
     *              operation of a pin), empty if the recording does not say
     */
    public record Blocking(long count, Duration total, Duration max, String detail) {
        /** None. */
        public static final Blocking NONE = new Blocking(0, Duration.ZERO, Duration.ZERO, "");

        /**
         * Creates a summary.
         *
         * @throws NullPointerException if an argument is {@code null}
         */
        public Blocking {
            Objects.requireNonNull(total, "total");
            Objects.requireNonNull(max, "max");
            Objects.requireNonNull(detail, "detail");
        }
    }
}

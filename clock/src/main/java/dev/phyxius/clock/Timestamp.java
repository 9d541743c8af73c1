package dev.phyxius.clock;

import java.time.Instant;

/**
 * One reading of a {@link Clock}: wall time and monotonic time, read together.
 *
 * <p>Wall time may jump in either direction; monotonic time never goes back on one clock and is
 * meaningful only as a difference between two readings of the same clock.
 *
 * @param wallMillis milliseconds since the Unix epoch, as the clock's calendar says
 * @param monoNanos  nanoseconds on the clock's monotonic timeline
 * @since 0.1
 */
public record Timestamp(long wallMillis, long monoNanos) {

    /**
     * The wall reading as an {@link Instant}.
     *
     * @return the wall time of this reading
     */
    public Instant wall() {
        return Instant.ofEpochMilli(wallMillis);
    }
}

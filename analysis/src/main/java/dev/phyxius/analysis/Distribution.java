package dev.phyxius.analysis;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * A summary of recorded durations: how many, the median, the 99th percentile and the largest.
 * Percentiles are exact over what was recorded (nearest rank).
 *
 * @param count how many durations were recorded
 * @param p50   the median, {@link Duration#ZERO} if none
 * @param p99   the 99th percentile, {@link Duration#ZERO} if none
 * @param max   the largest, {@link Duration#ZERO} if none
 * @since 0.1
 */
public record Distribution(long count, Duration p50, Duration p99, Duration max) {

    /** No durations at all. */
    public static final Distribution EMPTY = new Distribution(0, Duration.ZERO, Duration.ZERO, Duration.ZERO);

    /**
     * Creates a distribution.
     *
     * @throws NullPointerException     if a duration is {@code null}
     * @throws IllegalArgumentException if {@code count} is negative
     */
    public Distribution {
        Objects.requireNonNull(p50, "p50");
        Objects.requireNonNull(p99, "p99");
        Objects.requireNonNull(max, "max");
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, was " + count);
        }
    }

    /**
     * The distribution of {@code nanos}.
     *
     * @param nanos durations in nanoseconds, in any order; not modified
     * @param count how many of {@code nanos} are used (from the start)
     * @return the distribution
     */
    public static Distribution ofNanos(long[] nanos, int count) {
        if (count == 0) {
            return EMPTY;
        }
        long[] sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
        return new Distribution(
                count,
                Duration.ofNanos(rank(sorted, 0.50)),
                Duration.ofNanos(rank(sorted, 0.99)),
                Duration.ofNanos(sorted[count - 1]));
    }

    /** Nearest rank: the smallest value with at least {@code quantile} of the values at or below it. */
    private static long rank(long[] sorted, double quantile) {
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}

package dev.phyxius.analysis.internal;

import dev.phyxius.analysis.Distribution;
import java.time.Duration;

/**
 * A fixed-size histogram of durations: buckets of 8 per power of two from 1 µs, so a percentile
 * read from it is within about 9% (an upper bound of its bucket); the maximum is kept exactly.
 * About 2.3 KiB whatever is recorded. Not thread-safe.
 */
public final class Histogram {

    static final int SUB_BUCKETS = 8;
    static final int OCTAVES = 36; // 1 µs * 2^36: about 19 hours
    static final int BUCKETS = OCTAVES * SUB_BUCKETS + 1;

    private final long[] counts = new long[BUCKETS];
    private long total;
    private long max;

    /** Records one duration. */
    public void record(long nanos) {
        counts[bucket(nanos)]++;
        total++;
        max = Math.max(max, nanos);
    }

    /** Adds every count of {@code other}. */
    public void addAll(Histogram other) {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
        max = Math.max(max, other.max);
    }

    /** Forgets everything. */
    public void clear() {
        java.util.Arrays.fill(counts, 0);
        total = 0;
        max = 0;
    }

    /** The distribution, each percentile as its bucket's upper bound (but never above the max). */
    public Distribution distribution() {
        if (total == 0) {
            return Distribution.EMPTY;
        }
        return new Distribution(
                total, Duration.ofNanos(quantile(0.50)), Duration.ofNanos(quantile(0.99)), Duration.ofNanos(max));
    }

    private long quantile(double q) {
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(max, upperBound(i));
            }
        }
        return max;
    }

    static int bucket(long nanos) {
        long micros = nanos / 1000;
        if (micros < 1) {
            return 0;
        }
        int octave = 63 - Long.numberOfLeadingZeros(micros); // 2^octave <= micros
        if (octave >= OCTAVES) {
            return BUCKETS - 1;
        }
        long base = 1L << octave;
        int sub = (int) ((micros - base) * SUB_BUCKETS / base); // 0..7 within the octave
        return 1 + octave * SUB_BUCKETS + sub;
    }

    static long upperBound(int bucket) {
        if (bucket == 0) {
            return 1000;
        }
        if (bucket >= BUCKETS - 1) {
            return Long.MAX_VALUE;
        }
        int octave = (bucket - 1) / SUB_BUCKETS;
        int sub = (bucket - 1) % SUB_BUCKETS;
        long base = 1L << octave;
        return (base + base * (sub + 1) / SUB_BUCKETS) * 1000;
    }
}

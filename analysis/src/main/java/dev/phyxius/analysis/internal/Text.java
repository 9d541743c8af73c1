package dev.phyxius.analysis.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the reports write durations and times: short, with a unit, to three significant digits. */
public final class Text {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT).withZone(ZoneOffset.UTC);

    private Text() {}

    /**
     * A duration for people: {@code 850 ns}, {@code 12.3 µs}, {@code 61.0 ms}, {@code 2.50 s}.
     *
     * @param duration the duration
     * @return the text
     */
    public static String duration(Duration duration) {
        long nanos = duration.toNanos();
        if (nanos < 1_000) {
            return nanos + " ns";
        }
        if (nanos < 1_000_000) {
            return significant(nanos / 1e3) + " µs";
        }
        if (nanos < 1_000_000_000) {
            return significant(nanos / 1e6) + " ms";
        }
        return significant(nanos / 1e9) + " s";
    }

    private static String significant(double value) {
        if (value >= 100) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        if (value >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        return String.format(Locale.ROOT, "%.2f", value);
    }

    /**
     * A time of day in UTC, to the millisecond.
     *
     * @param time the instant
     * @return {@code HH:mm:ss.SSS}
     */
    public static String time(Instant time) {
        return TIME.format(time);
    }
}

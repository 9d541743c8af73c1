package dev.phyxius.simulation.internal;

import java.time.Duration;

/** Durations as the log prints them: whole milliseconds as {@code 150ms}, else to the microsecond. */
public final class Durations {

    private Durations() {}

    /**
     * Formats a duration for the log.
     *
     * @param duration any duration
     * @return {@code 150ms}, {@code 37.215ms} (truncated to the microsecond), {@code 500ns} below one
     */
    public static String format(Duration duration) {
        long nanos;
        try {
            nanos = duration.toNanos();
        } catch (ArithmeticException tooLong) {
            return duration.toString();
        }
        String sign = nanos < 0 ? "-" : "";
        long abs = Math.abs(nanos);
        long millis = abs / 1_000_000;
        long micros = (abs % 1_000_000) / 1_000;
        if (abs % 1_000_000 == 0) {
            return sign + millis + "ms";
        }
        if (millis == 0 && micros == 0) {
            return sign + abs + "ns";
        }
        String fraction = String.valueOf(1_000 + micros).substring(1);
        return sign + millis + "." + fraction + "ms";
    }
}

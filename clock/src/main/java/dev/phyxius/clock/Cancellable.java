package dev.phyxius.clock;

/**
 * A handle on something scheduled that has not necessarily run yet.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface Cancellable {

    /**
     * Prevents the scheduled work from running, if it has not started. For an interval, stops
     * every later run. Idempotent and thread-safe.
     *
     * @return {@code true} if this call prevented a run, {@code false} if the work had already
     *     run, was already cancelled, or is running now
     */
    boolean cancel();
}

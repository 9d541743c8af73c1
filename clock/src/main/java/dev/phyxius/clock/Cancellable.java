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
     * every later run; a run already going finishes. Idempotent and thread-safe.
     *
     * @return {@code true} if this call prevented a run, {@code false} if the work had already
     *     run, was already cancelled, or is running now; for an interval, {@code true} for the one
     *     call that stopped it, even from inside a run
     */
    boolean cancel();
}

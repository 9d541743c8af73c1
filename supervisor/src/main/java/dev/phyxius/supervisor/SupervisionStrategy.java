package dev.phyxius.supervisor;

import java.time.Duration;
import java.util.Objects;

/**
 * Which children restart when one fails, how many restarts are allowed in how much time
 * (intensity), and how long each restart waits ({@link Backoff}). Immutable and validated at
 * creation; {@code with...} methods return new instances.
 *
 * <p><b>Intensity.</b> A child may be restarted at most {@link #maxRestarts()} times inside any
 * sliding window of {@link #within()}, measured on the supervisor clock's monotonic time (a jump of
 * wall time changes nothing). The failure that would need one more restart gives up: see
 * {@link SupervisorEvent.GaveUp}. Unlike OTP, whose intensity is shared by all the children of a
 * supervisor, the window is kept per child, because giving up ends that child (or escalates its
 * failure), not the whole supervisor. The default is <b>3 restarts in 5 seconds</b>: friendlier
 * than OTP's 1 in 5 seconds, which gives up on the second failure of a child that crashes at
 * start-up only now and then.
 *
 * <p>The default backoff is {@link Backoff#none()}: restarts happen at once, as in OTP.
 *
 * @since 0.1
 */
public final class SupervisionStrategy {

    /** The default intensity count: 3 restarts... */
    public static final int DEFAULT_MAX_RESTARTS = 3;
    /** ...inside any 5 second window. */
    public static final Duration DEFAULT_WITHIN = Duration.ofSeconds(5);

    /** Which siblings restart with a failed child. */
    enum Scope {
        ONE_FOR_ONE,
        ONE_FOR_ALL,
        REST_FOR_ONE
    }

    private final Scope scope;
    private final int maxRestarts;
    private final Duration within;
    private final Backoff backoff;

    private SupervisionStrategy(Scope scope, int maxRestarts, Duration within, Backoff backoff) {
        this.scope = scope;
        this.maxRestarts = maxRestarts;
        this.within = within;
        this.backoff = backoff;
    }

    /**
     * Restart only the child that failed.
     *
     * @return the strategy, with the default intensity and no backoff
     */
    public static SupervisionStrategy oneForOne() {
        return new SupervisionStrategy(Scope.ONE_FOR_ONE, DEFAULT_MAX_RESTARTS, DEFAULT_WITHIN, Backoff.none());
    }

    /**
     * Restart every child when one fails: the others get {@code onStop} with
     * {@link dev.phyxius.process.StopReason#SHUTDOWN} (in reverse start order), then all start
     * again in start order.
     *
     * @return the strategy, with the default intensity and no backoff
     */
    public static SupervisionStrategy oneForAll() {
        return new SupervisionStrategy(Scope.ONE_FOR_ALL, DEFAULT_MAX_RESTARTS, DEFAULT_WITHIN, Backoff.none());
    }

    /**
     * Restart the failed child and every child started after it, which may depend on it; the
     * ones started before it are left alone.
     *
     * @return the strategy, with the default intensity and no backoff
     */
    public static SupervisionStrategy restForOne() {
        return new SupervisionStrategy(Scope.REST_FOR_ONE, DEFAULT_MAX_RESTARTS, DEFAULT_WITHIN, Backoff.none());
    }

    /**
     * This strategy with another intensity: at most {@code count} restarts of a child inside any
     * sliding window of {@code within}.
     *
     * @param count  the most restarts per window, at least 1
     * @param within the window, positive
     * @return a new strategy
     * @throws NullPointerException     if {@code within} is {@code null}
     * @throws IllegalArgumentException if {@code count < 1} or {@code within} is not positive
     */
    public SupervisionStrategy withMaxRestarts(int count, Duration within) {
        Objects.requireNonNull(within, "within");
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1, was " + count);
        }
        if (within.isZero() || within.isNegative()) {
            throw new IllegalArgumentException("within must be positive, was " + within);
        }
        return new SupervisionStrategy(scope, count, within, backoff);
    }

    /**
     * This strategy with another backoff.
     *
     * @param backoff how long restarts wait
     * @return a new strategy
     * @throws NullPointerException if {@code backoff} is {@code null}
     */
    public SupervisionStrategy withBackoff(Backoff backoff) {
        return new SupervisionStrategy(scope, maxRestarts, within, Objects.requireNonNull(backoff, "backoff"));
    }

    /**
     * The most restarts of one child inside a window.
     *
     * @return the count, at least 1
     */
    public int maxRestarts() {
        return maxRestarts;
    }

    /**
     * The sliding window of the intensity.
     *
     * @return the window, positive
     */
    public Duration within() {
        return within;
    }

    /**
     * The backoff.
     *
     * @return the backoff
     */
    public Backoff backoff() {
        return backoff;
    }

    Scope scope() {
        return scope;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SupervisionStrategy that
                && scope == that.scope
                && maxRestarts == that.maxRestarts
                && within.equals(that.within)
                && backoff.equals(that.backoff);
    }

    @Override
    public int hashCode() {
        return Objects.hash(scope, maxRestarts, within, backoff);
    }

    @Override
    public String toString() {
        String name = switch (scope) {
            case ONE_FOR_ONE -> "oneForOne";
            case ONE_FOR_ALL -> "oneForAll";
            case REST_FOR_ONE -> "restForOne";
        };
        return "SupervisionStrategy." + name + "().withMaxRestarts(" + maxRestarts + ", " + within + ").withBackoff("
                + backoff + ")";
    }
}

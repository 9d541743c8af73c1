package dev.phyxius.supervisor;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a supervisor waits before a restart. Immutable and validated at creation, like every
 * configuration object here; {@code with...} methods return new instances.
 *
 * <p>The delay depends on {@code n}, the number of the restart inside the strategy's intensity
 * window (1 for the first restart in the window): {@code min(initial * factor^(n-1), max)}. Because
 * {@code n} counts only restarts still inside the sliding window, the delay resets by itself once
 * a child has stayed up for a whole window: old restarts slide out and the next one is again the
 * first.
 *
 * <p>Jitter is off by default so that tests stay exact. With {@link #withJitter(double, long)} each
 * delay is shortened by a random fraction of itself, up to {@code fraction}, drawn from a generator
 * seeded with {@code seed} (one generator per supervisor), so runs stay reproducible and delays
 * never exceed {@code max}.
 *
 * @since 0.1
 */
public final class Backoff {

    private static final Backoff NONE = new Backoff(Duration.ZERO, Duration.ZERO, 1.0, 0.0, 0L);

    private final Duration initial;
    private final Duration max;
    private final double factor;
    private final double jitter;
    private final long seed;

    private Backoff(Duration initial, Duration max, double factor, double jitter, long seed) {
        this.initial = initial;
        this.max = max;
        this.factor = factor;
        this.jitter = jitter;
        this.seed = seed;
    }

    /**
     * No backoff: a failed child restarts at once, without waiting for any clock.
     *
     * @return the shared instance
     */
    public static Backoff none() {
        return NONE;
    }

    /**
     * Exponential backoff: the {@code n}-th restart inside the window waits
     * {@code min(initial * factor^(n-1), max)}.
     *
     * @param initial the first delay, positive
     * @param max     the longest delay, at least {@code initial}
     * @param factor  the growth per restart, at least 1 (1 gives a fixed delay)
     * @return the backoff
     * @throws NullPointerException     if {@code initial} or {@code max} is {@code null}
     * @throws IllegalArgumentException if {@code initial} is not positive, {@code max < initial},
     *     or {@code factor} is below 1 or not finite
     */
    public static Backoff exponential(Duration initial, Duration max, double factor) {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isZero() || initial.isNegative()) {
            throw new IllegalArgumentException("initial must be positive, was " + initial);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max must be >= initial (" + initial + "), was " + max);
        }
        if (!(factor >= 1.0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("factor must be a finite number >= 1, was " + factor);
        }
        return new Backoff(initial, max, factor, 0.0, 0L);
    }

    /**
     * This backoff with jitter: each delay is shortened by a random fraction of itself, uniformly
     * between 0 and {@code fraction}, from a generator seeded with {@code seed}.
     *
     * @param fraction how much of a delay jitter may take away, in {@code [0, 1]}; 0 turns it off
     * @param seed     the seed of each supervisor's generator, for reproducible runs
     * @return a new backoff
     * @throws IllegalArgumentException if {@code fraction} is outside {@code [0, 1]}
     */
    public Backoff withJitter(double fraction, long seed) {
        if (!(fraction >= 0.0 && fraction <= 1.0)) {
            throw new IllegalArgumentException("fraction must be in [0, 1], was " + fraction);
        }
        return new Backoff(initial, max, factor, fraction, seed);
    }

    /**
     * The delay before the {@code restart}-th restart inside the window, before jitter.
     *
     * @param restart the number of the restart inside the window, from 1
     * @return the delay; zero for {@link #none()}
     * @throws IllegalArgumentException if {@code restart < 1}
     */
    public Duration delay(int restart) {
        if (restart < 1) {
            throw new IllegalArgumentException("restart must be >= 1, was " + restart);
        }
        if (initial.isZero()) {
            return Duration.ZERO;
        }
        // In doubles so that a large exponent saturates at max instead of overflowing.
        double nanos = initial.toNanos() * Math.pow(factor, restart - 1);
        if (nanos >= max.toNanos()) {
            return max;
        }
        return Duration.ofNanos((long) nanos);
    }

    /**
     * The first delay; zero for {@link #none()}.
     *
     * @return the initial delay
     */
    public Duration initial() {
        return initial;
    }

    /**
     * The longest delay; zero for {@link #none()}.
     *
     * @return the cap
     */
    public Duration max() {
        return max;
    }

    /**
     * The growth per restart.
     *
     * @return the factor, at least 1
     */
    public double factor() {
        return factor;
    }

    /**
     * The jitter fraction; 0 when jitter is off.
     *
     * @return the fraction in {@code [0, 1]}
     */
    public double jitter() {
        return jitter;
    }

    /**
     * The seed of the jitter generator.
     *
     * @return the seed; meaningless when jitter is off
     */
    public long seed() {
        return seed;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Backoff that
                && initial.equals(that.initial)
                && max.equals(that.max)
                && Double.compare(factor, that.factor) == 0
                && Double.compare(jitter, that.jitter) == 0
                && seed == that.seed;
    }

    @Override
    public int hashCode() {
        return Objects.hash(initial, max, factor, jitter, seed);
    }

    @Override
    public String toString() {
        if (initial.isZero()) {
            return "Backoff.none()";
        }
        return "Backoff.exponential(" + initial + ", " + max + ", " + factor + ")"
                + (jitter > 0 ? ".withJitter(" + jitter + ", " + seed + ")" : "");
    }
}

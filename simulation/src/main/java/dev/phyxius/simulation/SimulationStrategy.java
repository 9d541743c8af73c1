package dev.phyxius.simulation;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * How a simulation picks the next thread at each scheduling point. Both strategies draw only
 * from the run's seed, so a seed replays the same interleaving under either. Immutable.
 *
 * <ul>
 *   <li>{@link #pct(int)}, the default: probabilistic concurrency testing (Burckhardt, Kothari,
 *       Musuvathi and Nagarakatte, ASPLOS 2010). Each process, forked task and the scenario gets
 *       a random priority, the highest-priority ready thread always runs, and at {@code depth - 1}
 *       random steps the running one drops below all others. A run of {@code n} such actors and
 *       at most {@code k} steps then finds a bug of depth {@code depth} (one that needs
 *       {@code depth} ordering constraints to show, such as "A runs six steps before B starts")
 *       with probability at least {@code 1 / (n * k^(depth-1))}, however many steps the bug
 *       needs an actor to run uninterrupted. After step {@code k} a run continues as a random
 *       walk, so that a spinning high-priority actor cannot starve the rest.
 *   <li>{@link #random()}: a random walk, every ready thread equally likely. It has no such
 *       guarantee: the chance of a bug that needs one actor to run {@code s} steps before another
 *       falls by half with each step, as {@code 2^-s}. It spreads runs more evenly over short
 *       interleavings.
 * </ul>
 *
 * <p>{@code k} is the length of a run in scheduling steps. {@link #pct(int, long)} fixes it;
 * {@link #pct(int)} measures it once per exploration (or per single run) with a calibration run
 * of the scenario under the random walk and a fixed seed, whose outcome is not judged: the
 * scenario then runs once more than the seeds asked for.
 *
 * @since 0.1
 */
public final class SimulationStrategy {

    /** The bug depth of {@link #defaults()}: most concurrency bugs need one to three orderings. */
    public static final int DEFAULT_DEPTH = 3;

    private static final SimulationStrategy RANDOM = new SimulationStrategy(Kind.RANDOM, 0, 0);

    /** The two strategies. */
    public enum Kind {
        /** Probabilistic concurrency testing. */
        PCT,
        /** A random walk. */
        RANDOM
    }

    private final Kind kind;
    private final int depth;
    private final long steps;

    private SimulationStrategy(Kind kind, int depth, long steps) {
        this.kind = kind;
        this.depth = depth;
        this.steps = steps;
    }

    /**
     * The strategy exploration uses unless told otherwise: {@code pct(3)}.
     *
     * @return PCT with bug depth {@value #DEFAULT_DEPTH}, {@code k} measured
     */
    public static SimulationStrategy defaults() {
        return pct(DEFAULT_DEPTH);
    }

    /**
     * The random walk.
     *
     * @return the random strategy
     */
    public static SimulationStrategy random() {
        return RANDOM;
    }

    /**
     * PCT for bugs of up to {@code depth} orderings, with the run length {@code k} measured by a
     * calibration run.
     *
     * @param depth at least 1; 1 uses priorities alone, with no change points
     * @return the strategy
     * @throws IllegalArgumentException if {@code depth} is below 1
     */
    public static SimulationStrategy pct(int depth) {
        return new SimulationStrategy(Kind.PCT, checkDepth(depth), 0);
    }

    /**
     * PCT for bugs of up to {@code depth} orderings, with change points drawn from the first
     * {@code steps} scheduling steps of each run; no calibration run.
     *
     * @param depth at least 1
     * @param steps {@code k}: at least 1, best the length of a run
     * @return the strategy
     * @throws IllegalArgumentException if {@code depth} or {@code steps} is below 1
     */
    public static SimulationStrategy pct(int depth, long steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, was " + steps);
        }
        return new SimulationStrategy(Kind.PCT, checkDepth(depth), steps);
    }

    /**
     * Which strategy this is.
     *
     * @return the kind
     */
    public Kind kind() {
        return kind;
    }

    /**
     * The bug depth of PCT.
     *
     * @return at least 1 for PCT; 0 for the random walk
     */
    public int depth() {
        return depth;
    }

    /**
     * PCT's {@code k}, if fixed.
     *
     * @return the steps; empty when measured by a calibration run, or for the random walk
     */
    public OptionalLong steps() {
        return steps > 0 ? OptionalLong.of(steps) : OptionalLong.empty();
    }

    /** Whether a run needs a calibration run first to measure {@code k}. */
    boolean measuresSteps() {
        return kind == Kind.PCT && steps == 0;
    }

    /**
     * The strategy as the code that makes it.
     *
     * @return {@code random()}, {@code pct(3)} or {@code pct(3, 200)}
     */
    @Override
    public String toString() {
        return switch (kind) {
            case RANDOM -> "random()";
            case PCT -> steps > 0 ? "pct(" + depth + ", " + steps + ")" : "pct(" + depth + ")";
        };
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SimulationStrategy that
                && kind == that.kind
                && depth == that.depth
                && steps == that.steps;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, depth, steps);
    }

    private static int checkDepth(int depth) {
        if (depth < 1) {
            throw new IllegalArgumentException("depth must be >= 1, was " + depth);
        }
        return depth;
    }
}

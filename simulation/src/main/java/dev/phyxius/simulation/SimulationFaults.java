package dev.phyxius.simulation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Faults a simulation injects, drawn from the run's seed so that a failing run replays exactly.
 * Immutable; every {@code with...} method returns a new instance.
 *
 * <ul>
 *   <li>{@link #crashHandlers(double)}: each message handled by a process spawned through
 *       {@link Simulation#spawn} (or wrapped by {@link Simulation#withFaults}) throws a
 *       {@link SimulationFaultException} instead of reaching the handler, with this probability.
 *   <li>{@link #delayTimers(double, Duration)}: each one-shot timer scheduled on the simulation's
 *       process clock ({@code tools.schedule}, ask timeouts, backoffs, shutdown timeouts) fires
 *       up to {@code max} later than asked, with this probability. Fixed-rate timers keep their
 *       cadence.
 *   <li>{@link #mailboxCapacity(int)}: every process spawned through the simulation gets at most
 *       this many mailbox places, so that sends meet full mailboxes and are refused ({@code
 *       REJECT}) or evict the oldest message ({@code DROP_OLDEST}) as the spec says.
 * </ul>
 *
 * @since 0.1
 */
public final class SimulationFaults {

    private static final SimulationFaults NONE = new SimulationFaults(0, 0, Duration.ZERO, 0);

    private final double crashProbability;
    private final double delayProbability;
    private final Duration maxDelay;
    private final int mailboxCapacity;

    private SimulationFaults(double crashProbability, double delayProbability, Duration maxDelay, int mailboxCapacity) {
        this.crashProbability = crashProbability;
        this.delayProbability = delayProbability;
        this.maxDelay = maxDelay;
        this.mailboxCapacity = mailboxCapacity;
    }

    /**
     * No faults: the run is shaped by scheduling alone.
     *
     * @return the empty fault set
     */
    public static SimulationFaults none() {
        return NONE;
    }

    /**
     * These faults, plus crashing handlers with {@code probability} per message.
     *
     * @param probability from 0 (never) to 1 (every message)
     * @return new faults
     * @throws IllegalArgumentException if {@code probability} is outside [0, 1]
     */
    public SimulationFaults crashHandlers(double probability) {
        return new SimulationFaults(checkProbability(probability, "probability"), delayProbability, maxDelay,
                mailboxCapacity);
    }

    /**
     * These faults, plus delaying one-shot timers by up to {@code max} with {@code probability}.
     *
     * @param probability from 0 (never) to 1 (every timer)
     * @param max         the longest extra delay, positive
     * @return new faults
     * @throws NullPointerException     if {@code max} is {@code null}
     * @throws IllegalArgumentException if {@code probability} is outside [0, 1] or {@code max}
     *                                  is not positive
     */
    public SimulationFaults delayTimers(double probability, Duration max) {
        Objects.requireNonNull(max, "max");
        if (max.isNegative() || max.isZero()) {
            throw new IllegalArgumentException("max must be positive, was " + max);
        }
        return new SimulationFaults(crashProbability, checkProbability(probability, "probability"), max,
                mailboxCapacity);
    }

    /**
     * These faults, plus capping every simulated mailbox at {@code capacity} places.
     *
     * @param capacity at least 1; a spec asking for fewer keeps its own
     * @return new faults
     * @throws IllegalArgumentException if {@code capacity} is below 1
     */
    public SimulationFaults mailboxCapacity(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
        }
        return new SimulationFaults(crashProbability, delayProbability, maxDelay, capacity);
    }

    /**
     * The probability that a handled message crashes its handler.
     *
     * @return from 0 to 1
     */
    public double crashProbability() {
        return crashProbability;
    }

    /**
     * The probability that a one-shot timer is delayed.
     *
     * @return from 0 to 1
     */
    public double delayProbability() {
        return delayProbability;
    }

    /**
     * The longest extra delay of a delayed timer.
     *
     * @return {@link Duration#ZERO} when timers are not delayed
     */
    public Duration maxDelay() {
        return maxDelay;
    }

    /**
     * The cap on mailbox places, or 0 when mailboxes keep the size their spec gives.
     *
     * @return the cap, or 0
     */
    public int mailboxCapacity() {
        return mailboxCapacity;
    }

    /**
     * Whether any fault is injected.
     *
     * @return {@code false} for {@link #none()}
     */
    public boolean any() {
        return crashProbability > 0 || delayProbability > 0 || mailboxCapacity > 0;
    }

    /**
     * Describes the faults as they appear in a reproduction line.
     *
     * @return for example {@code crashHandlers(0.05), mailboxCapacity(2)}, or {@code none}
     */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        if (crashProbability > 0) {
            parts.add("crashHandlers(" + crashProbability + ")");
        }
        if (delayProbability > 0) {
            parts.add("delayTimers(" + delayProbability + ", " + maxDelay + ")");
        }
        if (mailboxCapacity > 0) {
            parts.add("mailboxCapacity(" + mailboxCapacity + ")");
        }
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SimulationFaults that
                && crashProbability == that.crashProbability
                && delayProbability == that.delayProbability
                && maxDelay.equals(that.maxDelay)
                && mailboxCapacity == that.mailboxCapacity;
    }

    @Override
    public int hashCode() {
        return Objects.hash(crashProbability, delayProbability, maxDelay, mailboxCapacity);
    }

    private static double checkProbability(double probability, String name) {
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1], was " + probability);
        }
        return probability;
    }
}

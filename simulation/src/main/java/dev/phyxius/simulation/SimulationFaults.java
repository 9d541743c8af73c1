package dev.phyxius.simulation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Faults a simulation injects, drawn from the run's seed so that a failing run replays exactly.
 * Immutable; every method that adds a fault returns a new instance.
 *
 * <ul>
 *   <li>{@link #crashHandlers(double)}: each message handled by a process spawned through
 *       {@link Simulation#spawn} (or wrapped by {@link Simulation#withFaults}) throws a
 *       {@link SimulationFaultException} instead of reaching the handler, with this probability.
 *       {@link #inProcesses(String...)} and {@link #onMessages(Class...)} aim the crashes at
 *       processes by name and at messages by type. An injected crash is a failure the run
 *       expects: it never fails the run by itself, only through what the code then does.
 *   <li>{@link #delayTimers(double, Duration)}: each one-shot timer scheduled on the simulation's
 *       process clock ({@code tools.schedule}, ask timeouts, backoffs, shutdown timeouts), and
 *       each {@code tools.clock().sleep}, ends up to {@code max} later than asked, with this
 *       probability. Fixed-rate timers keep their cadence.
 *   <li>{@link #mailboxCapacity(int)}: every process spawned through the simulation gets at most
 *       this many mailbox places, so that sends meet full mailboxes and are refused ({@code
 *       REJECT}) or evict the oldest message ({@code DROP_OLDEST}) as the spec says.
 * </ul>
 *
 * @since 0.1
 */
public final class SimulationFaults {

    private static final SimulationFaults NONE = new SimulationFaults(0, Set.of(), List.of(), 0, Duration.ZERO, 0);

    private final double crashProbability;
    private final Set<String> crashProcesses;
    private final List<Class<?>> crashMessages;
    private final double delayProbability;
    private final Duration maxDelay;
    private final int mailboxCapacity;

    private SimulationFaults(
            double crashProbability,
            Set<String> crashProcesses,
            List<Class<?>> crashMessages,
            double delayProbability,
            Duration maxDelay,
            int mailboxCapacity) {
        this.crashProbability = crashProbability;
        this.crashProcesses = crashProcesses;
        this.crashMessages = crashMessages;
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
     * These faults, plus crashing handlers with {@code probability} per message: of every
     * process, unless {@link #inProcesses} narrows it, and on every message, unless
     * {@link #onMessages} does.
     *
     * @param probability from 0 (never) to 1 (every message)
     * @return new faults
     * @throws IllegalArgumentException if {@code probability} is outside [0, 1]
     */
    public SimulationFaults crashHandlers(double probability) {
        return new SimulationFaults(
                checkProbability(probability, "probability"),
                crashProcesses,
                crashMessages,
                delayProbability,
                maxDelay,
                mailboxCapacity);
    }

    /**
     * These faults, with handler crashes aimed at the processes of these names (their specs'
     * names) only. Other processes are never crashed, and draw nothing from the fault stream.
     *
     * @param names one or more process names
     * @return new faults
     * @throws NullPointerException     if {@code names} or a name is {@code null}
     * @throws IllegalArgumentException if no name is given, a name is blank, or no
     *                                  {@link #crashHandlers} probability was set first
     */
    public SimulationFaults inProcesses(String... names) {
        Objects.requireNonNull(names, "names");
        requireCrashes("inProcesses");
        if (names.length == 0) {
            throw new IllegalArgumentException("names must not be empty");
        }
        Set<String> aimed = new LinkedHashSet<>();
        for (String name : names) {
            Objects.requireNonNull(name, "names must not contain null");
            if (name.isBlank()) {
                throw new IllegalArgumentException("names must not contain a blank name");
            }
            aimed.add(name);
        }
        return new SimulationFaults(
                crashProbability,
                Collections.unmodifiableSet(aimed),
                crashMessages,
                delayProbability,
                maxDelay,
                mailboxCapacity);
    }

    /**
     * These faults, with handler crashes aimed at messages of these types (or subtypes, so a
     * sealed interface names all its messages) only.
     *
     * @param types one or more message types
     * @return new faults
     * @throws NullPointerException     if {@code types} or a type is {@code null}
     * @throws IllegalArgumentException if no type is given, or no {@link #crashHandlers}
     *                                  probability was set first
     */
    public SimulationFaults onMessages(Class<?>... types) {
        Objects.requireNonNull(types, "types");
        requireCrashes("onMessages");
        if (types.length == 0) {
            throw new IllegalArgumentException("types must not be empty");
        }
        for (Class<?> type : types) {
            Objects.requireNonNull(type, "types must not contain null");
        }
        return new SimulationFaults(
                crashProbability, crashProcesses, List.of(types), delayProbability, maxDelay, mailboxCapacity);
    }

    /**
     * These faults, plus delaying one-shot timers and clock sleeps by up to {@code max} with
     * {@code probability}.
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
        return new SimulationFaults(
                crashProbability,
                crashProcesses,
                crashMessages,
                checkProbability(probability, "probability"),
                max,
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
        return new SimulationFaults(
                crashProbability, crashProcesses, crashMessages, delayProbability, maxDelay, capacity);
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
     * The process names crashes are aimed at.
     *
     * @return the names, in the order given; empty when every process may crash
     */
    public Set<String> crashProcesses() {
        return crashProcesses;
    }

    /**
     * The message types crashes are aimed at.
     *
     * @return the types, in the order given; empty when every message may crash its handler
     */
    public List<Class<?>> crashMessages() {
        return crashMessages;
    }

    /**
     * Whether a crash may be injected into the process named {@code process} as it handles
     * {@code message}: the crashes are aimed at it (or at every process) and at the message's
     * type (or at every message).
     *
     * @param process the process name
     * @param message the message
     * @return {@code true} if the crash probability applies
     * @throws NullPointerException if an argument is {@code null}
     */
    public boolean aimsAt(String process, Object message) {
        Objects.requireNonNull(process, "process");
        Objects.requireNonNull(message, "message");
        if (!crashProcesses.isEmpty() && !crashProcesses.contains(process)) {
            return false;
        }
        if (crashMessages.isEmpty()) {
            return true;
        }
        for (Class<?> type : crashMessages) {
            if (type.isInstance(message)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The probability that a one-shot timer or a sleep is delayed.
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
     * Describes the faults as they appear in a reproduction line, as the code that makes them.
     *
     * @return for example {@code crashHandlers(0.05).inProcesses("teller").onMessages(Withdraw),
     *     mailboxCapacity(2)}, or {@code none}
     */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        if (crashProbability > 0) {
            StringBuilder crash =
                    new StringBuilder("crashHandlers(").append(crashProbability).append(')');
            if (!crashProcesses.isEmpty()) {
                crash.append(".inProcesses(\"")
                        .append(String.join("\", \"", crashProcesses))
                        .append("\")");
            }
            if (!crashMessages.isEmpty()) {
                crash.append(".onMessages(")
                        .append(String.join(
                                ", ",
                                crashMessages.stream().map(Class::getSimpleName).toList()))
                        .append(')');
            }
            parts.add(crash.toString());
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
                && crashProcesses.equals(that.crashProcesses)
                && crashMessages.equals(that.crashMessages)
                && delayProbability == that.delayProbability
                && maxDelay.equals(that.maxDelay)
                && mailboxCapacity == that.mailboxCapacity;
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                crashProbability, crashProcesses, crashMessages, delayProbability, maxDelay, mailboxCapacity);
    }

    private void requireCrashes(String method) {
        if (crashProbability == 0) {
            throw new IllegalArgumentException(method + " aims handler crashes: call crashHandlers(probability)"
                    + " with a probability above 0 first");
        }
    }

    private static double checkProbability(double probability, String name) {
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1], was " + probability);
        }
        return probability;
    }
}

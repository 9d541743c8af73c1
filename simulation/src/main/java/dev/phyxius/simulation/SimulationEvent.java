package dev.phyxius.simulation;

import dev.phyxius.simulation.internal.Durations;
import java.time.Duration;
import java.util.Objects;

/**
 * One entry of a simulation's event log: what happened, where, and at which virtual time.
 *
 * <p>Entries are recorded from inside the simulation's serialized execution, so that one seed
 * always gives the same log, entry for entry. {@link #toString()} is the line printed in failure
 * reports, for example {@code #12 [150ms] counter: MessageHandled(messageType=Increment)}.
 *
 * @param sequence   the position in the log, from 1
 * @param at         the simulation clock's monotonic time when it was recorded
 * @param source     who it is about: a process name, {@code scenario}, {@code clock},
 *                   {@code simulation} or a name given to {@link Simulation#record(String, String)}
 * @param text       what happened
 * @since 0.1
 */
public record SimulationEvent(long sequence, Duration at, String source, String text) {

    /**
     * Validates the entry.
     *
     * @throws NullPointerException if an argument is {@code null}
     */
    public SimulationEvent {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(text, "text");
    }

    /**
     * The log line: sequence, virtual time, source and text.
     *
     * @return {@code #sequence [time] source: text}
     */
    @Override
    public String toString() {
        return "#" + sequence + " [" + format(at) + "] " + source + ": " + text;
    }

    static String format(Duration at) {
        return Durations.format(at);
    }
}

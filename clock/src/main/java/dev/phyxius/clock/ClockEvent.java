package dev.phyxius.clock;

import java.time.Duration;
import java.util.Objects;

/**
 * An event a {@link Clock} reports about its own timers: a run that started late, a task that
 * threw, or interval ticks that were skipped.
 *
 * <p>Clocks emit these only to a sink they were given (see {@link Clock#system(EventSink)});
 * without one, no event object is created. {@link #at()} is always the reporting clock's own
 * reading. Instances are immutable values.
 *
 * @since 0.1
 */
public sealed interface ClockEvent extends Event
        permits ClockEvent.TimerFiredLate, ClockEvent.TaskFailed, ClockEvent.TickSkipped {

    /**
     * A one-shot or interval run that started noticeably after its due time, typically because
     * the machine was overloaded or paused (GC, suspend).
     *
     * @param at       when the run started
     * @param lateness how long after its due time the run started, positive
     * @since 0.1
     */
    record TimerFiredLate(Timestamp at, Duration lateness) implements ClockEvent {

        /**
         * Creates the event.
         *
         * @throws NullPointerException if an argument is {@code null}
         */
        public TimerFiredLate {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(lateness, "lateness");
        }
    }

    /**
     * A timer or interval task that threw. The timer machinery carries on: later timers run
     * and an interval keeps ticking.
     *
     * @param at    when the failure was caught
     * @param error what the task threw
     * @since 0.1
     */
    record TaskFailed(Timestamp at, Throwable error) implements ClockEvent {

        /**
         * Creates the event.
         *
         * @throws NullPointerException if an argument is {@code null}
         */
        public TaskFailed {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(error, "error");
        }
    }

    /**
     * Interval ticks that were skipped, because a run was still going when they fell due or
     * because the clock fell behind. The interval resumes at its next due time on the original
     * cadence.
     *
     * @param at      when the skip was noticed
     * @param skipped how many ticks were skipped, at least 1
     * @since 0.1
     */
    record TickSkipped(Timestamp at, long skipped) implements ClockEvent {

        /**
         * Creates the event.
         *
         * @throws NullPointerException     if {@code at} is {@code null}
         * @throws IllegalArgumentException if {@code skipped} is less than 1
         */
        public TickSkipped {
            Objects.requireNonNull(at, "at");
            if (skipped < 1) {
                throw new IllegalArgumentException("skipped must be >= 1, was " + skipped);
            }
        }
    }
}

package dev.phyxius.clock;

import dev.phyxius.clock.internal.SystemClock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A source of time and timers, made explicit so that code which depends on time can be tested
 * deterministically.
 *
 * <p>A clock gives two readings taken together: wall time, which follows the system's calendar
 * and may jump (NTP, an operator, a test), and monotonic time, which never goes back and is the
 * only reading that timeouts, intervals and restart windows are measured on.
 *
 * <p>Implementations are thread-safe. Timer tasks never run on the thread that scheduled them
 * on the {@linkplain #system() system clock}; a task that throws is reported as a
 * {@link ClockEvent.TaskFailed} (see {@link #system(EventSink)}) and never stops later timers
 * or an interval.
 *
 * @since 0.1
 */
public interface Clock {

    /**
     * Reads wall and monotonic time together.
     *
     * @return the current reading, never {@code null}
     */
    Timestamp now();

    /**
     * Reads monotonic time only, without allocating a {@link Timestamp}.
     *
     * @return nanoseconds on this clock's monotonic timeline; only differences are meaningful
     */
    default long monoNanos() {
        return now().monoNanos();
    }

    /**
     * The reading of the moment {@code monoNanos} on this clock's monotonic timeline, a moment
     * just past: lets a caller that has just read {@link #monoNanos()} stamp an event with it
     * without reading the clock again. The monotonic part is {@code monoNanos} exactly; the wall
     * part is that of {@link #now()} moved back by the monotonic time since then. The system clock
     * derives it from a wall reading at most a millisecond old instead, so it may be up to a
     * millisecond behind {@link System#currentTimeMillis()}.
     *
     * @param monoNanos a reading of {@link #monoNanos()}
     * @return the timestamp of that moment
     * @since 0.2
     */
    default Timestamp timestampAt(long monoNanos) {
        Timestamp now = now();
        long since = Math.max(0L, now.monoNanos() - monoNanos);
        return new Timestamp(now.wallMillis() - since / 1_000_000L, monoNanos);
    }

    /**
     * Runs {@code task} once after {@code delay}. A zero or negative delay runs the task as soon
     * as possible.
     *
     * @param delay how long to wait, measured on monotonic time
     * @param task  what to run
     * @return a handle that cancels the run if it has not started
     * @throws NullPointerException if an argument is {@code null}; the message names it
     */
    Cancellable schedule(Duration delay, Runnable task);

    /**
     * Runs {@code task} every {@code period}, first after one period, at a stable cadence: run
     * {@code n} is due at {@code start + n * period}, whatever each run took. Runs never overlap;
     * ticks that fall due while a run is still going are skipped rather than piled up.
     *
     * @param period the interval between due times, positive
     * @param task   what to run
     * @return a handle that stops the interval
     * @throws NullPointerException     if an argument is {@code null}; the message names it
     * @throws IllegalArgumentException if {@code period} is zero or negative
     */
    Cancellable scheduleAtFixedRate(Duration period, Runnable task);

    /**
     * Blocks the calling thread for {@code duration} of this clock's monotonic time.
     *
     * @param duration how long to sleep; zero or negative returns at once
     * @throws InterruptedException if the thread is interrupted while sleeping
     * @throws NullPointerException if {@code duration} is {@code null}
     */
    void sleep(Duration duration) throws InterruptedException;

    /**
     * Views this clock's wall time as a {@link InstantSource}, for code that takes
     * {@code java.time} types.
     *
     * @return a view that reads {@link #now()} on every call
     */
    default InstantSource asInstantSource() {
        return () -> Instant.ofEpochMilli(now().wallMillis());
    }

    /**
     * Views this clock's wall time as a {@link java.time.Clock} in UTC.
     *
     * @return a view that reads {@link #now()} on every call
     */
    default java.time.Clock asJavaClock() {
        return asInstantSource().withZone(ZoneOffset.UTC);
    }

    /**
     * The real clock: wall time from the system, monotonic time from {@link System#nanoTime()},
     * and timers on a small shared scheduler whose tasks run on virtual threads. Failures of
     * timer tasks are not reported anywhere; use {@link #system(EventSink)} to see them.
     *
     * @return the shared system clock
     */
    static Clock system() {
        return SystemClock.silent();
    }

    /**
     * The real clock, reporting {@link ClockEvent}s (a late timer, a failed task, a skipped
     * interval tick) to {@code events}. It shares its scheduler thread with every other system
     * clock.
     *
     * @param events where clock events go; a sink that throws is ignored
     * @return a system clock that reports to {@code events}
     * @throws NullPointerException if {@code events} is {@code null}
     */
    static Clock system(EventSink events) {
        return SystemClock.reportingTo(Objects.requireNonNull(events, "events"));
    }
}

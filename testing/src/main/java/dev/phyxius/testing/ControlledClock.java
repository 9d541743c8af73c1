package dev.phyxius.testing;

import dev.phyxius.clock.Cancellable;
import dev.phyxius.clock.Clock;
import dev.phyxius.clock.ClockEvent;
import dev.phyxius.clock.EventSink;
import dev.phyxius.clock.Timestamp;
import java.lang.reflect.UndeclaredThrowableException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link Clock} that moves only when a test tells it to, so that code depending on time runs
 * deterministically.
 *
 * <p><b>Readings.</b> A new clock reads wall time {@link Instant#EPOCH} (or the instant given to
 * {@link #startingAt(Instant)}) and monotonic time 0. {@link #advance(Duration)} moves both
 * readings; {@link #jumpWall(Instant)} moves wall time alone, as NTP or an operator would. No
 * real time is read anywhere.
 *
 * <p><b>Timers.</b> Timers are measured on monotonic time and run only inside {@code advance}
 * (or {@link #advanceToNextTimer()}), on the advancing thread, one at a time, in due order; timers
 * due at the same instant run in the order they were scheduled, and an interval keeps the place
 * it was scheduled at. A zero or negative delay means "due now": such a timer runs at the next
 * {@code advance}, even {@code advance(Duration.ZERO)}. While a timer runs, {@link #now()} reads
 * its due time. An interval catches up at its stable cadence: {@code advance} over ten periods
 * runs ten ticks, each reading its own due time; ticks are never skipped, so this clock never
 * emits {@link ClockEvent.TickSkipped} nor {@link ClockEvent.TimerFiredLate}.
 *
 * <p><b>Failures.</b> A task that throws never stops the advance or an interval. With an
 * {@link EventSink} (see {@link #create(EventSink)}), each failure is reported as a
 * {@link ClockEvent.TaskFailed}. Without one, {@code advance} rethrows the first failure once
 * every due timer has run, with later failures attached as {@linkplain Throwable#getSuppressed()
 * suppressed}, so that a test cannot lose a failure silently.
 *
 * <p><b>Threads.</b> Thread-safe: any thread may read, schedule and cancel while another
 * advances; advances from several threads are serialized. A timer task may schedule and cancel
 * timers and read the clock, but may not call {@code advance} or {@link #sleep(Duration)}, which
 * would wait for itself; both throw {@link IllegalStateException} there.
 *
 * @since 0.1
 */
public final class ControlledClock implements Clock {

    private static final Comparator<Timer> DUE_ORDER =
            Comparator.<Timer>comparingLong(timer -> timer.due).thenComparingLong(timer -> timer.sequence);

    /** Held for a whole advance, so that advances never interleave and timers never overlap. */
    private final ReentrantLock advancing = new ReentrantLock();

    /** Guards {@link #timers}, {@link #nextSequence}, timer states and writes of {@link #reading}. */
    private final ReentrantLock lock = new ReentrantLock();

    private final TreeSet<Timer> timers = new TreeSet<>(DUE_ORDER);
    private long nextSequence;

    /**
     * Wall and monotonic time as one immutable pair. Volatile so that reads need no lock and never
     * see one reading without the other; written only under {@link #lock}.
     */
    private volatile Reading reading;

    /** Null when failures are to be rethrown from {@code advance}. */
    private final EventSink events;

    private ControlledClock(Instant wall, EventSink events) {
        this.reading = new Reading(wall, 0);
        this.events = events;
    }

    /**
     * Creates a clock reading wall time {@link Instant#EPOCH} and monotonic time 0, which
     * rethrows timer failures from {@code advance}.
     *
     * @return a new clock with no timers
     */
    public static ControlledClock create() {
        return new ControlledClock(Instant.EPOCH, null);
    }

    /**
     * Creates a clock reading wall time {@link Instant#EPOCH} and monotonic time 0, which reports
     * timer failures to {@code events} as {@link ClockEvent.TaskFailed} instead of rethrowing them.
     *
     * @param events where timer failures go; a sink that throws is ignored
     * @return a new clock with no timers
     * @throws NullPointerException if {@code events} is {@code null}
     */
    public static ControlledClock create(EventSink events) {
        return new ControlledClock(Instant.EPOCH, Objects.requireNonNull(events, "events"));
    }

    /**
     * Creates a clock reading wall time {@code wall} and monotonic time 0, which rethrows timer
     * failures from {@code advance}.
     *
     * @param wall the initial wall time
     * @return a new clock with no timers
     * @throws NullPointerException if {@code wall} is {@code null}
     */
    public static ControlledClock startingAt(Instant wall) {
        return new ControlledClock(Objects.requireNonNull(wall, "wall"), null);
    }

    /**
     * Creates a clock reading wall time {@code wall} and monotonic time 0, which reports timer
     * failures to {@code events} as {@link ClockEvent.TaskFailed} instead of rethrowing them.
     *
     * @param wall   the initial wall time
     * @param events where timer failures go; a sink that throws is ignored
     * @return a new clock with no timers
     * @throws NullPointerException if an argument is {@code null}
     */
    public static ControlledClock startingAt(Instant wall, EventSink events) {
        return new ControlledClock(Objects.requireNonNull(wall, "wall"), Objects.requireNonNull(events, "events"));
    }

    /**
     * Reads wall and monotonic time together; inside a timer task, the timer's due time.
     *
     * @return the current reading
     */
    @Override
    public Timestamp now() {
        Reading current = reading;
        return new Timestamp(current.wall.toEpochMilli(), current.mono);
    }

    /**
     * Reads monotonic time: nanoseconds advanced since this clock was created.
     *
     * @return the monotonic reading
     */
    @Override
    public long monoNanos() {
        return reading.mono;
    }

    /**
     * Schedules {@code task} to run inside the {@code advance} that reaches {@code delay} from
     * now on monotonic time. A zero or negative delay is due now.
     *
     * @param delay how long to wait on monotonic time
     * @param task  what to run, on the advancing thread
     * @return a handle whose {@code cancel} returns {@code true} if the task had not started
     * @throws NullPointerException if an argument is {@code null}; the message names it
     */
    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(task, "task");
        return add(Math.max(0, saturatedNanos(delay)), 0, task);
    }

    /**
     * Schedules {@code task} to run every {@code period}, first one period from now, each run due
     * at {@code start + n * period}. Cancelling returns {@code true} once, for the call that
     * stopped the interval, even if it is called from the interval's own run.
     *
     * @param period the interval between due times, positive
     * @param task   what to run, on the advancing thread
     * @return a handle that stops the interval
     * @throws NullPointerException     if an argument is {@code null}; the message names it
     * @throws IllegalArgumentException if {@code period} is zero or negative
     */
    @Override
    public Cancellable scheduleAtFixedRate(Duration period, Runnable task) {
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(task, "task");
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("period must be positive, was " + period);
        }
        long periodNanos = saturatedNanos(period);
        return add(periodNanos, periodNanos, task);
    }

    /**
     * Blocks the calling thread until another thread advances this clock by {@code duration}.
     * While it sleeps, the thread counts as one {@linkplain #pendingTimers() pending timer}.
     *
     * @param duration how long to sleep on monotonic time; zero or negative returns at once
     * @throws InterruptedException  if the thread is interrupted while sleeping
     * @throws NullPointerException  if {@code duration} is {@code null}
     * @throws IllegalStateException if called from a timer task or while advancing, where it
     *                               would wait for the very thread that is sleeping
     */
    @Override
    public void sleep(Duration duration) throws InterruptedException {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative() || duration.isZero()) {
            return;
        }
        if (advancing.isHeldByCurrentThread()) {
            throw new IllegalStateException("sleep called from a timer task would never wake:"
                    + " only advance moves a ControlledClock, and this thread is advancing");
        }
        CountDownLatch woken = new CountDownLatch(1);
        Cancellable wakeUp = schedule(duration, woken::countDown);
        try {
            woken.await();
        } catch (InterruptedException e) {
            wakeUp.cancel();
            throw e;
        }
    }

    /**
     * Moves wall and monotonic time forward by {@code by}, running every timer that falls due on
     * the way, as the class description says. On return both readings have moved by exactly
     * {@code by}. Advances from several threads run one after another.
     *
     * @param by how far to move; {@link Duration#ZERO} runs only the timers already due
     * @throws NullPointerException     if {@code by} is {@code null}
     * @throws IllegalArgumentException if {@code by} is negative
     * @throws IllegalStateException    if called from a timer task
     * @throws RuntimeException         the first exception a timer task threw, if this clock has no
     *                                  event sink, after every due timer has run
     */
    public void advance(Duration by) {
        Objects.requireNonNull(by, "by");
        if (by.isNegative()) {
            throw new IllegalArgumentException("by must not be negative, was " + by);
        }
        long byNanos = saturatedNanos(by);
        enterAdvance();
        try {
            runUntil(saturatedAdd(reading.mono, byNanos));
        } finally {
            advancing.unlock();
        }
    }

    /**
     * Advances exactly to the due time of the earliest pending timer and runs every timer due
     * then; a timer already due is run without moving time. Behaves as {@link #advance(Duration)}
     * otherwise, failures included.
     *
     * @return {@code true} if there was a pending timer, {@code false} if time did not move
     * @throws IllegalStateException if called from a timer task
     */
    public boolean advanceToNextTimer() {
        enterAdvance();
        try {
            long target;
            lock.lock();
            try {
                if (timers.isEmpty()) {
                    return false;
                }
                target = Math.max(reading.mono, timers.first().due);
            } finally {
                lock.unlock();
            }
            runUntil(target);
            return true;
        } finally {
            advancing.unlock();
        }
    }

    /**
     * Sets wall time to {@code wall}, forward or back, leaving monotonic time and therefore every
     * timer untouched.
     *
     * @param wall the new wall time
     * @throws NullPointerException if {@code wall} is {@code null}
     */
    public void jumpWall(Instant wall) {
        Objects.requireNonNull(wall, "wall");
        lock.lock();
        try {
            reading = new Reading(wall, reading.mono);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Counts the timers that are scheduled and not cancelled: one-shot timers that have not
     * started, every live interval (once, even while it runs), and threads in {@link #sleep}.
     *
     * @return the number of pending timers
     */
    public int pendingTimers() {
        lock.lock();
        try {
            return timers.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Tells how much monotonic time remains until the earliest pending timer is due.
     *
     * @return the time until the next timer, {@link Duration#ZERO} if one is due already, or empty
     *     if no timer is pending
     */
    public Optional<Duration> untilNextTimer() {
        lock.lock();
        try {
            if (timers.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(Duration.ofNanos(Math.max(0, timers.first().due - reading.mono)));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Describes the readings and the number of pending timers, for test failure messages.
     *
     * @return a description of this clock's state
     */
    @Override
    public String toString() {
        Reading current = reading;
        return "ControlledClock[wall=" + current.wall + ", mono=" + Duration.ofNanos(current.mono) + ", pendingTimers="
                + pendingTimers() + "]";
    }

    private Timer add(long delayNanos, long periodNanos, Runnable task) {
        lock.lock();
        try {
            Timer timer = new Timer(task, periodNanos, nextSequence++, saturatedAdd(reading.mono, delayNanos));
            timers.add(timer);
            return timer;
        } finally {
            lock.unlock();
        }
    }

    private void enterAdvance() {
        if (advancing.isHeldByCurrentThread()) {
            // A nested advance would move time under the outer one, which then could not keep
            // "now reads the running timer's due time" nor end exactly at its target.
            throw new IllegalStateException(
                    "advance called from a timer task; timers run inside advance," + " which cannot nest");
        }
        advancing.lock();
    }

    /** Runs due timers up to {@code target}, then settles there. Caller holds {@link #advancing}. */
    private void runUntil(long target) {
        Throwable firstFailure = null;
        while (true) {
            Timer timer;
            lock.lock();
            try {
                timer = timers.isEmpty() ? null : timers.first();
                if (timer == null || timer.due > target) {
                    moveTo(target);
                    break;
                }
                timers.pollFirst();
                // An overdue timer (scheduled "now" by a task at a later due time) runs at the
                // current reading: monotonic time never goes back.
                moveTo(timer.due);
                if (timer.periodNanos == 0) {
                    timer.state = Timer.DONE;
                } else {
                    // Re-armed before it runs so that the run may cancel it like any other timer.
                    long next = saturatedAdd(timer.due, timer.periodNanos);
                    if (next == Long.MAX_VALUE) {
                        timer.state = Timer.DONE; // would never be reached on this timeline
                    } else {
                        timer.due = next;
                        timers.add(timer);
                    }
                }
            } finally {
                lock.unlock();
            }
            try {
                timer.task.run();
            } catch (Throwable failure) {
                firstFailure = report(failure, firstFailure);
            }
        }
        if (firstFailure != null) {
            throw unchecked(firstFailure);
        }
    }

    /** Moves both readings forward to {@code mono}, never back. Caller holds {@link #lock}. */
    private void moveTo(long mono) {
        Reading current = reading;
        if (mono > current.mono) {
            reading = new Reading(current.wall.plusNanos(mono - current.mono), mono);
        }
    }

    /** Reports to the sink, or keeps the first failure for advance to rethrow. */
    private Throwable report(Throwable failure, Throwable firstFailure) {
        if (events != null) {
            try {
                events.emit(new ClockEvent.TaskFailed(now(), failure));
            } catch (Throwable ignored) {
                // A broken sink must not break the advance, as on every other clock.
            }
            return null;
        }
        if (firstFailure == null) {
            return failure;
        }
        if (firstFailure != failure) {
            firstFailure.addSuppressed(failure);
        }
        return firstFailure;
    }

    private static RuntimeException unchecked(Throwable failure) {
        if (failure instanceof RuntimeException runtime) {
            return runtime;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        // Only a sneaky throw gets a checked exception out of a Runnable.
        return new UndeclaredThrowableException(failure, "a timer task threw a checked exception");
    }

    private static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException overflow) {
            return duration.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        // Overflow only if both operands have the sign opposite to the result.
        if (((a ^ sum) & (b ^ sum)) < 0) {
            return b < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return sum;
    }

    private record Reading(Instant wall, long mono) {}

    /** One scheduled task; every mutable field is guarded by the clock's lock. */
    private final class Timer implements Cancellable {
        static final int PENDING = 0;
        static final int DONE = 1;
        static final int CANCELLED = 2;

        final Runnable task;
        final long periodNanos;
        /** Breaks ties between timers due at the same instant: scheduling order. */
        final long sequence;
        /** Changed only while the timer is out of the timer set, whose order depends on it. */
        long due;

        int state = PENDING;

        Timer(Runnable task, long periodNanos, long sequence, long due) {
            this.task = task;
            this.periodNanos = periodNanos;
            this.sequence = sequence;
            this.due = due;
        }

        @Override
        public boolean cancel() {
            lock.lock();
            try {
                if (state != PENDING) {
                    return false;
                }
                state = CANCELLED;
                timers.remove(this);
                return true;
            } finally {
                lock.unlock();
            }
        }
    }
}

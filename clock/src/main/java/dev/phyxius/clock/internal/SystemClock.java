package dev.phyxius.clock.internal;

import dev.phyxius.clock.Cancellable;
import dev.phyxius.clock.Clock;
import dev.phyxius.clock.ClockEvent;
import dev.phyxius.clock.EventSink;
import dev.phyxius.clock.Timestamp;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The real clock: wall time from {@link System#currentTimeMillis()}, monotonic time from
 * {@link System#nanoTime()}, timers on one shared scheduler thread that only hands due tasks to
 * fresh virtual threads.
 *
 * <p>The scheduler thread never runs user code, so a slow or blocking task cannot delay other
 * timers. Thread-safe; instances differ only in where they report {@link ClockEvent}s.
 */
public final class SystemClock implements Clock {

    /** Name of the one scheduler thread, so that tests and thread dumps can find it. */
    public static final String SCHEDULER_THREAD_NAME = "phyxius-clock-scheduler";

    /** Name given to the virtual threads that run timer tasks. */
    public static final String TASK_THREAD_NAME = "phyxius-clock-task";

    /** Runs later than this after its due time are reported as {@link ClockEvent.TimerFiredLate}. */
    static final long LATE_THRESHOLD_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private static final SystemClock SILENT = new SystemClock(null);

    private static final ThreadFactory TASK_THREADS =
            Thread.ofVirtual().name(TASK_THREAD_NAME).factory();

    /** Null for the silent clock, so that no event object is ever built without a sink. */
    private final EventSink events;

    private SystemClock(EventSink events) {
        this.events = events;
    }

    /**
     * The shared system clock that reports nothing.
     *
     * @return the silent system clock
     */
    public static Clock silent() {
        return SILENT;
    }

    /**
     * A system clock that reports its {@link ClockEvent}s to {@code events}.
     *
     * @param events where events go, not {@code null}
     * @return a new clock sharing the one scheduler thread
     * @throws NullPointerException if {@code events} is {@code null}
     */
    public static Clock reportingTo(EventSink events) {
        return new SystemClock(Objects.requireNonNull(events, "events"));
    }

    @Override
    public Timestamp now() {
        return new Timestamp(System.currentTimeMillis(), System.nanoTime());
    }

    @Override
    public long monoNanos() {
        return System.nanoTime();
    }

    /**
     * A wall reading and the monotonic reading taken right after it, shared by every system clock:
     * {@link #timestampAt} derives wall times from it for a millisecond.
     */
    private record Calibration(long wallMillis, long monoNanos) {}

    private static final long CALIBRATION_NANOS = 1_000_000L;

    /** Racy by design: a stale or doubly renewed calibration is as good as a fresh one. */
    private static Calibration calibration = new Calibration(System.currentTimeMillis(), System.nanoTime());

    /**
     * The moment {@code monoNanos} with a wall time derived from a calibration at most a
     * millisecond old: no clock reading, where {@link #now()} costs two.
     */
    @Override
    public Timestamp timestampAt(long monoNanos) {
        Calibration c = calibration;
        long since = monoNanos - c.monoNanos();
        if (since < 0L || since >= CALIBRATION_NANOS) {
            c = new Calibration(System.currentTimeMillis(), System.nanoTime());
            calibration = c;
            since = monoNanos - c.monoNanos();
        }
        return new Timestamp(c.wallMillis() + Math.floorDiv(since, 1_000_000L), monoNanos);
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(task, "task");
        long delayNanos = saturatedNanos(delay);
        // An overdue timer is due now, not in the past: its lateness is measured from the call.
        OneShot timer = new OneShot(this, task, saturatedAdd(System.nanoTime(), Math.max(0, delayNanos)));
        if (delayNanos <= 0) {
            // Due already: skip the scheduler queue and its lock entirely.
            timer.handOff();
        } else {
            timer.future = Scheduler.INSTANCE.schedule(timer, delayNanos, TimeUnit.NANOSECONDS);
        }
        return timer;
    }

    @Override
    public Cancellable scheduleAtFixedRate(Duration period, Runnable task) {
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(task, "task");
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("period must be positive, was " + period);
        }
        Interval interval = new Interval(this, task, System.nanoTime(), saturatedNanos(period));
        interval.arm(1);
        return interval;
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative() || duration.isZero()) {
            return;
        }
        Thread.sleep(duration);
    }

    private void runTask(Runnable task, long dueNanos) {
        if (events != null) {
            long lateness = System.nanoTime() - dueNanos;
            if (lateness > LATE_THRESHOLD_NANOS) {
                emit(new ClockEvent.TimerFiredLate(now(), Duration.ofNanos(lateness)));
            }
        }
        try {
            task.run();
        } catch (Throwable error) {
            // A task's failure is the task's business: report it, keep the machinery going.
            if (events != null) {
                emit(new ClockEvent.TaskFailed(now(), error));
            }
        }
    }

    private void emit(ClockEvent event) {
        try {
            events.emit(event);
        } catch (Throwable ignored) {
            // A broken sink must not break timers; there is nowhere else to report it.
        }
    }

    static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException overflow) {
            return duration.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    static long saturatedAdd(long a, long b) {
        long sum = a + b;
        // Overflow only if both operands have the sign opposite to the result.
        if (((a ^ sum) & (b ^ sum)) < 0) {
            return b < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return sum;
    }

    /** Holds the scheduler so that it is created only when the first timer is scheduled. */
    private static final class Scheduler {
        static final ScheduledThreadPoolExecutor INSTANCE = create();

        private static ScheduledThreadPoolExecutor create() {
            ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
                Thread thread = new Thread(runnable, SCHEDULER_THREAD_NAME);
                // Daemon: a pending timer must never keep the JVM alive.
                thread.setDaemon(true);
                return thread;
            });
            // Every ask schedules a timeout and usually cancels it; without this the queue would
            // hold each cancelled timer until its due time.
            executor.setRemoveOnCancelPolicy(true);
            return executor;
        }
    }

    /** A one-shot timer; the scheduler calls {@link #run()}, which only hands it off. */
    private static final class OneShot implements Cancellable, Runnable {
        private static final int PENDING = 0;
        private static final int STARTED = 1;
        private static final int CANCELLED = 2;
        private static final VarHandle STATE;

        static {
            try {
                STATE = MethodHandles.lookup().findVarHandle(OneShot.class, "state", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final SystemClock clock;
        private final Runnable task;
        private final long dueNanos;

        @SuppressWarnings("unused") // accessed through STATE
        private volatile int state;
        /** Set after scheduling; read by cancel only to remove the entry from the queue early. */
        volatile Future<?> future;

        OneShot(SystemClock clock, Runnable task, long dueNanos) {
            this.clock = clock;
            this.task = task;
            this.dueNanos = dueNanos;
        }

        @Override
        public void run() {
            handOff();
        }

        void handOff() {
            // The CAS decides the race with cancel(): whoever wins it decides whether the task runs.
            if (STATE.compareAndSet(this, PENDING, STARTED)) {
                TASK_THREADS.newThread(() -> clock.runTask(task, dueNanos)).start();
            }
        }

        @Override
        public boolean cancel() {
            if (!STATE.compareAndSet(this, PENDING, CANCELLED)) {
                return false;
            }
            Future<?> scheduled = future;
            if (scheduled != null) {
                scheduled.cancel(false);
            }
            // If future was not visible yet, the entry stays queued and is dropped by handOff's CAS.
            return true;
        }
    }

    /**
     * An interval. Exactly one of "queued on the scheduler" or "running on a virtual thread" holds
     * at a time, so runs cannot overlap: the next tick is queued only when a run has finished.
     */
    private static final class Interval implements Cancellable, Runnable {
        private static final VarHandle CANCELLED;

        static {
            try {
                CANCELLED = MethodHandles.lookup().findVarHandle(Interval.class, "cancelled", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final SystemClock clock;
        private final Runnable task;
        private final long startNanos;
        private final long periodNanos;

        @SuppressWarnings("unused") // accessed through CANCELLED
        private volatile boolean cancelled;

        private volatile Future<?> future;
        /**
         * Index of the tick queued or running. Plain: it is written before the scheduler's queue
         * lock is taken and read after a Thread.start, both of which order it.
         */
        private long tick;

        Interval(SystemClock clock, Runnable task, long startNanos, long periodNanos) {
            this.clock = clock;
            this.task = task;
            this.startNanos = startNanos;
            this.periodNanos = periodNanos;
        }

        private long due(long n) {
            long offset;
            try {
                offset = Math.multiplyExact(n, periodNanos);
            } catch (ArithmeticException overflow) {
                offset = Long.MAX_VALUE;
            }
            return saturatedAdd(startNanos, offset);
        }

        void arm(long n) {
            tick = n;
            long delay = due(n) - System.nanoTime();
            future = Scheduler.INSTANCE.schedule(this, Math.max(0, delay), TimeUnit.NANOSECONDS);
            // cancel() may have run between its flag write and our future write and missed it.
            if (cancelled) {
                future.cancel(false);
            }
        }

        @Override
        public void run() {
            if (!cancelled) {
                TASK_THREADS.newThread(this::runTick).start();
            }
        }

        private void runTick() {
            long n = tick;
            clock.runTask(task, due(n));
            if (cancelled) {
                return;
            }
            // Keep the cadence: the next run is on the original grid, after the latest tick that
            // fell due while this run went on (or while the clock was behind), which is skipped.
            long elapsed = System.nanoTime() - startNanos;
            long latestDue = elapsed / periodNanos;
            long next = n + 1;
            if (latestDue > n) {
                long skipped = latestDue - n;
                next = latestDue + 1;
                if (clock.events != null) {
                    clock.emit(new ClockEvent.TickSkipped(clock.now(), skipped));
                }
            }
            arm(next);
        }

        /** Stops every later run; {@code true} for the one call that did so, even mid-run. */
        @Override
        public boolean cancel() {
            if (!CANCELLED.compareAndSet(this, false, true)) {
                return false;
            }
            Future<?> scheduled = future;
            if (scheduled != null) {
                scheduled.cancel(false);
            }
            return true;
        }
    }
}

package dev.phyxius.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phyxius.clock.internal.SystemClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class SystemClockTest {

    private static final long WAIT_SECONDS = 5;

    /** Collects events in arrival order; tests wait on it instead of sleeping. */
    private static final class Recorder implements EventSink {
        final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

        @Override
        public void emit(Event event) {
            events.add(event);
        }

        <E extends Event> E next(Class<E> type) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            List<Event> passed = new ArrayList<>();
            while (true) {
                Event event = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (event == null) {
                    throw new AssertionError(
                            "no " + type.getSimpleName() + " within " + WAIT_SECONDS + " s; other events: " + passed);
                }
                passed.add(event);
                if (type.isInstance(event)) {
                    return type.cast(event);
                }
            }
        }
    }

    private static void await(CountDownLatch latch) throws InterruptedException {
        assertTrue(latch.await(WAIT_SECONDS, TimeUnit.SECONDS), "timed out waiting for the clock");
    }

    @Nested
    class Readings {

        @Test
        void nowReadsWallAndMonotonicTimeTogether() {
            long wallBefore = System.currentTimeMillis();
            long monoBefore = System.nanoTime();
            Timestamp now = Clock.system().now();
            long monoAfter = System.nanoTime();
            long wallAfter = System.currentTimeMillis();

            assertTrue(now.wallMillis() >= wallBefore && now.wallMillis() <= wallAfter);
            assertTrue(now.monoNanos() - monoBefore >= 0 && monoAfter - now.monoNanos() >= 0);
        }

        @Test
        void timestampAtKeepsTheMonotonicReadingAndDerivesTheWallWithinAMillisecond() {
            Clock clock = Clock.system();
            for (int i = 0; i < 10_000; i++) {
                long wallBefore = System.currentTimeMillis();
                long mono = clock.monoNanos();
                Timestamp at = clock.timestampAt(mono);
                long wallAfter = System.currentTimeMillis();

                assertEquals(mono, at.monoNanos());
                assertTrue(
                        at.wallMillis() >= wallBefore - 1 && at.wallMillis() <= wallAfter,
                        () -> "wall " + at.wallMillis() + " outside [" + (wallBefore - 1) + ", " + wallAfter + "]");
            }
        }

        @Test
        void timestampAtOfAMomentPastIsThatMomentsWallTime() {
            Clock clock = Clock.system();
            long wall = System.currentTimeMillis();
            long mono = System.nanoTime();
            Timestamp earlier = clock.timestampAt(mono - Duration.ofSeconds(3).toNanos());

            assertEquals(mono - Duration.ofSeconds(3).toNanos(), earlier.monoNanos());
            assertTrue(Math.abs(earlier.wallMillis() - (wall - 3_000)) <= 2, () -> "wall " + earlier.wallMillis());
        }

        @Test
        void monoNanosNeverGoesBack() {
            Clock clock = Clock.system();
            long previous = clock.monoNanos();
            for (int i = 0; i < 10_000; i++) {
                long current = clock.monoNanos();
                assertTrue(current - previous >= 0);
                previous = current;
            }
        }

        @Test
        void instantSourceAndJavaClockReadTheWallInUtc() {
            Clock clock = Clock.system();
            long before = System.currentTimeMillis();
            Instant fromSource = clock.asInstantSource().instant();
            java.time.Clock javaClock = clock.asJavaClock();
            Instant fromJavaClock = javaClock.instant();
            long after = System.currentTimeMillis();

            assertEquals(ZoneOffset.UTC, javaClock.getZone());
            for (Instant read : List.of(fromSource, fromJavaClock)) {
                assertTrue(read.toEpochMilli() >= before && read.toEpochMilli() <= after, read::toString);
            }
        }

        @Test
        void systemWithoutSinkIsOneSharedClock() {
            assertSame(Clock.system(), Clock.system());
        }
    }

    @Nested
    class OneShotTimers {

        @Test
        void runTheTaskOnAVirtualThreadOtherThanTheCaller() throws InterruptedException {
            AtomicReference<Thread> ranOn = new AtomicReference<>();
            CountDownLatch ran = new CountDownLatch(1);

            Clock.system().schedule(Duration.ofMillis(1), () -> {
                ranOn.set(Thread.currentThread());
                ran.countDown();
            });

            await(ran);
            assertNotSame(Thread.currentThread(), ranOn.get());
            assertTrue(ranOn.get().isVirtual(), "timer tasks run on virtual threads");
        }

        @Test
        void runAZeroOrNegativeDelaySoonAndNeverOnTheCaller() throws InterruptedException {
            Thread caller = Thread.currentThread();
            AtomicBoolean ranOnCaller = new AtomicBoolean();
            CountDownLatch ran = new CountDownLatch(2);
            Runnable task = () -> {
                ranOnCaller.compareAndSet(false, Thread.currentThread() == caller);
                ran.countDown();
            };

            Clock.system().schedule(Duration.ZERO, task);
            Clock.system().schedule(Duration.ofSeconds(-5), task);

            await(ran);
            assertFalse(ranOnCaller.get());
        }

        @Test
        void neverRunBeforeTheirDelay() throws InterruptedException {
            Clock clock = Clock.system();
            Duration delay = Duration.ofMillis(30);
            AtomicInteger early = new AtomicInteger();
            CountDownLatch ran = new CountDownLatch(1);

            long scheduledAt = clock.monoNanos();
            clock.schedule(delay, () -> {
                if (clock.monoNanos() - scheduledAt < delay.toNanos()) {
                    early.incrementAndGet();
                }
                ran.countDown();
            });

            await(ran);
            assertEquals(0, early.get());
        }

        @Test
        void cancelBeforeTheRunPreventsItAndReturnsTrueOnce() throws InterruptedException {
            Clock clock = Clock.system();
            AtomicBoolean cancelledRan = new AtomicBoolean();
            CountDownLatch later = new CountDownLatch(1);

            // Long enough that even a loaded machine cancels before it is due.
            Cancellable timer = clock.schedule(Duration.ofMillis(200), () -> cancelledRan.set(true));
            assertTrue(timer.cancel());
            assertFalse(timer.cancel(), "a second cancel prevents nothing");

            // A timer due well after the cancelled one: once it ran, the cancelled one had its chance.
            clock.schedule(Duration.ofMillis(300), later::countDown);
            await(later);
            assertFalse(cancelledRan.get());
        }

        @Test
        void cancelAfterTheRunReturnsFalse() throws InterruptedException {
            CountDownLatch ran = new CountDownLatch(1);
            Cancellable timer = Clock.system().schedule(Duration.ZERO, ran::countDown);

            await(ran);
            assertFalse(timer.cancel());
        }

        @Test
        void aThrowingTaskIsReportedAndLaterTimersStillRun() throws InterruptedException {
            Recorder recorder = new Recorder();
            Clock clock = Clock.system(recorder);
            IllegalStateException boom = new IllegalStateException("boom");

            clock.schedule(Duration.ZERO, () -> {
                throw boom;
            });
            ClockEvent.TaskFailed failed = recorder.next(ClockEvent.TaskFailed.class);
            assertSame(boom, failed.error());

            CountDownLatch later = new CountDownLatch(1);
            clock.schedule(Duration.ofMillis(1), later::countDown);
            await(later);
        }

        @Test
        void aSinkThatThrowsDoesNotStopLaterTimers() throws InterruptedException {
            CountDownLatch sinkCalled = new CountDownLatch(1);
            Clock clock = Clock.system(event -> {
                sinkCalled.countDown();
                throw new IllegalStateException("broken sink");
            });

            clock.schedule(Duration.ZERO, () -> {
                throw new IllegalStateException("boom");
            });
            await(sinkCalled);

            CountDownLatch later = new CountDownLatch(1);
            clock.schedule(Duration.ofMillis(1), later::countDown);
            await(later);
        }
    }

    @Nested
    class Intervals {

        @Test
        void firstRunIsAfterOnePeriod() throws InterruptedException {
            Clock clock = Clock.system();
            Duration period = Duration.ofMillis(30);
            AtomicReference<Long> firstRunAt = new AtomicReference<>();
            CountDownLatch ran = new CountDownLatch(1);

            long scheduledAt = clock.monoNanos();
            Cancellable interval = clock.scheduleAtFixedRate(period, () -> {
                firstRunAt.compareAndSet(null, clock.monoNanos());
                ran.countDown();
            });
            try {
                await(ran);
            } finally {
                interval.cancel();
            }
            assertTrue(firstRunAt.get() - scheduledAt >= period.toNanos());
        }

        @Test
        void keepTickingAfterAThrowingRun() throws InterruptedException {
            Recorder recorder = new Recorder();
            AtomicInteger runs = new AtomicInteger();
            CountDownLatch threeRuns = new CountDownLatch(3);

            Cancellable interval = Clock.system(recorder).scheduleAtFixedRate(Duration.ofMillis(5), () -> {
                threeRuns.countDown();
                if (runs.incrementAndGet() == 1) {
                    throw new IllegalStateException("first run fails");
                }
            });
            try {
                await(threeRuns);
            } finally {
                interval.cancel();
            }
            assertEquals(
                    "first run fails",
                    recorder.next(ClockEvent.TaskFailed.class).error().getMessage());
        }

        @Test
        void neverOverlapRunsAndSkipTicksThatFallDueDuringASlowRun() throws InterruptedException {
            Recorder recorder = new Recorder();
            Clock clock = Clock.system(recorder);
            AtomicInteger concurrent = new AtomicInteger();
            AtomicInteger maxConcurrent = new AtomicInteger();
            CountDownLatch threeRuns = new CountDownLatch(3);

            Cancellable interval = clock.scheduleAtFixedRate(Duration.ofMillis(10), () -> {
                maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
                try {
                    clock.sleep(Duration.ofMillis(35)); // simulated slow work, longer than the period
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    concurrent.decrementAndGet();
                    threeRuns.countDown();
                }
            });
            try {
                await(threeRuns);
                ClockEvent.TickSkipped skipped = recorder.next(ClockEvent.TickSkipped.class);
                assertTrue(skipped.skipped() >= 1);
            } finally {
                interval.cancel();
            }
            assertEquals(1, maxConcurrent.get(), "interval runs overlapped");
        }

        @Test
        void keepAStableCadenceWhateverEachRunTakes() throws InterruptedException {
            // Each run works for 60% of the period: a clock that scheduled the next run after the
            // previous one ended (fixed delay) would drift 30 ms further behind with every run.
            long period = TimeUnit.MILLISECONDS.toNanos(50);
            Duration work = Duration.ofMillis(30);
            List<Object> log = new ArrayList<>(); // run start readings (Long) and skips, in order
            CountDownLatch tenRuns = new CountDownLatch(10);
            Clock clock = Clock.system(event -> {
                if (event instanceof ClockEvent.TickSkipped skipped) {
                    synchronized (log) {
                        log.add(skipped);
                    }
                }
            });

            long before = clock.monoNanos();
            Cancellable interval = clock.scheduleAtFixedRate(Duration.ofNanos(period), () -> {
                synchronized (log) {
                    log.add(clock.monoNanos());
                }
                try {
                    clock.sleep(work); // simulated work, not synchronisation
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                tenRuns.countDown();
            });
            try {
                await(tenRuns);
            } finally {
                interval.cancel();
            }

            // Offset of each run from the grid drawn from a reading taken just before scheduling;
            // the interval's own start is a little later (class loading, a loaded machine).
            List<Long> offsets = new ArrayList<>();
            long tick = 1;
            synchronized (log) {
                for (Object entry : log) {
                    if (entry instanceof ClockEvent.TickSkipped skipped) {
                        tick += skipped.skipped(); // the next run is on the grid, further on
                        continue;
                    }
                    long offset = (Long) entry - (before + tick * period);
                    assertTrue(offset >= 0, "tick " + tick + " ran early");
                    offsets.add(offset);
                    tick++;
                }
            }
            // On a stable cadence every offset is the start delay plus a little jitter; drift makes
            // them grow by the work time with every run. The smallest offset estimates the start
            // delay, and the median shrugs off the few runs a loaded machine delays.
            long startDelay = offsets.stream().mapToLong(Long::longValue).min().orElseThrow();
            List<Long> latenessMillis = offsets.stream()
                    .map(offset -> TimeUnit.NANOSECONDS.toMillis(offset - startDelay))
                    .toList();
            long median = latenessMillis.stream().sorted().toList().get(latenessMillis.size() / 2);
            // Timing the next run from the end of the last one puts the median at 25 ms or more.
            assertTrue(median < 15, "lateness per run in ms: " + latenessMillis);
        }

        @Test
        void stopOnCancelAndReportTrueOnlyForTheFirstCancel() throws InterruptedException {
            Clock clock = Clock.system();
            AtomicInteger runs = new AtomicInteger();
            AtomicReference<Cancellable> handle = new AtomicReference<>();
            AtomicBoolean firstCancel = new AtomicBoolean();
            AtomicBoolean secondCancel = new AtomicBoolean(true);
            CountDownLatch cancelled = new CountDownLatch(1);
            CountDownLatch handed = new CountDownLatch(1);

            handle.set(clock.scheduleAtFixedRate(Duration.ofMillis(5), () -> {
                try {
                    handed.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (runs.incrementAndGet() == 2) {
                    firstCancel.set(handle.get().cancel());
                    secondCancel.set(handle.get().cancel());
                    cancelled.countDown();
                }
            }));
            handed.countDown();
            await(cancelled);

            // Several periods later, nothing else has run.
            CountDownLatch later = new CountDownLatch(1);
            clock.schedule(Duration.ofMillis(50), later::countDown);
            await(later);
            assertTrue(firstCancel.get());
            assertFalse(secondCancel.get());
            assertEquals(2, runs.get());
        }
    }

    @Nested
    class Validation {

        private final Clock clock = Clock.system();

        @Test
        void nullArgumentsAreRejectedByName() {
            Runnable task = () -> {};
            assertEquals(
                    "delay",
                    assertThrows(NullPointerException.class, () -> clock.schedule(null, task))
                            .getMessage());
            assertEquals(
                    "task",
                    assertThrows(NullPointerException.class, () -> clock.schedule(Duration.ZERO, null))
                            .getMessage());
            assertEquals(
                    "period",
                    assertThrows(NullPointerException.class, () -> clock.scheduleAtFixedRate(null, task))
                            .getMessage());
            assertEquals(
                    "task",
                    assertThrows(
                                    NullPointerException.class,
                                    () -> clock.scheduleAtFixedRate(Duration.ofSeconds(1), null))
                            .getMessage());
            assertEquals(
                    "duration",
                    assertThrows(NullPointerException.class, () -> clock.sleep(null))
                            .getMessage());
            assertEquals(
                    "events",
                    assertThrows(NullPointerException.class, () -> Clock.system(null))
                            .getMessage());
        }

        @Test
        void aNonPositivePeriodIsRejectedWithItsValue() {
            Runnable task = () -> {};
            assertEquals(
                    "period must be positive, was PT0S",
                    assertThrows(IllegalArgumentException.class, () -> clock.scheduleAtFixedRate(Duration.ZERO, task))
                            .getMessage());
            assertEquals(
                    "period must be positive, was PT-1S",
                    assertThrows(
                                    IllegalArgumentException.class,
                                    () -> clock.scheduleAtFixedRate(Duration.ofSeconds(-1), task))
                            .getMessage());
        }

        @Test
        void sleepOfZeroOrLessReturnsAtOnce() throws InterruptedException {
            clock.sleep(Duration.ZERO);
            clock.sleep(Duration.ofDays(-1));
        }

        @Test
        void hugeDelaysSaturateInsteadOfOverflowing() {
            Cancellable timer = clock.schedule(Duration.ofSeconds(Long.MAX_VALUE), () -> {});
            Cancellable interval = clock.scheduleAtFixedRate(Duration.ofSeconds(Long.MAX_VALUE), () -> {});
            assertTrue(timer.cancel());
            assertTrue(interval.cancel());
        }
    }

    @Nested
    class SchedulerThread {

        @Test
        void isOneDaemonThreadSharedByEveryClock() throws InterruptedException {
            int clocks = 50;
            CountDownLatch ran = new CountDownLatch(clocks + 1);
            Clock.system().schedule(Duration.ofMillis(1), ran::countDown);
            for (int i = 0; i < clocks; i++) {
                Clock.system(event -> {}).schedule(Duration.ofMillis(1), ran::countDown);
            }
            await(ran);

            List<Thread> schedulers = Thread.getAllStackTraces().keySet().stream()
                    .filter(thread -> thread.getName().equals(SystemClock.SCHEDULER_THREAD_NAME))
                    .toList();
            assertEquals(1, schedulers.size(), schedulers::toString);
            assertTrue(schedulers.get(0).isDaemon());
            assertFalse(schedulers.get(0).isVirtual());
        }
    }

    @Nested
    class Events {

        @Test
        void carryTheReportingClocksReading() throws InterruptedException {
            Recorder recorder = new Recorder();
            Clock clock = Clock.system(recorder);
            long before = clock.monoNanos();

            clock.schedule(Duration.ZERO, () -> {
                throw new IllegalStateException("boom");
            });
            ClockEvent.TaskFailed failed = recorder.next(ClockEvent.TaskFailed.class);

            assertTrue(failed.at().monoNanos() - before >= 0);
            assertTrue(clock.monoNanos() - failed.at().monoNanos() >= 0);
            assertInstanceOf(ClockEvent.class, failed);
        }

        @Test
        void reportARunThatStartedLate() throws InterruptedException {
            Recorder recorder = new Recorder();
            Clock clock = Clock.system(recorder);
            // Simulated overload: keep every carrier of the virtual-thread scheduler spinning, so
            // that the timer's virtual thread cannot start until the overload ends. More spinners
            // than carriers, in case the pool has grown beyond its parallelism.
            int carriers = Integer.getInteger(
                    "jdk.virtualThreadScheduler.parallelism",
                    Runtime.getRuntime().availableProcessors());
            CountDownLatch carriersHeld = new CountDownLatch(carriers);
            AtomicBoolean overloaded = new AtomicBoolean(true);
            List<Thread> spinners = new ArrayList<>();
            for (int i = 0; i < 4 * carriers; i++) {
                spinners.add(Thread.ofVirtual().start(() -> {
                    carriersHeld.countDown();
                    while (overloaded.get()) {
                        Thread.onSpinWait();
                    }
                }));
            }
            try {
                await(carriersHeld);
                clock.schedule(Duration.ofMillis(1), () -> {});
                long overloadEnds = clock.monoNanos() + TimeUnit.MILLISECONDS.toNanos(50);
                while (clock.monoNanos() - overloadEnds < 0) {
                    Thread.onSpinWait(); // the overload itself: time has to pass, on this platform thread
                }
            } finally {
                overloaded.set(false);
            }

            ClockEvent.TimerFiredLate late = recorder.next(ClockEvent.TimerFiredLate.class);
            assertTrue(late.lateness().compareTo(Duration.ofMillis(10)) > 0, late::toString);
            for (Thread spinner : spinners) {
                spinner.join();
            }
        }

        @Test
        void measureTheLatenessOfAnOverdueTimerFromTheCallNotFromItsNegativeDelay() throws InterruptedException {
            Recorder recorder = new Recorder();
            Clock clock = Clock.system(recorder);

            clock.schedule(Duration.ofSeconds(-1), () -> {
                throw new IllegalStateException("marks the end of the run");
            });

            Event first = recorder.next(Event.class);
            // A cold JVM may start the task a little late, but never a whole second.
            if (first instanceof ClockEvent.TimerFiredLate late) {
                assertTrue(late.lateness().compareTo(Duration.ofMillis(500)) < 0, late::toString);
            } else {
                assertInstanceOf(ClockEvent.TaskFailed.class, first);
            }
        }

        @Test
        void rejectInvalidValues() {
            Timestamp at = new Timestamp(0, 0);
            assertThrows(NullPointerException.class, () -> new ClockEvent.TaskFailed(at, null));
            assertThrows(NullPointerException.class, () -> new ClockEvent.TimerFiredLate(null, Duration.ZERO));
            assertEquals(
                    "skipped must be >= 1, was 0",
                    assertThrows(IllegalArgumentException.class, () -> new ClockEvent.TickSkipped(at, 0))
                            .getMessage());
        }
    }
}

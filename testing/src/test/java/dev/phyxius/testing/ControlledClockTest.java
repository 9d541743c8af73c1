package dev.phyxius.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phyxius.clock.Cancellable;
import dev.phyxius.clock.ClockEvent;
import dev.phyxius.clock.Event;
import dev.phyxius.clock.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ControlledClockTest {

    private static Duration seconds(long seconds) {
        return Duration.ofSeconds(seconds);
    }

    private static Duration millis(long millis) {
        return Duration.ofMillis(millis);
    }

    /** Records the monotonic reading, in whole seconds, under a label, when a timer runs. */
    private static Runnable record(ControlledClock clock, List<String> log, String label) {
        return () -> log.add(label + "@" + TimeUnit.NANOSECONDS.toSeconds(clock.monoNanos()));
    }

    @Nested
    class Readings {

        @Test
        void startAtTheEpochWithMonotonicZero() {
            ControlledClock clock = ControlledClock.create();

            assertEquals(new Timestamp(0, 0), clock.now());
            assertEquals(0, clock.monoNanos());
        }

        @Test
        void startingAtSetsTheWallAndLeavesMonotonicAtZero() {
            Instant start = Instant.parse("2030-01-01T00:00:00Z");
            ControlledClock clock = ControlledClock.startingAt(start);

            assertEquals(new Timestamp(start.toEpochMilli(), 0), clock.now());
        }

        @Test
        void advanceMovesBothReadingsByExactlyTheDuration() {
            ControlledClock clock = ControlledClock.startingAt(Instant.ofEpochSecond(100));

            clock.advance(Duration.ofNanos(1_500_000));
            clock.advance(Duration.ofNanos(600_000));

            assertEquals(new Timestamp(100_002, 2_100_000), clock.now());
        }

        @Test
        void timestampAtMovesTheWallBackByTheTimeSinceThatMoment() {
            ControlledClock clock = ControlledClock.startingAt(Instant.ofEpochSecond(100));
            long mono = clock.monoNanos();
            clock.advance(Duration.ofMillis(250));

            assertEquals(new Timestamp(100_000, mono), clock.timestampAt(mono));
            assertEquals(clock.now(), clock.timestampAt(clock.monoNanos()));
        }

        @Test
        void jumpWallMovesTheWallOnly() {
            ControlledClock clock = ControlledClock.create();
            clock.advance(seconds(5));

            clock.jumpWall(Instant.parse("1999-12-31T23:59:59Z"));
            assertEquals(Instant.parse("1999-12-31T23:59:59Z"), clock.now().wall());
            assertEquals(seconds(5).toNanos(), clock.monoNanos());

            clock.advance(seconds(1));
            assertEquals(Instant.parse("2000-01-01T00:00:00Z"), clock.now().wall());
        }

        @Test
        void jumpWallLeavesTimersOnMonotonicTime() {
            ControlledClock clock = ControlledClock.create();
            List<String> log = new ArrayList<>();
            clock.schedule(seconds(10), record(clock, log, "timer"));

            clock.jumpWall(Instant.EPOCH.plus(Duration.ofDays(1)));
            clock.advance(seconds(9));
            assertEquals(List.of(), log);
            assertEquals(1, clock.pendingTimers());

            clock.jumpWall(Instant.EPOCH.minus(Duration.ofDays(1)));
            clock.advance(seconds(1));
            assertEquals(List.of("timer@10"), log);
        }

        @Test
        void instantSourceAndJavaClockReadTheWallInUtc() {
            ControlledClock clock = ControlledClock.startingAt(Instant.parse("2030-06-01T12:00:00Z"));
            java.time.Clock javaClock = clock.asJavaClock();

            clock.advance(seconds(1));

            assertEquals(
                    Instant.parse("2030-06-01T12:00:01Z"),
                    clock.asInstantSource().instant());
            assertEquals(Instant.parse("2030-06-01T12:00:01Z"), javaClock.instant());
            assertEquals(ZoneOffset.UTC, javaClock.getZone());
        }
    }

    @Nested
    class Validation {

        private final ControlledClock clock = ControlledClock.create();

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
                    assertThrows(NullPointerException.class, () -> clock.scheduleAtFixedRate(seconds(1), null))
                            .getMessage());
            assertEquals(
                    "duration",
                    assertThrows(NullPointerException.class, () -> clock.sleep(null))
                            .getMessage());
            assertEquals(
                    "by",
                    assertThrows(NullPointerException.class, () -> clock.advance(null))
                            .getMessage());
            assertEquals(
                    "wall",
                    assertThrows(NullPointerException.class, () -> clock.jumpWall(null))
                            .getMessage());
            assertEquals(
                    "wall",
                    assertThrows(NullPointerException.class, () -> ControlledClock.startingAt(null))
                            .getMessage());
            assertEquals(
                    "events",
                    assertThrows(NullPointerException.class, () -> ControlledClock.create(null))
                            .getMessage());
        }

        @Test
        void aNonPositivePeriodIsRejectedWithItsValue() {
            assertEquals(
                    "period must be positive, was PT0S",
                    assertThrows(
                                    IllegalArgumentException.class,
                                    () -> clock.scheduleAtFixedRate(Duration.ZERO, () -> {}))
                            .getMessage());
            assertEquals(
                    "period must be positive, was PT-1S",
                    assertThrows(IllegalArgumentException.class, () -> clock.scheduleAtFixedRate(seconds(-1), () -> {}))
                            .getMessage());
        }

        @Test
        void aNegativeAdvanceIsRejectedAndMovesNothing() {
            IllegalArgumentException rejected =
                    assertThrows(IllegalArgumentException.class, () -> clock.advance(millis(-1)));

            assertEquals("by must not be negative, was PT-0.001S", rejected.getMessage());
            assertEquals(new Timestamp(0, 0), clock.now());
        }

        @Test
        void hugeDurationsSaturateInsteadOfOverflowing() {
            AtomicInteger runs = new AtomicInteger();
            clock.schedule(Duration.ofSeconds(Long.MAX_VALUE), runs::incrementAndGet);
            clock.scheduleAtFixedRate(Duration.ofSeconds(Long.MAX_VALUE), runs::incrementAndGet);

            clock.advance(Duration.ofDays(365L * 200));

            assertEquals(0, runs.get());
            assertEquals(2, clock.pendingTimers());
        }
    }

    @Nested
    class OneShotTimers {

        private final ControlledClock clock = ControlledClock.create();
        private final List<String> log = new ArrayList<>();

        @Test
        void runOnlyInsideAdvanceOnTheAdvancingThread() {
            AtomicReference<Thread> ranOn = new AtomicReference<>();
            clock.schedule(Duration.ZERO, () -> ranOn.set(Thread.currentThread()));
            assertEquals(null, ranOn.get());

            clock.advance(Duration.ZERO);

            assertSame(Thread.currentThread(), ranOn.get());
        }

        @Test
        void runInDueOrder() {
            clock.schedule(seconds(3), record(clock, log, "c"));
            clock.schedule(seconds(1), record(clock, log, "a"));
            clock.schedule(seconds(2), record(clock, log, "b"));

            clock.advance(seconds(5));

            assertEquals(List.of("a@1", "b@2", "c@3"), log);
        }

        @Test
        void runTimersDueAtTheSameInstantInSchedulingOrder() {
            clock.schedule(seconds(2), record(clock, log, "first"));
            clock.advance(seconds(1));
            clock.schedule(seconds(1), record(clock, log, "second"));
            clock.schedule(seconds(1), record(clock, log, "third"));

            clock.advance(seconds(1));

            assertEquals(List.of("first@2", "second@2", "third@2"), log);
        }

        @Test
        void readTheirOwnDueTimeWhileRunningAndEndAtTheTarget() {
            List<Timestamp> readings = new ArrayList<>();
            clock.schedule(millis(250), () -> readings.add(clock.now()));
            clock.schedule(millis(1750), () -> readings.add(clock.now()));

            clock.advance(seconds(2));

            assertEquals(
                    List.of(
                            new Timestamp(250, millis(250).toNanos()),
                            new Timestamp(1750, millis(1750).toNanos())),
                    readings);
            assertEquals(new Timestamp(2000, seconds(2).toNanos()), clock.now());
        }

        @Test
        void runATimerDueExactlyAtTheTarget() {
            clock.schedule(seconds(1), record(clock, log, "edge"));

            clock.advance(seconds(1));

            assertEquals(List.of("edge@1"), log);
            assertEquals(0, clock.pendingTimers());
        }

        @Test
        void runTimersScheduledByFiredTimersWhenTheyFallDueWithinTheAdvance() {
            clock.schedule(seconds(1), () -> {
                log.add("outer@1");
                clock.schedule(seconds(1), record(clock, log, "chained"));
                clock.schedule(Duration.ZERO, record(clock, log, "immediate"));
            });

            clock.advance(seconds(3));

            assertEquals(List.of("outer@1", "immediate@1", "chained@2"), log);
        }

        @Test
        void leaveAChainedTimerDueBeyondTheAdvancePending() {
            clock.schedule(seconds(2), () -> clock.schedule(seconds(5), record(clock, log, "chained")));

            clock.advance(seconds(3));
            assertEquals(List.of(), log);
            assertEquals(1, clock.pendingTimers());
            assertEquals(Optional.of(seconds(4)), clock.untilNextTimer());

            clock.advance(seconds(4));
            assertEquals(List.of("chained@7"), log);
        }

        @Test
        void withAZeroOrNegativeDelayRunAtTheNextAdvanceEvenOfZero() {
            clock.advance(seconds(5));
            clock.schedule(Duration.ZERO, record(clock, log, "zero"));
            clock.schedule(seconds(-3), record(clock, log, "negative"));
            assertEquals(List.of(), log);

            clock.advance(Duration.ZERO);

            assertEquals(List.of("zero@5", "negative@5"), log);
            assertEquals(seconds(5).toNanos(), clock.monoNanos());
        }

        @Test
        void doNotRunAgainInALaterAdvance() {
            AtomicInteger runs = new AtomicInteger();
            clock.schedule(seconds(1), runs::incrementAndGet);

            clock.advance(seconds(1));
            clock.advance(seconds(10));

            assertEquals(1, runs.get());
        }
    }

    @Nested
    class Cancelling {

        private final ControlledClock clock = ControlledClock.create();

        @Test
        void beforeTheRunPreventsItAndReturnsTrueOnce() {
            AtomicInteger runs = new AtomicInteger();
            Cancellable timer = clock.schedule(seconds(1), runs::incrementAndGet);
            assertEquals(1, clock.pendingTimers());

            assertTrue(timer.cancel());
            assertFalse(timer.cancel());
            assertEquals(0, clock.pendingTimers());

            clock.advance(seconds(2));
            assertEquals(0, runs.get());
        }

        @Test
        void afterTheRunReturnsFalse() {
            Cancellable timer = clock.schedule(seconds(1), () -> {});
            clock.advance(seconds(1));

            assertFalse(timer.cancel());
        }

        @Test
        void duringItsOwnRunReturnsFalse() {
            AtomicReference<Cancellable> self = new AtomicReference<>();
            AtomicBoolean cancelled = new AtomicBoolean(true);
            self.set(clock.schedule(seconds(1), () -> cancelled.set(self.get().cancel())));

            clock.advance(seconds(1));

            assertFalse(cancelled.get());
        }

        @Test
        void byAnEarlierTimerPreventsALaterOneDueAtTheSameInstant() {
            AtomicInteger runs = new AtomicInteger();
            AtomicReference<Cancellable> later = new AtomicReference<>();
            clock.schedule(seconds(1), () -> later.get().cancel());
            later.set(clock.schedule(seconds(1), runs::incrementAndGet));

            clock.advance(seconds(1));

            assertEquals(0, runs.get());
        }

        @Test
        void pendingTimersCountsOneShotsAndLiveIntervalsButNotCancelledOrFiredOnes() {
            clock.schedule(seconds(1), () -> {});
            clock.schedule(seconds(5), () -> {});
            clock.schedule(seconds(5), () -> {}).cancel();
            Cancellable interval = clock.scheduleAtFixedRate(seconds(1), () -> {});
            assertEquals(3, clock.pendingTimers());

            clock.advance(seconds(2));
            assertEquals(2, clock.pendingTimers());

            interval.cancel();
            assertEquals(1, clock.pendingTimers());
        }
    }

    @Nested
    class Intervals {

        private final ControlledClock clock = ControlledClock.create();
        private final List<String> log = new ArrayList<>();

        @Test
        void firstRunOnePeriodAfterScheduling() {
            clock.advance(millis(500));
            clock.scheduleAtFixedRate(seconds(1), record(clock, log, "tick"));

            clock.advance(millis(999));
            assertEquals(List.of(), log);

            clock.advance(millis(1));
            assertEquals(List.of("tick@1"), log); // due at 1.5 s, recorded in whole seconds
        }

        @Test
        void catchUpAtStableCadenceEachTickReadingItsOwnDueTime() {
            List<Long> readings = new ArrayList<>();
            clock.scheduleAtFixedRate(seconds(1), () -> readings.add(clock.monoNanos()));

            clock.advance(seconds(10));

            List<Long> expected = new ArrayList<>();
            for (long n = 1; n <= 10; n++) {
                expected.add(seconds(n).toNanos());
            }
            assertEquals(expected, readings);
        }

        @Test
        void keepTheirCadenceAcrossUnevenAdvances() {
            clock.scheduleAtFixedRate(seconds(2), record(clock, log, "tick"));

            clock.advance(millis(2500));
            clock.advance(millis(1400));
            clock.advance(millis(100));
            clock.advance(millis(3000));

            assertEquals(List.of("tick@2", "tick@4", "tick@6"), log);
        }

        @Test
        void interleaveWithOneShotsInDueOrder() {
            clock.scheduleAtFixedRate(seconds(2), record(clock, log, "tick"));
            clock.schedule(seconds(3), record(clock, log, "once"));

            clock.advance(seconds(4));

            assertEquals(List.of("tick@2", "once@3", "tick@4"), log);
        }

        @Test
        void stopWhenCancelledFromTheirOwnRun() {
            AtomicReference<Cancellable> self = new AtomicReference<>();
            AtomicInteger runs = new AtomicInteger();
            AtomicBoolean cancelled = new AtomicBoolean();
            self.set(clock.scheduleAtFixedRate(seconds(1), () -> {
                if (runs.incrementAndGet() == 3) {
                    cancelled.set(self.get().cancel());
                }
            }));

            clock.advance(seconds(10));

            assertEquals(3, runs.get());
            assertTrue(cancelled.get(), "cancelling stopped the later runs");
            assertEquals(0, clock.pendingTimers());
        }

        @Test
        void stopWhenCancelledBetweenAdvances() {
            AtomicInteger runs = new AtomicInteger();
            Cancellable interval = clock.scheduleAtFixedRate(seconds(1), runs::incrementAndGet);
            clock.advance(seconds(2));

            assertTrue(interval.cancel());
            assertFalse(interval.cancel());
            clock.advance(seconds(5));

            assertEquals(2, runs.get());
        }
    }

    @Nested
    class Failures {

        @Test
        void withoutASinkAreRethrownAfterEveryDueTimerRan() {
            ControlledClock clock = ControlledClock.create();
            IllegalStateException first = new IllegalStateException("first");
            IllegalArgumentException second = new IllegalArgumentException("second");
            List<String> log = new ArrayList<>();
            clock.schedule(seconds(1), () -> {
                throw first;
            });
            clock.schedule(seconds(2), () -> {
                throw second;
            });
            clock.schedule(seconds(3), record(clock, log, "after"));

            IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> clock.advance(seconds(5)));

            assertSame(first, thrown);
            assertArrayEquals(new Throwable[] {second}, thrown.getSuppressed());
            assertEquals(List.of("after@3"), log);
            assertEquals(seconds(5).toNanos(), clock.monoNanos(), "the advance completed");
        }

        @Test
        void doNotStopAnInterval() {
            ControlledClock clock = ControlledClock.create();
            AtomicInteger runs = new AtomicInteger();
            clock.scheduleAtFixedRate(seconds(1), () -> {
                runs.incrementAndGet();
                throw new IllegalStateException("every run fails");
            });

            assertThrows(IllegalStateException.class, () -> clock.advance(seconds(5)));
            assertThrows(IllegalStateException.class, () -> clock.advance(seconds(1)));

            assertEquals(6, runs.get());
            assertEquals(1, clock.pendingTimers());
        }

        @Test
        void withASinkAreReportedAsTaskFailedAtTheDueTime() {
            List<Event> events = new ArrayList<>();
            ControlledClock clock = ControlledClock.startingAt(Instant.ofEpochSecond(10), events::add);
            IllegalStateException boom = new IllegalStateException("boom");
            clock.schedule(seconds(2), () -> {
                throw boom;
            });

            clock.advance(seconds(5));

            assertEquals(
                    List.of(new ClockEvent.TaskFailed(
                            new Timestamp(12_000, seconds(2).toNanos()), boom)),
                    events);
        }

        @Test
        void withASinkThatThrowsDoNotStopTheAdvance() {
            ControlledClock clock = ControlledClock.create(event -> {
                throw new IllegalStateException("broken sink");
            });
            AtomicInteger runs = new AtomicInteger();
            clock.schedule(seconds(1), () -> {
                throw new IllegalStateException("boom");
            });
            clock.schedule(seconds(2), runs::incrementAndGet);

            clock.advance(seconds(3));

            assertEquals(1, runs.get());
        }

        @Test
        void includeAdvanceOrSleepCalledFromATimerTask() {
            List<Event> events = new ArrayList<>();
            ControlledClock clock = ControlledClock.create(events::add);
            clock.schedule(seconds(1), () -> clock.advance(seconds(1)));
            clock.schedule(seconds(1), () -> {
                try {
                    clock.sleep(seconds(1));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });

            clock.advance(seconds(1));

            assertEquals(2, events.size());
            for (Event event : events) {
                ClockEvent.TaskFailed failed = assertInstanceOf(ClockEvent.TaskFailed.class, event);
                assertInstanceOf(IllegalStateException.class, failed.error());
            }
            assertEquals(seconds(1).toNanos(), clock.monoNanos());
        }
    }

    @Nested
    class NextTimer {

        private final ControlledClock clock = ControlledClock.create();

        @Test
        void untilNextTimerIsEmptyWithoutTimers() {
            assertEquals(Optional.empty(), clock.untilNextTimer());
        }

        @Test
        void untilNextTimerTellsTheTimeLeftOrZeroIfDue() {
            clock.schedule(seconds(3), () -> {});
            clock.advance(seconds(1));
            assertEquals(Optional.of(seconds(2)), clock.untilNextTimer());

            clock.schedule(Duration.ZERO, () -> {});
            assertEquals(Optional.of(Duration.ZERO), clock.untilNextTimer());
        }

        @Test
        void advanceToNextTimerJumpsToItsDueTimeAndRunsEverythingDueThen() {
            List<String> log = new ArrayList<>();
            clock.schedule(seconds(7), record(clock, log, "later"));
            clock.schedule(seconds(3), record(clock, log, "a"));
            clock.schedule(seconds(3), record(clock, log, "b"));

            assertTrue(clock.advanceToNextTimer());

            assertEquals(List.of("a@3", "b@3"), log);
            assertEquals(seconds(3).toNanos(), clock.monoNanos());
            assertEquals(1, clock.pendingTimers());
        }

        @Test
        void advanceToNextTimerRunsADueTimerWithoutMovingTime() {
            AtomicInteger runs = new AtomicInteger();
            clock.advance(seconds(1));
            clock.schedule(Duration.ZERO, runs::incrementAndGet);

            assertTrue(clock.advanceToNextTimer());

            assertEquals(1, runs.get());
            assertEquals(seconds(1).toNanos(), clock.monoNanos());
        }

        @Test
        void advanceToNextTimerReturnsFalseAndLeavesTimeAloneWithoutTimers() {
            assertFalse(clock.advanceToNextTimer());
            assertEquals(0, clock.monoNanos());
        }
    }

    @Nested
    class Sleeping {

        private final ControlledClock clock = ControlledClock.create();

        private void awaitSleepers(int count) {
            // The sleeper registers as a pending timer before it blocks; @Timeout bounds the wait.
            while (clock.pendingTimers() < count) {
                Thread.onSpinWait();
            }
        }

        @Test
        void blocksUntilAnotherThreadAdvancesToTheWakeTime() throws Exception {
            AtomicBoolean woke = new AtomicBoolean();
            AtomicReference<Long> wokeAt = new AtomicReference<>();
            CountDownLatch returned = new CountDownLatch(1);
            Thread sleeper = Thread.ofPlatform().start(() -> {
                try {
                    clock.sleep(seconds(5));
                    woke.set(true);
                    wokeAt.set(clock.monoNanos());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    returned.countDown();
                }
            });
            awaitSleepers(1);

            clock.advance(millis(4999));
            assertFalse(woke.get());
            assertEquals(1, returned.getCount());
            assertTrue(sleeper.isAlive());

            clock.advance(millis(1));
            assertTrue(returned.await(5, TimeUnit.SECONDS));
            assertTrue(woke.get());
            assertTrue(wokeAt.get() >= seconds(5).toNanos());
            assertEquals(0, clock.pendingTimers());
        }

        @Test
        void ofZeroOrLessReturnsAtOnce() throws InterruptedException {
            clock.sleep(Duration.ZERO);
            clock.sleep(seconds(-1));
            assertEquals(0, clock.pendingTimers());
        }

        @Test
        void isInterruptibleAndLeavesNoTimerBehind() throws Exception {
            AtomicReference<Throwable> outcome = new AtomicReference<>();
            Thread sleeper = Thread.ofPlatform().start(() -> {
                try {
                    clock.sleep(seconds(5));
                } catch (Throwable t) {
                    outcome.set(t);
                }
            });
            awaitSleepers(1);

            sleeper.interrupt();
            sleeper.join();

            assertInstanceOf(InterruptedException.class, outcome.get());
            assertEquals(0, clock.pendingTimers());
        }
    }

    @Nested
    class Concurrency {

        @Test
        void advancesFromSeveralThreadsAreSerialized() throws Exception {
            ControlledClock clock = ControlledClock.create();
            int threads = 4;
            int steps = 500;
            AtomicInteger concurrent = new AtomicInteger();
            AtomicInteger maxConcurrent = new AtomicInteger();
            List<Long> readings = new CopyOnWriteArrayList<>();
            clock.scheduleAtFixedRate(millis(1), () -> {
                maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
                readings.add(clock.monoNanos());
                concurrent.decrementAndGet();
            });
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Thread> advancers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                advancers.add(Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    for (int i = 0; i < steps; i++) {
                        clock.advance(millis(1));
                    }
                }));
            }
            for (Thread advancer : advancers) {
                advancer.join();
            }

            assertEquals(millis(threads * steps).toNanos(), clock.monoNanos());
            assertEquals(1, maxConcurrent.get(), "timers overlapped");
            assertEquals(threads * steps, readings.size());
            for (int i = 0; i < readings.size(); i++) {
                assertEquals(millis(i + 1).toNanos(), readings.get(i));
            }
        }

        @Test
        void timersScheduledAndCancelledFromManyThreadsRunExactlyOnceUnlessCancelled() throws Exception {
            ControlledClock clock = ControlledClock.create();
            int schedulers = 4;
            int timersEach = 5_000;
            AtomicInteger[][] runs = new AtomicInteger[schedulers][timersEach];
            boolean[][] cancelledByUs = new boolean[schedulers][timersEach];
            AtomicInteger concurrent = new AtomicInteger();
            AtomicInteger maxConcurrent = new AtomicInteger();
            CountDownLatch schedulersDone = new CountDownLatch(schedulers);

            List<Thread> threads = new ArrayList<>();
            for (int s = 0; s < schedulers; s++) {
                int scheduler = s;
                threads.add(Thread.ofPlatform().start(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    List<Cancellable> handles = new ArrayList<>();
                    for (int i = 0; i < timersEach; i++) {
                        AtomicInteger count = new AtomicInteger();
                        runs[scheduler][i] = count;
                        handles.add(clock.schedule(Duration.ofNanos(random.nextLong(-1_000, 5_000_000)), () -> {
                            maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
                            count.incrementAndGet();
                            concurrent.decrementAndGet();
                        }));
                        if (random.nextBoolean()) {
                            int victim = random.nextInt(handles.size());
                            cancelledByUs[scheduler][victim] |=
                                    handles.get(victim).cancel();
                        }
                    }
                    schedulersDone.countDown();
                }));
            }
            Thread advancer = Thread.ofPlatform().start(() -> {
                while (schedulersDone.getCount() > 0) {
                    clock.advance(Duration.ofNanos(100_000));
                }
            });
            for (Thread thread : threads) {
                thread.join();
            }
            advancer.join();
            clock.advance(seconds(1));

            int ran = 0;
            int cancelled = 0;
            for (int s = 0; s < schedulers; s++) {
                for (int i = 0; i < timersEach; i++) {
                    int expected = cancelledByUs[s][i] ? 0 : 1;
                    assertEquals(expected, runs[s][i].get(), "timer " + s + "/" + i);
                    ran += expected;
                    cancelled += 1 - expected;
                }
            }
            assertEquals(1, maxConcurrent.get(), "timers overlapped");
            assertEquals(0, clock.pendingTimers());
            assertTrue(ran > 0 && cancelled > 0, "both paths were exercised: ran " + ran + ", cancelled " + cancelled);
        }
    }
}

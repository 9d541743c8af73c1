package dev.phyxius.tests.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phyxius.process.ProcessEvent;
import dev.phyxius.process.ProcessId;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessStatus;
import dev.phyxius.process.Processes;
import dev.phyxius.process.SpawnException;
import dev.phyxius.process.SpawnOptions;
import dev.phyxius.process.StopReason;
import dev.phyxius.supervisor.Backoff;
import dev.phyxius.supervisor.ChildKind;
import dev.phyxius.supervisor.ChildOptions;
import dev.phyxius.supervisor.SupervisionStrategy;
import dev.phyxius.supervisor.Supervisor;
import dev.phyxius.supervisor.SupervisorAction;
import dev.phyxius.supervisor.SupervisorEvent;
import dev.phyxius.supervisor.SupervisorOptions;
import dev.phyxius.testing.ControlledClock;
import dev.phyxius.testing.ProcessTestKit;
import dev.phyxius.testing.RecordedEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SupervisorTest {

    final ProcessTestKit kit = ProcessTestKit.create();
    final ControlledClock clock = kit.clock();
    final RecordedEvents events = kit.events();
    final List<String> journal = new CopyOnWriteArrayList<>();
    Supervisor supervisor;

    Supervisor supervisor(SupervisionStrategy strategy) {
        supervisor =
                new Supervisor(kit.supervisorOptions().withStrategy(strategy).withId(new ProcessId("sup")));
        return supervisor;
    }

    @AfterEach
    void stopSupervisor() throws Exception {
        if (supervisor != null) {
            // Stops never wait on the clock unless a child is stuck; none is at the end of a test.
            supervisor.stop().get(10, TimeUnit.SECONDS);
        }
        kit.close();
    }

    /** Waits until the process {@code ref} has run {@code init} again {@code times} times. */
    void awaitRestarted(ProcessRef<?> ref, int times) {
        events.awaitEvents(ProcessEvent.Restarted.class, times, e -> e.id().equals(ref.id()));
    }

    static Backoff backoff(long initialSeconds, long maxSeconds, double factor) {
        return Backoff.exponential(Duration.ofSeconds(initialSeconds), Duration.ofSeconds(maxSeconds), factor);
    }

    @Nested
    class RestartInPlace {
        @Test
        void aFailedChildRestartsWithFreshStateBehindTheSameRef() throws Exception {
            Worker worker = new Worker("w", journal);
            ProcessRef<String> ref = supervisor(SupervisionStrategy.oneForOne()).spawn(worker.spec());
            ProcessId id = ref.id();
            ref.send("before");
            ref.send("boom");
            awaitRestarted(ref, 1);
            ref.send("after");
            kit.awaitCondition("after is handled", () -> worker.handled.contains("after@2"));
            assertEquals(List.of("before@1", "after@2"), worker.handled);
            assertEquals(id, ref.id());
            assertEquals(ProcessStatus.RUNNING, ref.status());
            assertEquals(2, worker.inits.get());
            assertEquals(List.of("1 ERROR"), worker.stops);
            assertEquals(1, supervisor.restartCount(id));
            assertEquals(List.of(ref), supervisor.children());
        }

        @Test
        void messagesQueuedBehindTheFailingOneAreKeptAndTheFailingOneIsReported() throws Exception {
            Worker worker = new Worker("w", journal);
            ProcessRef<String> ref = supervisor(SupervisionStrategy.oneForOne()).spawn(worker.spec());
            ref.send("block");
            worker.awaitBlocked();
            ref.send("boom");
            ref.send("queued-1");
            CompletableFuture<Object> asked = ref.ask(reply -> "queued-ask");
            ref.send("queued-2");
            worker.release();
            kit.awaitCondition(
                    "queued messages are handled",
                    () -> worker.handled.containsAll(List.of("queued-1@2", "queued-2@2", "queued-ask@2")));
            assertEquals(List.of("queued-1@2", "queued-ask@2", "queued-2@2"), worker.handled);
            ProcessEvent.MessageDropped dropped = events.awaitEvent(ProcessEvent.MessageDropped.class);
            assertEquals("boom", dropped.message());
            assertEquals(ProcessEvent.DropReason.HANDLER_FAILED, dropped.reason());
            assertFalse(asked.isDone(), "the queued ask was kept for the next life, which does not answer");
        }

        @Test
        void theFailingAskFailsWithTheHandlersError() throws Exception {
            Worker worker = new Worker("w", journal);
            ProcessRef<String> ref = supervisor(SupervisionStrategy.oneForOne()).spawn(worker.spec());
            CompletableFuture<Object> failing = ref.ask(reply -> "boom");
            Exception error = assertThrows(Exception.class, () -> failing.get(10, TimeUnit.SECONDS));
            assertEquals("boom in w", error.getCause().getMessage());
            awaitRestarted(ref, 1);
        }

        @Test
        void sendsDuringTheBackoffAreQueuedAndHandledAfterTheRestart() throws Exception {
            Worker worker = new Worker("w", journal);
            ProcessRef<String> ref = supervisor(SupervisionStrategy.oneForOne().withBackoff(backoff(1, 10, 2)))
                    .spawn(worker.spec());
            ref.send("boom");
            events.awaitEvent(SupervisorEvent.RestartScheduled.class);
            assertTrue(ref.send("during-backoff"));
            assertEquals(List.of(), worker.handled);
            clock.advance(Duration.ofSeconds(1));
            kit.awaitCondition("the queued message is handled", () -> worker.handled.contains("during-backoff@2"));
        }

        @Test
        void aRestartWhoseInitFailsCountsAsAnotherFailure() throws Exception {
            Worker worker = new Worker("w", journal);
            ProcessRef<String> ref = supervisor(SupervisionStrategy.oneForOne()).spawn(worker.spec());
            worker.failInit = true;
            ref.send("boom");
            SupervisorEvent.GaveUp gaveUp = events.awaitEvent(SupervisorEvent.GaveUp.class);
            assertEquals(ref.id(), gaveUp.child());
            assertEquals(3, gaveUp.restarts(), "the default intensity: 3 restarts");
            // 1 failure + 3 failed inits: the 4th failure needed a 4th restart.
            assertEquals(4, worker.inits.get());
            assertEquals(3, supervisor.restartCount(ref.id()));
            assertEquals(
                    StopReason.Error.class,
                    ref.termination().get(10, TimeUnit.SECONDS).getClass());
            assertEquals(ProcessStatus.FAILED, ref.status());
        }

        @Test
        void everyEventCarriesTheSupervisorsIdAndItsClocksTime() throws Exception {
            clock.advance(Duration.ofSeconds(7));
            Worker worker = new Worker("w", journal);
            ProcessRef<String> ref = supervisor(SupervisionStrategy.oneForOne()).spawn(worker.spec());
            ref.send("boom");
            events.awaitEvent(SupervisorEvent.ChildRestarted.class);
            List<SupervisorEvent> emitted = events.ofType(SupervisorEvent.class);
            assertTrue(emitted.size() >= 4, emitted.toString());
            for (SupervisorEvent event : emitted) {
                assertEquals(new ProcessId("sup"), event.supervisor());
                assertEquals(Duration.ofSeconds(7).toNanos(), event.at().monoNanos());
            }
            SupervisorEvent.ChildFailed failed = events.awaitEvent(SupervisorEvent.ChildFailed.class);
            assertEquals(ref.id(), failed.child());
            assertEquals("boom in w", failed.error().getMessage());
        }
    }

    @Nested
    class BackoffTiming {
        @Test
        void theRestartHappensExactlyAfterTheBackoffDelayAndNotAMillisecondBefore() throws Exception {
            Worker worker = new Worker("w", journal);
            ProcessRef<String> ref = supervisor(SupervisionStrategy.oneForOne()
                            .withMaxRestarts(10, Duration.ofMinutes(1))
                            .withBackoff(backoff(1, 30, 2)))
                    .spawn(worker.spec());
            long[] expectedMillis = {1000, 2000, 4000, 8000};
            for (int i = 0; i < expectedMillis.length; i++) {
                int attempt = i + 1;
                ref.send("boom");
                SupervisorEvent.RestartScheduled scheduled = events.awaitEvents(
                                SupervisorEvent.RestartScheduled.class, attempt)
                        .get(i);
                assertEquals(attempt, scheduled.attempt());
                assertEquals(Duration.ofMillis(expectedMillis[i]), scheduled.delay());
                clock.advance(Duration.ofMillis(expectedMillis[i] - 1));
                assertEquals(
                        i, events.ofType(SupervisorEvent.ChildRestarted.class).size(), "restarted too early");
                assertEquals(attempt, worker.inits.get());
                clock.advance(Duration.ofMillis(1));
                SupervisorEvent.ChildRestarted restarted = events.awaitEvents(
                                SupervisorEvent.ChildRestarted.class, attempt)
                        .get(i);
                assertEquals(attempt, restarted.attempt());
                assertEquals(Duration.ofMillis(expectedMillis[i]), restarted.delay());
                awaitRestarted(ref, attempt);
            }
        }

        @Test
        void theDelayIsCappedAtTheMaximum() throws Exception {
            Worker worker = new Worker("w", journal);
            ProcessRef<String> ref = supervisor(SupervisionStrategy.oneForOne()
                            .withMaxRestarts(10, Duration.ofMinutes(10))
                            .withBackoff(backoff(1, 3, 2)))
                    .spawn(worker.spec());
            for (int attempt = 1; attempt <= 4; attempt++) {
                ref.send("boom");
                SupervisorEvent.RestartScheduled scheduled = events.awaitEvents(
                                SupervisorEvent.RestartScheduled.class, attempt)
                        .get(attempt - 1);
                clock.advance(scheduled.delay());
                awaitRestarted(ref, attempt);
            }
            assertEquals(
                    List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(3)),
                    events.ofType(SupervisorEvent.RestartScheduled.class).stream()
                            .map(SupervisorEvent.RestartScheduled::delay)
                            .toList());
        }

        @Test
        void noBackoffRestartsAtOnceWithoutAnyClockAdvance() throws Exception {
            Worker worker = new Worker("w", journal);
            ProcessRef<String> ref = supervisor(SupervisionStrategy.oneForOne()).spawn(worker.spec());
            ref.send("boom");
            awaitRestarted(ref, 1);
            assertEquals(
                    Duration.ZERO,
                    events.awaitEvent(SupervisorEvent.ChildRestarted.class).delay());
            assertEquals(0, clock.now().monoNanos());
        }

        @Test
        void theDelayResetsOnceTheChildHasStayedUpLongerThanTheWindow() throws Exception {
            Worker worker = new Worker("w", journal);
            ProcessRef<String> ref = supervisor(SupervisionStrategy.oneForOne()
                            .withMaxRestarts(5, Duration.ofSeconds(10))
                            .withBackoff(backoff(1, 30, 2)))
                    .spawn(worker.spec());
            ref.send("boom");
            clockAdvanceAfterScheduled(1);
            ref.send("boom");
            clockAdvanceAfterScheduled(2);
            // Up for more than the window: both earlier restarts slide out.
            clock.advance(Duration.ofSeconds(11));
            ref.send("boom");
            SupervisorEvent.RestartScheduled third = clockAdvanceAfterScheduled(3);
            assertEquals(1, third.attempt());
            assertEquals(Duration.ofSeconds(1), third.delay());
            awaitRestarted(ref, 3);
        }

        @Test
        void jitterShortensDelaysReproduciblyForTheSameSeed() throws Exception {
            List<Duration> first = jitteredDelays(7L);
            List<Duration> second = jitteredDelays(7L);
            assertEquals(first, second);
            List<Duration> nominal = List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
            for (int i = 0; i < 3; i++) {
                assertTrue(first.get(i).compareTo(nominal.get(i)) <= 0, first.toString());
                assertTrue(first.get(i).compareTo(nominal.get(i).dividedBy(2)) >= 0, first.toString());
            }
            assertFalse(first.equals(nominal), "jitter changed nothing: " + first);
        }

        private List<Duration> jitteredDelays(long seed) throws Exception {
            try (ProcessTestKit own = ProcessTestKit.create();
                    Supervisor jittery = new Supervisor(own.supervisorOptions()
                            .withStrategy(SupervisionStrategy.oneForOne()
                                    .withMaxRestarts(5, Duration.ofMinutes(1))
                                    .withBackoff(backoff(1, 30, 2).withJitter(0.5, seed))))) {
                ProcessRef<String> ref = jittery.spawn(new Worker("j").spec());
                for (int attempt = 1; attempt <= 3; attempt++) {
                    ref.send("boom");
                    Duration delay = own.events()
                            .awaitEvents(SupervisorEvent.RestartScheduled.class, attempt)
                            .get(attempt - 1)
                            .delay();
                    own.clock().advance(delay);
                    own.events().awaitEvents(ProcessEvent.Restarted.class, attempt);
                }
                return own.events().ofType(SupervisorEvent.RestartScheduled.class).stream()
                        .map(SupervisorEvent.RestartScheduled::delay)
                        .toList();
            }
        }

        private SupervisorEvent.RestartScheduled clockAdvanceAfterScheduled(int nth) {
            SupervisorEvent.RestartScheduled scheduled = events.awaitEvents(SupervisorEvent.RestartScheduled.class, nth)
                    .get(nth - 1);
            clock.advance(scheduled.delay());
            events.awaitEvents(ProcessEvent.Restarted.class, nth);
            return scheduled;
        }
    }

    @Nested
    class Intensity {
        @Test
        void theFailureBeyondTheMaximumGivesUpAndTheChildStaysFailed() throws Exception {
            Worker worker = new Worker("w", journal);
            ProcessRef<String> ref = supervisor(
                            SupervisionStrategy.oneForOne().withMaxRestarts(2, Duration.ofSeconds(5)))
                    .spawn(worker.spec());
            ref.send("boom");
            awaitRestarted(ref, 1);
            ref.send("boom");
            awaitRestarted(ref, 2);
            ref.send("boom");
            SupervisorEvent.GaveUp gaveUp = events.awaitEvent(SupervisorEvent.GaveUp.class);
            assertEquals(ref.id(), gaveUp.child());
            assertEquals(2, gaveUp.restarts());
            assertEquals(Duration.ofSeconds(5), gaveUp.within());
            assertInstanceOf(StopReason.Error.class, ref.termination().get(10, TimeUnit.SECONDS));
            assertEquals(ProcessStatus.FAILED, ref.status());
            assertFalse(ref.send("after"));
            assertEquals(2, supervisor.restartCount(ref.id()));
            assertInstanceOf(
                    StopReason.Error.class,
                    events.awaitEvent(
                                    SupervisorEvent.ChildStopped.class,
                                    e -> e.child().equals(ref.id()))
                            .reason());
            assertEquals(List.of(), supervisor.children());
        }

        @Test
        void restartsOlderThanTheWindowNoLongerCount() throws Exception {
            Worker worker = new Worker("w", journal);
            ProcessRef<String> ref = supervisor(
                            SupervisionStrategy.oneForOne().withMaxRestarts(2, Duration.ofSeconds(5)))
                    .spawn(worker.spec());
            ref.send("boom");
            awaitRestarted(ref, 1);
            clock.advance(Duration.ofSeconds(3));
            ref.send("boom");
            awaitRestarted(ref, 2);
            clock.advance(Duration.ofSeconds(2)); // the first restart is now exactly 5 s old: out
            ref.send("boom");
            awaitRestarted(ref, 3);
            events.assertNone(SupervisorEvent.GaveUp.class);
            clock.advance(Duration.ofMillis(2999)); // the second restart is 4.999 s old: still in
            ref.send("boom");
            SupervisorEvent.GaveUp gaveUp = events.awaitEvent(SupervisorEvent.GaveUp.class);
            assertEquals(ref.id(), gaveUp.child());
            assertEquals(2, gaveUp.restarts(), "the second and third restarts, inside the last 5 s");
            assertEquals(Duration.ofSeconds(5), gaveUp.within());
        }

        @Test
        void aJumpOfWallTimeChangesNothing() throws Exception {
            Worker worker = new Worker("w", journal);
            ProcessRef<String> ref = supervisor(SupervisionStrategy.oneForOne()
                            .withMaxRestarts(1, Duration.ofSeconds(5))
                            .withBackoff(backoff(2, 2, 1)))
                    .spawn(worker.spec());
            ref.send("boom");
            events.awaitEvent(SupervisorEvent.RestartScheduled.class);
            clock.jumpWall(Instant.parse("2030-01-01T00:00:00Z"));
            clock.advance(Duration.ofMillis(1999));
            events.assertNone(SupervisorEvent.ChildRestarted.class); // a wall jump must not fire the backoff
            clock.advance(Duration.ofMillis(1));
            awaitRestarted(ref, 1);
            clock.jumpWall(Instant.parse("2040-01-01T00:00:00Z")); // years "later": the window must not slide
            ref.send("boom");
            SupervisorEvent.GaveUp gaveUp = events.awaitEvent(SupervisorEvent.GaveUp.class);
            assertEquals(ref.id(), gaveUp.child());
            assertEquals(1, gaveUp.restarts());
        }
    }

    @Nested
    class Strategies {
        Worker a = new Worker("a", journal);
        Worker b = new Worker("b", journal);
        Worker c = new Worker("c", journal);

        @Test
        void oneForOneRestartsOnlyTheFailedChild() throws Exception {
            supervisor(SupervisionStrategy.oneForOne());
            supervisor.spawn(a.spec());
            ProcessRef<String> refB = supervisor.spawn(b.spec());
            supervisor.spawn(c.spec());
            journal.clear();
            refB.send("boom");
            awaitRestarted(refB, 1);
            assertEquals(List.of("stop b ERROR", "init b"), journal);
        }

        @Test
        void oneForAllShutsTheSiblingsDownInReverseOrderThenRestartsAllInStartOrder() throws Exception {
            supervisor(SupervisionStrategy.oneForAll());
            ProcessRef<String> refA = supervisor.spawn(a.spec());
            ProcessRef<String> refB = supervisor.spawn(b.spec());
            ProcessRef<String> refC = supervisor.spawn(c.spec());
            journal.clear();
            refB.send("boom");
            for (ProcessRef<String> ref : List.of(refA, refB, refC)) {
                awaitRestarted(ref, 1);
            }
            assertEquals(List.of("stop b ERROR", "stop c SHUTDOWN", "stop a SHUTDOWN"), journal.subList(0, 3));
            assertEquals(
                    List.of("init a", "init b", "init c"),
                    journal.subList(3, 6).stream().sorted().toList());
            assertEquals(List.of("1 SHUTDOWN"), a.stops);
            assertEquals(List.of(refA, refB, refC), supervisor.children());
            for (ProcessRef<String> ref : List.of(refA, refB, refC)) {
                assertEquals(1, supervisor.restartCount(ref.id()));
            }
        }

        @Test
        void restForOneRestartsTheFailedChildAndThoseStartedAfterIt() throws Exception {
            supervisor(SupervisionStrategy.restForOne());
            ProcessRef<String> refA = supervisor.spawn(a.spec());
            ProcessRef<String> refB = supervisor.spawn(b.spec());
            ProcessRef<String> refC = supervisor.spawn(c.spec());
            journal.clear();
            refB.send("boom");
            awaitRestarted(refB, 1);
            awaitRestarted(refC, 1);
            assertEquals(List.of("stop b ERROR", "stop c SHUTDOWN"), journal.subList(0, 2));
            assertEquals(1, a.inits.get());
            assertEquals(0, supervisor.restartCount(refA.id()));
            assertEquals(1, supervisor.restartCount(refC.id()));
        }

        @Test
        void siblingsRestartOnlyAfterTheBackoffAndKeepTheirQueuedMessages() throws Exception {
            supervisor(SupervisionStrategy.oneForAll().withBackoff(backoff(1, 1, 1)));
            ProcessRef<String> refA = supervisor.spawn(a.spec());
            ProcessRef<String> refB = supervisor.spawn(b.spec());
            refB.send("boom");
            events.awaitEvent(SupervisorEvent.RestartScheduled.class);
            assertTrue(refA.send("while-suspended"));
            clock.advance(Duration.ofMillis(999));
            assertEquals(1, a.inits.get());
            clock.advance(Duration.ofMillis(1));
            kit.awaitCondition("a handles its queued message", () -> a.handled.contains("while-suspended@2"));
            awaitRestarted(refB, 1);
        }

        @Test
        void aStuckSiblingIsAbandonedAfterItsShutdownTimeoutAndReported() throws Exception {
            supervisor(SupervisionStrategy.oneForAll());
            ProcessRef<String> refA =
                    supervisor.spawn(a.spec(), ChildOptions.defaults().withShutdownTimeout(Duration.ofSeconds(2)));
            ProcessRef<String> refB = supervisor.spawn(b.spec());
            refA.send("block");
            a.awaitBlocked();
            refB.send("boom");
            // Two timers: the supervisor's wait for a, and a's own suspend timeout (which
            // interrupts its stuck handler), both the child's shutdown timeout.
            kit.awaitCondition("the supervisor waits for a to suspend", () -> clock.pendingTimers() == 2);
            clock.advance(Duration.ofMillis(1999));
            events.assertNone(SupervisorEvent.ShutdownTimedOut.class);
            clock.advance(Duration.ofMillis(1));
            SupervisorEvent.ShutdownTimedOut timedOut = events.awaitEvent(SupervisorEvent.ShutdownTimedOut.class);
            assertEquals(refA.id(), timedOut.child());
            assertEquals(Duration.ofSeconds(2), timedOut.waited());
            awaitRestarted(refB, 1);
            a.release();
            awaitRestarted(refA, 1); // restarted as soon as it finally suspended
        }
    }

    @Nested
    class ChildKinds {
        @Test
        void aPermanentChildIsRestartedEvenAfterStoppingItself() throws Exception {
            Worker worker = new Worker("w", journal);
            ProcessRef<String> ref = supervisor(SupervisionStrategy.oneForOne()).spawn(worker.spec());
            ref.send("stop-self");
            awaitRestarted(ref, 1);
            assertEquals(List.of("1 NORMAL"), worker.stops);
            events.assertNone(SupervisorEvent.ChildFailed.class);
        }

        @Test
        void aTransientChildIsRestartedAfterAFailureButNotAfterStoppingItself() throws Exception {
            Worker worker = new Worker("w", journal);
            ProcessRef<String> ref = supervisor(SupervisionStrategy.oneForOne())
                    .spawn(worker.spec(), ChildOptions.of(ChildKind.TRANSIENT));
            ref.send("boom");
            awaitRestarted(ref, 1);
            ref.send("stop-self");
            assertEquals(StopReason.NORMAL, ref.termination().get(10, TimeUnit.SECONDS));
            assertEquals(ProcessStatus.STOPPED, ref.status());
            SupervisorEvent.ChildStopped stopped = events.awaitEvent(SupervisorEvent.ChildStopped.class);
            assertEquals(StopReason.NORMAL, stopped.reason());
            assertEquals(List.of(), supervisor.children());
        }

        @Test
        void aTemporaryChildIsNeverRestarted() throws Exception {
            Worker worker = new Worker("w", journal);
            ProcessRef<String> ref = supervisor(SupervisionStrategy.oneForOne())
                    .spawn(worker.spec(), ChildOptions.of(ChildKind.TEMPORARY));
            ref.send("boom");
            assertInstanceOf(StopReason.Error.class, ref.termination().get(10, TimeUnit.SECONDS));
            assertEquals(ProcessStatus.FAILED, ref.status());
            assertEquals(1, worker.inits.get());
            SupervisorEvent.ChildStopped stopped = events.awaitEvent(SupervisorEvent.ChildStopped.class);
            assertEquals(ref.id(), stopped.child());
            assertInstanceOf(StopReason.Error.class, stopped.reason());
            events.assertNone(SupervisorEvent.ChildRestarted.class);
        }

        @Test
        void aStopThroughTheRefIsFinalAndTheSupervisorForgetsTheChild() throws Exception {
            Worker worker = new Worker("w", journal);
            ProcessRef<String> ref = supervisor(SupervisionStrategy.oneForOne()).spawn(worker.spec());
            ref.stop().get(10, TimeUnit.SECONDS);
            SupervisorEvent.ChildStopped stopped = events.awaitEvent(SupervisorEvent.ChildStopped.class);
            assertEquals(ref.id(), stopped.child());
            assertEquals(StopReason.NORMAL, stopped.reason());
            assertEquals(List.of(), supervisor.children());
            assertEquals(ProcessStatus.STOPPED, ref.status());
            assertEquals(1, worker.inits.get());
        }

        @Test
        void aStopThroughTheRefDuringTheBackoffCancelsTheRestart() throws Exception {
            Worker worker = new Worker("w", journal);
            ProcessRef<String> ref = supervisor(SupervisionStrategy.oneForOne().withBackoff(backoff(1, 1, 1)))
                    .spawn(worker.spec());
            ref.send("boom");
            events.awaitEvent(SupervisorEvent.RestartScheduled.class);
            ref.stop().get(10, TimeUnit.SECONDS);
            clock.advance(Duration.ofSeconds(5));
            assertEquals(1, worker.inits.get());
            events.assertNone(SupervisorEvent.ChildRestarted.class);
            assertEquals(ProcessStatus.STOPPED, ref.status());
        }

        @Test
        void theStopActionEndsAFailedChildWithoutRestartingIt() throws Exception {
            Worker worker = new Worker("w", journal);
            ProcessRef<String> ref = supervisor(SupervisionStrategy.oneForOne())
                    .spawn(worker.spec(), ChildOptions.defaults().withAction(SupervisorAction.STOP));
            ref.send("boom");
            assertInstanceOf(StopReason.Error.class, ref.termination().get(10, TimeUnit.SECONDS));
            assertEquals(ProcessStatus.FAILED, ref.status());
            assertEquals(1, worker.inits.get());
        }

        @Test
        void escalateWithoutAParentGivesUpAtOnce() throws Exception {
            Worker worker = new Worker("w", journal);
            ProcessRef<String> ref = supervisor(SupervisionStrategy.oneForOne())
                    .spawn(worker.spec(), ChildOptions.defaults().withAction(SupervisorAction.ESCALATE));
            ref.send("boom");
            assertEquals(
                    ref.id(), events.awaitEvent(SupervisorEvent.GaveUp.class).child());
            events.assertNone(SupervisorEvent.RestartScheduled.class);
            assertInstanceOf(StopReason.Error.class, ref.termination().get(10, TimeUnit.SECONDS));
            assertEquals(ProcessStatus.FAILED, ref.status());
        }
    }

    @Nested
    class Adoption {
        @Test
        void aProcessFromProcessesSpawnIsRestartedInPlaceOnceSupervised() throws Exception {
            Worker worker = new Worker("adopted", journal);
            ProcessRef<String> ref = Processes.spawn(worker.spec(), kit.options());
            supervisor(SupervisionStrategy.oneForOne()).supervise(ref, SupervisorAction.RESTART);
            assertEquals(List.of(ref), supervisor.children());
            ref.send("boom");
            awaitRestarted(ref, 1);
            ref.send("after");
            kit.awaitCondition("handled after the restart", () -> worker.handled.contains("after@2"));
            assertEquals(1, supervisor.restartCount(ref.id()));
        }

        @Test
        void aProcessCannotHaveTwoSupervisors() {
            Worker worker = new Worker("adopted", journal);
            ProcessRef<String> ref = Processes.spawn(worker.spec(), SpawnOptions.of(clock));
            supervisor(SupervisionStrategy.oneForOne()).supervise(ref, SupervisorAction.RESTART);
            try (Supervisor other = new Supervisor(SupervisorOptions.of(clock))) {
                assertThrows(IllegalStateException.class, () -> other.supervise(ref, SupervisorAction.RESTART));
            }
        }

        @Test
        void aSpawnWhoseInitThrowsAddsNoChild() {
            Worker worker = new Worker("w", journal);
            worker.failInit = true;
            supervisor(SupervisionStrategy.oneForOne());
            assertThrows(SpawnException.class, () -> supervisor.spawn(worker.spec()));
            assertEquals(List.of(), supervisor.children());
        }

        @Test
        void aSpawnedChildUsesTheSupervisorsClockSinkAndContext() throws Exception {
            List<String> contexts = new CopyOnWriteArrayList<>();
            supervisor(SupervisionStrategy.oneForOne());
            ProcessRef<String> ref = supervisor.spawn(
                    dev.phyxius.process.ProcessSpec.<String, String>named("ctx")
                            .init((String ctx) -> {
                                contexts.add(ctx);
                                return ctx;
                            })
                            .handler((state, message, tools) -> {
                                if (message.equals("boom")) {
                                    throw new IllegalStateException("boom");
                                }
                                return state;
                            })
                            .build(),
                    "the-context");
            ref.send("boom");
            awaitRestarted(ref, 1);
            assertEquals(List.of("the-context", "the-context"), contexts);
            events.awaitEvent(ProcessEvent.Started.class, e -> e.id().equals(ref.id()));
        }

        @Test
        void aChildIdMayOnlyBeUsedOnce() {
            supervisor(SupervisionStrategy.oneForOne());
            ChildOptions fixed = ChildOptions.defaults().withId(new ProcessId("only"));
            ProcessRef<String> first = supervisor.spawn(new Worker("a", journal).spec(), fixed);
            assertEquals(new ProcessId("only"), first.id());
            assertThrows(
                    IllegalArgumentException.class, () -> supervisor.spawn(new Worker("b", journal).spec(), fixed));
            assertEquals(List.of(first), supervisor.children());
        }
    }

    @Nested
    class Shutdown {
        @Test
        void stopStopsChildrenInReverseStartOrderWithShutdown() throws Exception {
            supervisor(SupervisionStrategy.oneForOne());
            ProcessRef<String> a = supervisor.spawn(new Worker("a", journal).spec());
            ProcessRef<String> b = supervisor.spawn(new Worker("b", journal).spec());
            ProcessRef<String> c = supervisor.spawn(new Worker("c", journal).spec());
            journal.clear();
            supervisor.stop().get(10, TimeUnit.SECONDS);
            assertEquals(List.of("stop c SHUTDOWN", "stop b SHUTDOWN", "stop a SHUTDOWN"), journal);
            for (ProcessRef<String> ref : List.of(a, b, c)) {
                assertEquals(ProcessStatus.STOPPED, ref.status());
            }
            assertEquals(
                    List.of(c.id(), b.id(), a.id()),
                    events.ofType(SupervisorEvent.ChildStopped.class).stream()
                            .map(SupervisorEvent.ChildStopped::child)
                            .toList());
            assertEquals(
                    supervisor.id(),
                    events.awaitEvent(SupervisorEvent.SupervisorStopped.class).supervisor());
            assertTrue(events.all().getLast() instanceof SupervisorEvent.SupervisorStopped, "the last event");
        }

        @Test
        void stopIsIdempotentAndReturnsTheSameFuture() {
            supervisor(SupervisionStrategy.oneForOne());
            CompletableFuture<Void> first = supervisor.stop();
            assertSame(first, supervisor.stop());
            supervisor.close();
            assertSame(first, supervisor.stop());
            events.assertCount(SupervisorEvent.SupervisorStopped.class, 1);
        }

        @Test
        void aStoppedSupervisorRefusesNewChildrenClearly() {
            supervisor(SupervisionStrategy.oneForOne()).close();
            IllegalStateException refused =
                    assertThrows(IllegalStateException.class, () -> supervisor.spawn(new Worker("late").spec()));
            assertTrue(refused.getMessage().contains("accepts no new children"), refused.getMessage());
            ProcessRef<String> outsider = Processes.spawn(new Worker("outsider").spec(), SpawnOptions.of(clock));
            assertThrows(IllegalStateException.class, () -> supervisor.supervise(outsider, SupervisorAction.RESTART));
            assertEquals(ProcessStatus.RUNNING, outsider.status());
            outsider.stop();
        }

        @Test
        void stopCancelsPendingRestarts() throws Exception {
            Worker worker = new Worker("w", journal);
            ProcessRef<String> ref = supervisor(SupervisionStrategy.oneForOne().withBackoff(backoff(1, 1, 1)))
                    .spawn(worker.spec());
            ref.send("boom");
            events.awaitEvent(SupervisorEvent.RestartScheduled.class);
            supervisor.stop().get(10, TimeUnit.SECONDS);
            clock.advance(Duration.ofSeconds(5));
            assertEquals(1, worker.inits.get());
            assertEquals(ProcessStatus.STOPPED, ref.status());
            assertEquals(0, clock.pendingTimers());
        }

        @Test
        void aStuckChildIsAbandonedAfterItsShutdownTimeoutAndTheOthersStillStop() throws Exception {
            supervisor(SupervisionStrategy.oneForOne());
            Worker stuck = new Worker("stuck", journal);
            ProcessRef<String> a = supervisor.spawn(new Worker("a", journal).spec());
            ProcessRef<String> s =
                    supervisor.spawn(stuck.spec(), ChildOptions.defaults().withShutdownTimeout(Duration.ofSeconds(3)));
            s.send("block");
            stuck.awaitBlocked();
            CompletableFuture<Void> stopping = supervisor.stop();
            clock.advance(Duration.ofMillis(2999));
            assertFalse(stopping.isDone());
            assertEquals(ProcessStatus.RUNNING, a.status());
            clock.advance(Duration.ofMillis(1));
            stopping.get(10, TimeUnit.SECONDS);
            SupervisorEvent.ShutdownTimedOut timedOut = events.awaitEvent(SupervisorEvent.ShutdownTimedOut.class);
            assertEquals(s.id(), timedOut.child());
            assertEquals(ProcessStatus.STOPPED, a.status());
            stuck.release();
        }
    }
}

package dev.phyxius.tests.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phyxius.clock.Event;
import dev.phyxius.clock.EventSink;
import dev.phyxius.process.ProcessEvent;
import dev.phyxius.process.ProcessId;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessStatus;
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
import dev.phyxius.testing.PhyxiusTest;
import dev.phyxius.testing.ProcessTestKit;
import dev.phyxius.tests.supervisor.Member.Do;
import dev.phyxius.tests.supervisor.Member.Msg;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Restart rounds under one-for-all and rest-for-one (the failing child first in start order, so
 * that its siblings are bystanders under both), and rounds that meet a parent's hold.
 */
@PhyxiusTest
@Timeout(30)
class RestartRoundTest {

    /** The strategies whose rounds take bystanders along. */
    enum Shape {
        ONE_FOR_ALL(SupervisionStrategy.oneForAll()),
        REST_FOR_ONE(SupervisionStrategy.restForOne());

        final SupervisionStrategy strategy;

        Shape(SupervisionStrategy strategy) {
            this.strategy = strategy;
        }
    }

    final List<String> journal = new CopyOnWriteArrayList<>();

    static <E extends SupervisorEvent> long count(ProcessTestKit kit, Class<E> type, ProcessId child) {
        return kit.events().ofType(type).stream()
                .filter(e -> childOf(e).equals(child))
                .count();
    }

    static ProcessId childOf(SupervisorEvent event) {
        return switch (event) {
            case SupervisorEvent.ChildStarted e -> e.child();
            case SupervisorEvent.ChildFailed e -> e.child();
            case SupervisorEvent.RestartScheduled e -> e.child();
            case SupervisorEvent.ChildRestarted e -> e.child();
            case SupervisorEvent.GaveUp e -> e.child();
            case SupervisorEvent.Escalated e -> e.child();
            case SupervisorEvent.DecisionDeferred e -> e.child();
            case SupervisorEvent.ChildStopped e -> e.child();
            case SupervisorEvent.ShutdownTimedOut e -> e.child();
            case SupervisorEvent.SupervisorStopped e -> e.supervisor();
        };
    }

    /** Waits until the round has asked the held sibling to suspend: its own and the round's timer. */
    static void awaitSuspendRequested(ProcessTestKit kit) {
        kit.awaitCondition(
                "the round asks the busy sibling to suspend", () -> kit.clock().pendingTimers() == 2);
    }

    @Nested
    class Bystanders {
        @ParameterizedTest
        @EnumSource(Shape.class)
        void aTemporaryBystanderIsStoppedAndForgottenWhileTheOthersRestart(Shape shape, ProcessTestKit kit)
                throws Exception {
            kit.expectFailures();
            Supervisor supervisor = kit.supervisor(shape.strategy);
            Member failing = new Member("failing", journal);
            Member temporary = new Member("temporary", journal);
            Member transientOne = new Member("transient", journal);
            ProcessRef<Msg> failingRef = supervisor.spawn(failing.spec());
            ProcessRef<Msg> temporaryRef = supervisor.spawn(temporary.spec(), ChildOptions.of(ChildKind.TEMPORARY));
            ProcessRef<Msg> transientRef = supervisor.spawn(transientOne.spec(), ChildOptions.of(ChildKind.TRANSIENT));

            failingRef.send(new Do("boom"));
            kit.awaitIdle();

            assertEquals(1, temporary.inits.get(), "a temporary child is never started again");
            assertEquals(ProcessStatus.STOPPED, temporaryRef.status());
            assertEquals(
                    StopReason.SHUTDOWN,
                    kit.events()
                            .awaitEvent(
                                    SupervisorEvent.ChildStopped.class,
                                    e -> e.child().equals(temporaryRef.id()))
                            .reason());
            assertTrue(journal.contains("stop temporary SHUTDOWN"), journal.toString());
            assertEquals(0, supervisor.restartCount(temporaryRef.id()));

            assertEquals(2, Member.life(transientRef), "a transient bystander did not end by its own choice");
            assertEquals(2, Member.life(failingRef));
            assertEquals(List.of(failingRef, transientRef), supervisor.children());
        }

        @Test
        void aTemporaryChildOfASubtreeRestartedByItsParentIsStoppedAndForgotten(ProcessTestKit kit) throws Exception {
            kit.expectFailures();
            Supervisor root = kit.supervisor(SupervisionStrategy.oneForOne());
            Supervisor nested = kit.supervisor(SupervisionStrategy.oneForOne());
            root.supervise(nested);
            Member escalating = new Member("escalating", journal);
            Member temporary = new Member("temporary", journal);
            ProcessRef<Msg> escalatingRef =
                    nested.spawn(escalating.spec(), ChildOptions.defaults().withAction(SupervisorAction.ESCALATE));
            ProcessRef<Msg> temporaryRef = nested.spawn(temporary.spec(), ChildOptions.of(ChildKind.TEMPORARY));

            escalatingRef.send(new Do("boom"));
            kit.awaitIdle();

            assertEquals(1, root.restartCount(nested.id()));
            assertEquals(2, Member.life(escalatingRef));
            assertEquals(1, temporary.inits.get());
            assertEquals(ProcessStatus.STOPPED, temporaryRef.status());
            assertEquals(List.of(escalatingRef), nested.children());
        }
    }

    @Nested
    class FailuresDuringTheRound {
        @ParameterizedTest
        @EnumSource(Shape.class)
        void aSiblingThatFailsWhileTheRoundShutsItDownIsReportedButStartsNoSecondRound(Shape shape, ProcessTestKit kit)
                throws Exception {
            kit.expectFailures();
            Supervisor supervisor = kit.supervisor(shape.strategy);
            Member first = new Member("first", journal);
            Member sibling = new Member("sibling", journal);
            ProcessRef<Msg> firstRef = supervisor.spawn(first.spec());
            ProcessRef<Msg> siblingRef = supervisor.spawn(sibling.spec());
            siblingRef.send(new Do("hold-then-boom"));
            sibling.awaitHeld();

            firstRef.send(new Do("boom"));
            awaitSuspendRequested(kit);
            sibling.release(); // its message in progress now fails while the round waits for it
            kit.awaitIdle();

            assertEquals(1, count(kit, SupervisorEvent.ChildFailed.class, siblingRef.id()), "reported");
            assertEquals(1, supervisor.restartCount(firstRef.id()));
            assertEquals(1, supervisor.restartCount(siblingRef.id()));
            kit.events().assertCount(SupervisorEvent.ChildRestarted.class, 2);
            assertEquals(2, Member.life(firstRef));
            assertEquals(2, Member.life(siblingRef), "the request the round made does not reach the next life");
            assertEquals(2, sibling.inits.get());
        }

        @ParameterizedTest
        @EnumSource(Shape.class)
        void aSiblingStuckPastItsShutdownTimeoutIsRestartedAndHandlesWhatWasQueued(Shape shape, ProcessTestKit kit)
                throws Exception {
            kit.expectFailures();
            Supervisor supervisor = kit.supervisor(shape.strategy);
            Member first = new Member("first", journal);
            Member stuck = new Member("stuck", journal);
            ProcessRef<Msg> firstRef = supervisor.spawn(first.spec());
            ProcessRef<Msg> stuckRef = supervisor.spawn(stuck.spec());
            stuckRef.send(new Do("hold"));
            stuck.awaitHeld();

            firstRef.send(new Do("boom"));
            awaitSuspendRequested(kit);
            stuckRef.send(new Do("queued"));
            // The process interrupts the handler that holds up its suspend; the interrupted message fails.
            kit.clock().advance(ChildOptions.DEFAULT_SHUTDOWN_TIMEOUT);
            kit.awaitIdle();

            kit.events().awaitEvent(ProcessEvent.StopTimedOut.class, e -> e.id().equals(stuckRef.id()));
            assertEquals(ProcessStatus.RUNNING, stuckRef.status());
            assertEquals(2, Member.life(stuckRef));
            assertEquals(List.of("queued@2"), stuck.handled);
            assertEquals(1, supervisor.restartCount(stuckRef.id()));
            assertEquals(1, supervisor.restartCount(firstRef.id()));
            kit.events().assertCount(SupervisorEvent.ChildRestarted.class, 2);
        }
    }

    @Nested
    class SlowEventSink {
        @Test
        void aSinkSlowOnOneChildsFailureDelaysOnlyEventsNotTheOtherChildrensDecisions(ProcessTestKit kit)
                throws Exception {
            ControlledClock clock = ControlledClock.create();
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch released = new CountDownLatch(1);
            List<Event> delivered = new CopyOnWriteArrayList<>();
            EventSink slow = event -> {
                if (event instanceof SupervisorEvent.ChildFailed failed
                        && failed.name().equals("slow")
                        && entered.getCount() > 0) {
                    entered.countDown();
                    try {
                        released.await(20, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                delivered.add(event);
            };
            try (Supervisor supervisor =
                    new Supervisor(SupervisorOptions.of(clock).withEvents(slow))) {
                ProcessRef<Msg> slowRef = supervisor.spawn(new Member("slow", journal).spec());
                ProcessRef<Msg> otherRef = supervisor.spawn(new Member("other", journal).spec());

                slowRef.send(new Do("boom"));
                assertTrue(entered.await(10, TimeUnit.SECONDS), "the sink is called with the first failure");
                otherRef.send(new Do("boom"));
                assertEquals(2, Member.life(otherRef), "decided and restarted while the sink is stuck");
                assertEquals(1, supervisor.restartCount(otherRef.id()));
                assertFalse(
                        delivered.stream().anyMatch(e -> e instanceof SupervisorEvent.ChildFailed),
                        "events wait for the slow call to return, in order");

                released.countDown();
                // This supervisor reports to its own slow sink, not the kit's: the wait is on what that sink got.
                kit.awaitCondition(
                        "the events queued behind the slow call are delivered",
                        () -> delivered.stream()
                                        .filter(e -> e instanceof SupervisorEvent.ChildRestarted)
                                        .count()
                                == 2);
                assertEquals(2, Member.life(slowRef));
                List<String> order = delivered.stream()
                        .filter(e ->
                                e instanceof SupervisorEvent.ChildFailed || e instanceof SupervisorEvent.ChildRestarted)
                        .map(e -> e.getClass().getSimpleName() + " "
                                + (e instanceof SupervisorEvent.ChildFailed f
                                        ? f.name()
                                        : ((SupervisorEvent.ChildRestarted) e).name()))
                        .toList();
                assertEquals("ChildFailed slow", order.get(0));
                assertTrue(
                        order.indexOf("ChildFailed other") < order.indexOf("ChildRestarted other"), order.toString());
                assertEquals(4, order.size(), order.toString());
            }
        }
    }

    @Nested
    class ChildrenThatJoinDuringAHold {

        /** A root whose round holds {@code nested} for a 100 ms backoff after {@code worker} fails. */
        Supervisor heldRoot(ProcessTestKit kit, Shape shape, Supervisor nested, ProcessRef<Msg>[] worker) {
            Supervisor root = kit.supervisor(shape.strategy.withBackoff(
                    Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(1), 2.0)));
            worker[0] = root.spawn(new Member("worker", journal).spec());
            root.supervise(nested);
            worker[0].send(new Do("boom"));
            kit.events()
                    .awaitEvent(
                            SupervisorEvent.RestartScheduled.class,
                            e -> e.supervisor().equals(root.id()));
            return root;
        }

        @ParameterizedTest
        @EnumSource(Shape.class)
        void aChildThatCrashesWhileItsSupervisorIsHeldIsRestartedWhenTheHoldEnds(Shape shape, ProcessTestKit kit)
                throws Exception {
            kit.expectFailures();
            Supervisor nested = kit.supervisor(SupervisionStrategy.oneForOne());
            @SuppressWarnings("unchecked")
            ProcessRef<Msg>[] worker = new ProcessRef[1];
            heldRoot(kit, shape, nested, worker);

            Member late = new Member("late", journal);
            ProcessRef<Msg> lateRef = nested.spawn(late.spec()); // accepted during the hold
            lateRef.send(new Do("boom"));
            lateRef.send(new Do("queued"));
            kit.awaitIdle();
            assertEquals(0, nested.restartCount(lateRef.id()), "decided once the hold ends, not before");
            SupervisorEvent.DecisionDeferred deferred = kit.events()
                    .awaitEvent(
                            SupervisorEvent.DecisionDeferred.class,
                            e -> e.child().equals(lateRef.id()));
            assertEquals(nested.id(), deferred.supervisor(), "the held supervisor reports the deferral");
            assertEquals("late", deferred.name());
            assertTrue(
                    deferred.reason() instanceof StopReason.Error error
                            && error.cause().getMessage().contains("boom"),
                    "the deferral names how the child ended: " + deferred.reason());

            kit.advance(Duration.ofMillis(100));
            assertEquals(1, nested.restartCount(lateRef.id()));
            assertEquals(ProcessStatus.RUNNING, lateRef.status());
            assertEquals(2, Member.life(lateRef));
            assertEquals(List.of("queued@2"), late.handled);
            assertEquals(2, Member.life(worker[0]));
        }

        @ParameterizedTest
        @EnumSource(Shape.class)
        void aPermanentChildThatStopsItselfDuringTheHoldIsRestartedWhenItEnds(Shape shape, ProcessTestKit kit)
                throws Exception {
            kit.expectFailures();
            Supervisor nested = kit.supervisor(SupervisionStrategy.oneForOne());
            @SuppressWarnings("unchecked")
            ProcessRef<Msg>[] worker = new ProcessRef[1];
            heldRoot(kit, shape, nested, worker);

            ProcessRef<Msg> lateRef = nested.spawn(new Member("late", journal).spec());
            lateRef.send(new Do("stop-self"));
            kit.awaitIdle();
            kit.advance(Duration.ofMillis(100));

            assertEquals(ProcessStatus.RUNNING, lateRef.status());
            assertEquals(2, Member.life(lateRef));
            assertEquals(List.of(lateRef), nested.children());
        }

        @Test
        void aTransientChildThatStopsItselfDuringTheHoldIsForgottenWhenItEnds(ProcessTestKit kit) {
            kit.expectFailures();
            Supervisor nested = kit.supervisor(SupervisionStrategy.oneForOne());
            @SuppressWarnings("unchecked")
            ProcessRef<Msg>[] worker = new ProcessRef[1];
            heldRoot(kit, Shape.ONE_FOR_ALL, nested, worker);

            ProcessRef<Msg> lateRef =
                    nested.spawn(new Member("late", journal).spec(), ChildOptions.of(ChildKind.TRANSIENT));
            lateRef.send(new Do("stop-self"));
            kit.awaitIdle();
            kit.advance(Duration.ofMillis(100));

            assertEquals(ProcessStatus.STOPPED, lateRef.status());
            assertEquals(List.of(), nested.children());
        }

        @Test
        void aChildThatCrashedDuringTheHoldEndsFailedIfTheParentStopsInstead(ProcessTestKit kit) throws Exception {
            kit.expectFailures();
            Supervisor nested = kit.supervisor(SupervisionStrategy.oneForOne());
            @SuppressWarnings("unchecked")
            ProcessRef<Msg>[] worker = new ProcessRef[1];
            Supervisor root = heldRoot(kit, Shape.ONE_FOR_ALL, nested, worker);

            ProcessRef<Msg> lateRef = nested.spawn(new Member("late", journal).spec());
            lateRef.send(new Do("boom"));
            kit.awaitIdle();
            root.stop().get(10, TimeUnit.SECONDS);

            assertEquals(ProcessStatus.FAILED, lateRef.status());
            assertInstanceOf(StopReason.Error.class, lateRef.termination().get(10, TimeUnit.SECONDS));
        }
    }

    @Nested
    class RoundAfterRound {
        /**
         * Rounds that follow each other at once: the kit must not see the system at rest while a
         * round is still restarting its last members, and no member may be left suspended.
         */
        @ParameterizedTest
        @EnumSource(Shape.class)
        void everyMemberRunsAgainAfterEachOfManyRounds(Shape shape) throws Exception {
            java.util.Random random = new java.util.Random(42);
            for (int system = 0; system < 40; system++) {
                try (ProcessTestKit kit = ProcessTestKit.create()) {
                    kit.expectFailures();
                    Supervisor supervisor =
                            kit.supervisor(shape.strategy.withMaxRestarts(1_000, Duration.ofMinutes(1)));
                    List<ProcessRef<Msg>> refs = new java.util.ArrayList<>();
                    for (int i = 0; i < 8; i++) {
                        refs.add(supervisor.spawn(
                                new Member("m" + i, journal).spec(),
                                ChildOptions.of(i % 2 == 0 ? ChildKind.PERMANENT : ChildKind.TRANSIENT)));
                    }
                    for (int round = 0; round < 15; round++) {
                        ProcessRef<Msg> failing = refs.get(random.nextInt(refs.size()));
                        failing.send(new Do("boom"));
                        kit.awaitIdle();
                        for (ProcessRef<Msg> ref : refs) {
                            assertEquals(
                                    ProcessStatus.RUNNING,
                                    ref.status(),
                                    "system " + system + ", round " + round + ": " + ref + "\n"
                                            + kit.events().dump());
                        }
                    }
                    kit.assertNothingUnexpected();
                }
            }
        }
    }

    @Nested
    class GivingUp {
        @Test
        void aPermanentChildThatKeepsStoppingItselfEndsFailedWhenARootGivesUp(ProcessTestKit kit) throws Exception {
            Supervisor supervisor =
                    kit.supervisor(SupervisionStrategy.oneForOne().withMaxRestarts(1, Duration.ofMinutes(1)));
            ProcessRef<Msg> ref = supervisor.spawn(new Member("quitter", journal).spec());
            ref.send(new Do("stop-self"));
            kit.awaitIdle();
            assertEquals(2, Member.life(ref));
            ref.send(new Do("stop-self"));
            kit.awaitIdle();

            kit.events().awaitEvent(SupervisorEvent.GaveUp.class, e -> e.child().equals(ref.id()));
            assertEquals(ProcessStatus.FAILED, ref.status());
            StopReason.Error end =
                    assertInstanceOf(StopReason.Error.class, ref.termination().get(10, TimeUnit.SECONDS));
            assertEquals(
                    "child " + ref.id().value() + " ('quitter') stopped itself (NORMAL)",
                    end.cause().getMessage());
        }
    }
}

package dev.phyxius.tests.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phyxius.process.ProcessEvent;
import dev.phyxius.process.ProcessId;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessStatus;
import dev.phyxius.process.StopReason;
import dev.phyxius.supervisor.ChildKind;
import dev.phyxius.supervisor.ChildOptions;
import dev.phyxius.supervisor.EscalationException;
import dev.phyxius.supervisor.SupervisionStrategy;
import dev.phyxius.supervisor.Supervisor;
import dev.phyxius.supervisor.SupervisorAction;
import dev.phyxius.supervisor.SupervisorEvent;
import dev.phyxius.supervisor.SupervisorSnapshot;
import dev.phyxius.testing.ControlledClock;
import dev.phyxius.testing.ProcessTestKit;
import dev.phyxius.testing.RecordedEvents;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SupervisionTreeTest {

    final ProcessTestKit kit = ProcessTestKit.create();
    final ControlledClock clock = kit.clock();
    final RecordedEvents events = kit.events();
    final List<String> journal = new CopyOnWriteArrayList<>();
    final SupervisionStrategy oneRestartPerMinute =
            SupervisionStrategy.oneForOne().withMaxRestarts(1, Duration.ofMinutes(1));

    Supervisor root;

    Supervisor supervisor(String id, SupervisionStrategy strategy) {
        return new Supervisor(kit.supervisorOptions().withStrategy(strategy).withId(new ProcessId(id)));
    }

    @AfterEach
    void stopTree() throws Exception {
        if (root != null) {
            root.stop().get(10, TimeUnit.SECONDS);
        }
        kit.close();
    }

    void awaitRestarted(ProcessRef<?> ref, int times) {
        events.awaitEvents(ProcessEvent.Restarted.class, times, e -> e.id().equals(ref.id()));
    }

    List<SupervisorEvent.Escalated> escalatedFrom(String supervisor) {
        return events.ofType(SupervisorEvent.Escalated.class).stream()
                .filter(e -> e.supervisor().value().equals(supervisor))
                .toList();
    }

    @Nested
    class Escalation {
        @Test
        void aLeafsRepeatedFailuresEscalateThroughThreeLevelsToTheRoot() throws Exception {
            root = supervisor("root", oneRestartPerMinute);
            Supervisor middle = supervisor("middle", oneRestartPerMinute);
            Supervisor bottom = supervisor("bottom", oneRestartPerMinute);
            root.supervise(middle);
            middle.supervise(bottom);
            Worker leaf = new Worker("leaf", journal);
            ProcessRef<String> ref = bottom.spawn(leaf.spec());

            // Each level allows one restart per minute; the clock never moves, so every window fills:
            // bottom restarts the leaf once, then escalates; middle restarts bottom once, then
            // escalates; root restarts middle once, and on the next escalation gives up.
            int expectedRestarts = 7;
            for (int restart = 1; restart <= expectedRestarts; restart++) {
                ref.send("boom");
                awaitRestarted(ref, restart);
            }
            assertEquals(3, escalatedFrom("bottom").size());
            assertEquals(1, escalatedFrom("middle").size());
            ref.send("boom");

            SupervisorEvent.GaveUp rootGaveUp = events.awaitEvent(
                    SupervisorEvent.GaveUp.class, e -> e.supervisor().value().equals("root"));
            assertEquals(middle.id(), rootGaveUp.child());
            StopReason end = ref.termination().get(10, TimeUnit.SECONDS);
            assertInstanceOf(StopReason.Error.class, end);
            assertEquals("boom in leaf", ((StopReason.Error) end).cause().getMessage());
            assertEquals(ProcessStatus.FAILED, ref.status());
            assertEquals(4, escalatedFrom("bottom").size());
            assertEquals(2, escalatedFrom("middle").size());
            assertEquals(8, leaf.inits.get());

            SupervisorEvent.ChildFailed seenByRoot = events.awaitEvent(
                    SupervisorEvent.ChildFailed.class,
                    e -> e.supervisor().value().equals("root"));
            EscalationException escalation = assertInstanceOf(EscalationException.class, seenByRoot.error());
            assertEquals(middle.id(), escalation.supervisor());
            assertEquals(bottom.id(), escalation.child());
            events.awaitEvent(
                    SupervisorEvent.SupervisorStopped.class, e -> e.supervisor().equals(bottom.id()));
            assertEquals(
                    root.id(),
                    events.awaitEvent(
                                    SupervisorEvent.ChildStopped.class,
                                    e -> e.child().equals(middle.id()))
                            .supervisor(),
                    "the root stops the middle supervisor it gave up on");
            assertEquals(1, root.restartCount(middle.id()));
        }

        @Test
        void aParentRestartRestartsTheWholeSubtreeInPlaceShuttingItDownInReverseOrderFirst() throws Exception {
            root = supervisor("root", SupervisionStrategy.oneForOne());
            Supervisor child = supervisor("child", SupervisionStrategy.oneForOne());
            root.supervise(child);
            Worker a = new Worker("a", journal);
            Worker b = new Worker("b", journal);
            ProcessRef<String> refA =
                    child.spawn(a.spec(), ChildOptions.defaults().withAction(SupervisorAction.ESCALATE));
            ProcessRef<String> refB = child.spawn(b.spec());
            journal.clear();
            refA.send("queued-before");
            refA.send("boom");
            refA.send("queued-after");
            awaitRestarted(refA, 1);
            awaitRestarted(refB, 1);
            assertEquals(List.of("stop a ERROR", "stop b SHUTDOWN"), journal.subList(0, 2));
            assertEquals(
                    List.of("init a", "init b"),
                    journal.subList(2, 4).stream().sorted().toList());
            kit.awaitCondition(
                    "a handles what was queued behind the failure", () -> a.handled.contains("queued-after@2"));
            assertEquals(List.of(refA, refB), child.children());
            assertEquals(1, root.restartCount(child.id()));
            assertEquals(1, child.restartCount(refA.id()));
            assertEquals(1, child.restartCount(refB.id()));
            SupervisorEvent.Escalated escalated = events.awaitEvent(SupervisorEvent.Escalated.class);
            assertEquals(root.id(), escalated.parent());
            assertEquals(refA.id(), escalated.child());
            assertEquals(
                    0,
                    events.awaitEvent(
                                    SupervisorEvent.ChildRestarted.class,
                                    e -> e.supervisor().equals(child.id()))
                            .attempt());
        }

        @Test
        void aSupervisorRestartedByItsParentStartsWithAFreshIntensityWindow() throws Exception {
            root = supervisor("root", SupervisionStrategy.oneForOne());
            Supervisor child = supervisor("child", oneRestartPerMinute);
            root.supervise(child);
            Worker worker = new Worker("w", journal);
            ProcessRef<String> ref = child.spawn(worker.spec());
            ref.send("boom");
            awaitRestarted(ref, 1); // child's own restart: its window is now full
            ref.send("boom");
            awaitRestarted(ref, 2); // escalated; root restarted the subtree with a fresh window
            ref.send("boom");
            awaitRestarted(ref, 3); // so the child restarts it again on its own
            assertEquals(1, escalatedFrom("child").size());
        }
    }

    @Nested
    class Snapshot {
        @Test
        void listsEveryChildWithItsStatusMailboxAndRestartsAndNestedSupervisorsWithTheirSubtree() throws Exception {
            root = supervisor("root", SupervisionStrategy.oneForOne());
            Worker worker = new Worker("w", journal);
            ProcessRef<String> ref = root.spawn(worker.spec());
            Supervisor child = supervisor("child", SupervisionStrategy.restForOne());
            root.supervise(child, ChildOptions.of(ChildKind.TRANSIENT));
            Worker blocked = new Worker("blocked", journal);
            ProcessRef<String> blockedRef = child.spawn(blocked.spec());
            ref.send("boom");
            awaitRestarted(ref, 1);
            blockedRef.send("block");
            blocked.awaitBlocked();
            blockedRef.send("queued-1");
            blockedRef.send("queued-2");

            SupervisorSnapshot snapshot = root.snapshot();
            assertEquals(root.id(), snapshot.id());
            assertEquals(ProcessStatus.RUNNING, snapshot.status());
            assertEquals(2, snapshot.children().size());
            SupervisorSnapshot.Child first = snapshot.children().get(0);
            assertEquals(
                    new SupervisorSnapshot.Child(
                            ref.id(), "w", ChildKind.PERMANENT, ProcessStatus.RUNNING, 0, 1, Optional.empty()),
                    first);
            SupervisorSnapshot.Child second = snapshot.children().get(1);
            assertEquals(child.id(), second.id());
            assertEquals("supervisor", second.name());
            assertEquals(ChildKind.TRANSIENT, second.kind());
            SupervisorSnapshot subtree = second.subtree().orElseThrow();
            assertEquals(SupervisionStrategy.restForOne(), subtree.strategy());
            assertEquals(
                    List.of(new SupervisorSnapshot.Child(
                            blockedRef.id(),
                            "blocked",
                            ChildKind.PERMANENT,
                            ProcessStatus.RUNNING,
                            2,
                            0,
                            Optional.empty())),
                    subtree.children());
            blocked.release();
        }
    }

    @Nested
    class Attachment {
        @Test
        void stoppingTheParentStopsTheSubtreeInReverseStartOrder() throws Exception {
            root = supervisor("root", SupervisionStrategy.oneForOne());
            ProcessRef<String> first = root.spawn(new Worker("first", journal).spec());
            Supervisor child = supervisor("child", SupervisionStrategy.oneForOne());
            root.supervise(child);
            child.spawn(new Worker("x", journal).spec());
            child.spawn(new Worker("y", journal).spec());
            journal.clear();
            root.stop().get(10, TimeUnit.SECONDS);
            assertEquals(List.of("stop y SHUTDOWN", "stop x SHUTDOWN", "stop first SHUTDOWN"), journal);
            assertEquals(ProcessStatus.STOPPED, first.status());
            assertThrows(IllegalStateException.class, () -> child.spawn(new Worker("late").spec()));
        }

        @Test
        void stoppingAChildSupervisorDirectlyIsFinalAndItsParentForgetsIt() throws Exception {
            root = supervisor("root", SupervisionStrategy.oneForOne());
            Supervisor child = supervisor("child", SupervisionStrategy.oneForOne());
            root.supervise(child);
            child.stop().get(10, TimeUnit.SECONDS);
            SupervisorEvent.ChildStopped stopped = events.awaitEvent(
                    SupervisorEvent.ChildStopped.class, e -> e.supervisor().equals(root.id()));
            assertEquals(child.id(), stopped.child());
            assertEquals(StopReason.SHUTDOWN, stopped.reason());
        }

        @Test
        void aSupervisorHasAtMostOneParent() {
            root = supervisor("root", SupervisionStrategy.oneForOne());
            Supervisor other = supervisor("other", SupervisionStrategy.oneForOne());
            Supervisor child = supervisor("child", SupervisionStrategy.oneForOne());
            root.supervise(child);
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> other.supervise(child));
            assertTrue(refused.getMessage().contains("already has a parent"), refused.getMessage());
            other.close();
        }

        @Test
        void supervisionMustFormATree() {
            root = supervisor("root", SupervisionStrategy.oneForOne());
            Supervisor child = supervisor("child", SupervisionStrategy.oneForOne());
            root.supervise(child);
            assertThrows(IllegalArgumentException.class, () -> child.supervise(root));
            assertThrows(IllegalArgumentException.class, () -> root.supervise(root));
        }

        @Test
        void aStoppedSupervisorCannotBeAttached() {
            root = supervisor("root", SupervisionStrategy.oneForOne());
            Supervisor stopped = supervisor("stopped", SupervisionStrategy.oneForOne());
            stopped.close();
            assertThrows(IllegalStateException.class, () -> root.supervise(stopped));
        }
    }
}

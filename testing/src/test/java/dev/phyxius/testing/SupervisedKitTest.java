package dev.phyxius.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phyxius.process.ProcessEvent;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.ProcessStatus;
import dev.phyxius.supervisor.Backoff;
import dev.phyxius.supervisor.SupervisionStrategy;
import dev.phyxius.supervisor.Supervisor;
import dev.phyxius.supervisor.SupervisorEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class SupervisedKitTest {

    final ProcessTestKit kit = ProcessTestKit.create();
    /** What the worker handled, in every life, as "message@millis". */
    final List<String> handled = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() {
        kit.close();
        kit.assertNothingUnexpected();
    }

    /** Fails on "crash"; on "after:MS:NEXT" schedules NEXT; records everything else. */
    ProcessSpec<String, Void, Void> worker() {
        return ProcessSpec.<String, Void>named("worker")
                .handler((state, message, tools) -> {
                    handled.add(message + "@" + tools.clock().now().monoNanos() / 1_000_000);
                    if (message.equals("crash")) {
                        throw new IllegalStateException("crash");
                    }
                    if (message.startsWith("after:")) {
                        String[] parts = message.split(":", 3);
                        tools.schedule(Duration.ofMillis(Long.parseLong(parts[1])), parts[2]);
                    }
                    return null;
                })
                .build();
    }

    @RepeatedTest(20)
    void awaitIdleWaitsForARestartWithoutBackoffAndTheMessagesQueuedBehindTheFailure() {
        kit.expectFailures();
        Supervisor supervisor = kit.supervisor(SupervisionStrategy.oneForOne().withBackoff(Backoff.none()));
        ProcessRef<String> worker = supervisor.spawn(worker());
        worker.send("crash");
        worker.send("behind");
        kit.awaitIdle();
        assertEquals(1, supervisor.restartCount(worker.id()));
        assertEquals(List.of("crash@0", "behind@0"), handled);
        assertEquals(ProcessStatus.RUNNING, worker.status());
    }

    @RepeatedTest(20)
    void advanceStepsThroughABackoffAndTheTimersTheRestartedChildSchedules() {
        kit.expectFailures();
        Supervisor supervisor = kit.supervisor(SupervisionStrategy.oneForOne()
                .withBackoff(Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(1), 2.0)));
        ProcessRef<String> worker = supervisor.spawn(worker());
        worker.send("crash");
        worker.send("after:50:done");
        // Within one advance: the failure, the 100 ms backoff, the restart, the queued message and
        // the timer it schedules, 50 ms after the restart.
        kit.advance(Duration.ofMillis(150));
        assertEquals(List.of("crash@0", "after:50:done@100", "done@150"), handled);
    }

    @Test
    void aRestartIsNotEarlierThanItsBackoff() {
        kit.expectFailures();
        Supervisor supervisor = kit.supervisor(SupervisionStrategy.oneForOne()
                .withBackoff(Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(1), 2.0)));
        ProcessRef<String> worker = supervisor.spawn(worker());
        worker.send("crash");
        kit.advance(Duration.ofMillis(99));
        kit.events().assertNone(SupervisorEvent.ChildRestarted.class);
        kit.advance(Duration.ofMillis(1));
        assertEquals(
                Duration.ofMillis(100),
                kit.events().awaitEvent(SupervisorEvent.ChildRestarted.class).delay());
    }

    @Test
    void aSupervisedFailureIsUnexpectedUnlessDeclared() {
        Supervisor supervisor = kit.supervisor(SupervisionStrategy.oneForOne().withBackoff(Backoff.none()));
        supervisor.spawn(worker()).send("crash");
        kit.awaitIdle();
        kit.close();
        AssertionError failure = assertThrows(AssertionError.class, kit::assertNothingUnexpected);
        assertTrue(failure.getMessage().contains("ProcessEvent.Failed worker"), failure.getMessage());
        kit.expectFailures(); // so that tearDown passes
    }

    @Test
    void closeStopsTheKitsSupervisorsAndTheirChildren() {
        Supervisor supervisor = kit.supervisor();
        ProcessRef<String> worker = supervisor.spawn(worker());
        kit.close();
        assertEquals(ProcessStatus.STOPPED, worker.status());
        kit.events().awaitEvent(SupervisorEvent.SupervisorStopped.class);
        kit.events().assertNone(ProcessEvent.Failed.class);
        assertThrows(IllegalStateException.class, kit::supervisor);
    }
}

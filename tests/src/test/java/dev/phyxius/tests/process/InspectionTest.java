package dev.phyxius.tests.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.StopReason;
import dev.phyxius.process.spi.ProcessInspection;
import dev.phyxius.process.spi.ProcessSupervision;
import dev.phyxius.process.spi.SupervisedProcess;
import dev.phyxius.process.spi.SupervisionHook;
import dev.phyxius.testing.ProcessTestKit;
import dev.phyxius.tests.support.Gate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ProcessInspection#idle}: what test kits and the simulation rely on to know that a system
 * has come to rest.
 */
@Timeout(30)
class InspectionTest {

    final ProcessTestKit kit = ProcessTestKit.create();

    @AfterEach
    void tearDown() {
        kit.close();
    }

    /** A supervisor hook that holds the process's thread inside {@code ended} until released. */
    static final class HoldingHook implements SupervisionHook {
        final Gate gate = new Gate();
        final List<StopReason> ended = new CopyOnWriteArrayList<>();

        @Override
        public void ended(SupervisedProcess process, StopReason reason) {
            ended.add(reason);
            try {
                gate.pass();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void terminated(SupervisedProcess process, StopReason reason) {}
    }

    ProcessRef<?> spawnSupervised(SupervisionHook hook) {
        ProcessSpec<String, String, Void> spec = ProcessSpec.<String, String>named("inspected")
                .init(() -> "state")
                .handler((state, message, tools) -> {
                    switch (message) {
                        case "stop-self" -> tools.self().stop();
                        case "boom" -> throw new IllegalStateException("boom");
                        default -> {}
                    }
                    return state;
                })
                .build();
        return kit.watch(ProcessSupervision.spawn(spec, kit.options(), hook).ref());
    }

    /**
     * Sends {@code message} to a supervised process whose hook holds the process's thread, checks
     * that the process is not at rest while the hook runs and is once it returned.
     */
    HoldingHook endAndCheckRestWaitsForTheHook(String message) throws InterruptedException {
        HoldingHook hook = new HoldingHook();
        @SuppressWarnings("unchecked")
        ProcessRef<String> ref = (ProcessRef<String>) spawnSupervised(hook);
        ref.send(message);
        hook.gate.awaitEntered();

        // Suspended already, but the supervisor's decision is still running on the process's thread.
        assertFalse(ProcessInspection.idle(ref), "idle while the supervisor's hook runs");

        hook.gate.open();
        kit.awaitIdle(); // rests on ProcessInspection.idle: returns only once the hook has returned
        assertTrue(ProcessInspection.idle(ref), "at rest once the hook returned");
        return hook;
    }

    @Test
    void aSupervisedProcessThatStopsItselfIsNotAtRestUntilItsSupervisorHasHeard() throws Exception {
        HoldingHook hook = endAndCheckRestWaitsForTheHook("stop-self");
        assertEquals(List.of(StopReason.NORMAL), hook.ended);
    }

    @Test
    void aSupervisedProcessThatFailedIsNotAtRestUntilItsSupervisorHasHeard() throws Exception {
        HoldingHook hook = endAndCheckRestWaitsForTheHook("boom");
        assertTrue(
                hook.ended.getFirst() instanceof StopReason.Error error
                        && error.cause().getMessage().equals("boom"),
                "ended with the handler's error: " + hook.ended);
    }
}

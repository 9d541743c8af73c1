package dev.phyxius.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.phyxius.process.ProcessRef;
import dev.phyxius.simulation.SimulationFixtures.AimedCrashFixture;
import dev.phyxius.simulation.SimulationFixtures.Deposit;
import dev.phyxius.simulation.SimulationFixtures.MisconfiguredFixture;
import dev.phyxius.simulation.SimulationFixtures.TillMsg;
import dev.phyxius.simulation.SimulationFixtures.TimeLimitFixture;
import dev.phyxius.simulation.SimulationFixtures.Withdraw;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/** Crashes aimed at processes by name and at messages by type, in code and in {@code @SimulationTest}. */
@Timeout(60)
class AimedFaultsTest {

    static final SimulationScenario BOTH_TILLS = sim -> {
        ProcessRef<TillMsg> front = sim.spawn(SimulationFixtures.till("front"));
        ProcessRef<TillMsg> back = sim.spawn(SimulationFixtures.till("back"));
        for (int i = 0; i < 5; i++) {
            back.<Integer>ask(reply -> new Deposit(1, reply)).join();
            back.<Integer>ask(reply -> new Withdraw(1, reply)).join();
            front.<Integer>ask(reply -> new Deposit(1, reply)).join();
        }
        assertThrows(
                CompletionException.class,
                () -> front.<Integer>ask(reply -> new Withdraw(1, reply)).join());
    };

    @Test
    void crashesAimedAtAProcessAndAMessageTypeHitOnlyThem() {
        SimulationOptions options = SimulationOptions.defaults()
                .withName("tills")
                .withFaults(SimulationFaults.none()
                        .crashHandlers(1)
                        .inProcesses("front")
                        .onMessages(Withdraw.class));
        SimulationResult result = Simulation.run(7, options, BOTH_TILLS);
        result.assertPassed();
        List<String> crashes = result.logLines().stream()
                .filter(line -> line.contains("fault: injected crash"))
                .toList();
        assertEquals(1, crashes.size(), result.report());
        assertTrue(crashes.get(0).endsWith("front: fault: injected crash handling Withdraw"), crashes.get(0));
        assertTrue(
                result.reproduction()
                        .contains("faults: crashHandlers(1.0).inProcesses(\"front\").onMessages(Withdraw)"),
                result.reproduction());
    }

    @Test
    void aMessageTypeNamesItsSubtypesSoASealedInterfaceAimsAtAllItsMessages() {
        SimulationFaults faults = SimulationFaults.none().crashHandlers(0.5).onMessages(TillMsg.class);
        assertTrue(faults.aimsAt("anyone", new Withdraw(1, null)));
        assertFalse(faults.aimsAt("anyone", "not a till message"));
        SimulationFaults named = SimulationFaults.none().crashHandlers(0.5).inProcesses("front", "side");
        assertTrue(named.aimsAt("side", "x"));
        assertFalse(named.aimsAt("back", "x"));
    }

    @Test
    void aimingWithoutCrashesOrAtNothingIsRefusedWithTheRule() {
        IllegalArgumentException none = assertThrows(
                IllegalArgumentException.class, () -> SimulationFaults.none().inProcesses("front"));
        assertEquals(
                "inProcesses aims handler crashes: call crashHandlers(probability) with a probability above 0 first",
                none.getMessage());
        assertEquals(
                "names must not be empty",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> SimulationFaults.none().crashHandlers(0.1).inProcesses())
                        .getMessage());
        assertEquals(
                "types must not contain null",
                assertThrows(
                                NullPointerException.class,
                                () -> SimulationFaults.none().crashHandlers(0.1).onMessages(Withdraw.class, null))
                        .getMessage());
    }

    static EngineExecutionResults run(Class<?> fixture) {
        return EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(fixture))
                .execute();
    }

    static Throwable onlyFailure(EngineExecutionResults results) {
        List<Event> failed = results.testEvents().failed().list();
        assertEquals(1, failed.size(), () -> "failed tests: " + failed);
        return failed.get(0)
                .getPayload(TestExecutionResult.class)
                .orElseThrow()
                .getThrowable()
                .orElseThrow();
    }

    @Test
    void simulationTestAimsCrashesAtTheProcessesAndMessagesItNames() {
        AimedCrashFixture.runs = 0;
        run(AimedCrashFixture.class)
                .testEvents()
                .assertStatistics(stats -> stats.succeeded(1).failed(0));
        assertEquals(6, AimedCrashFixture.runs, "five seeds and the calibration run");
    }

    @Test
    void simulationTestEndsARunAtItsTimeLimit() {
        Throwable failure = onlyFailure(run(TimeLimitFixture.class));
        assertInstanceOf(SimulationFailure.class, failure);
        SimulationResult result = ((SimulationFailure) failure).result();
        assertEquals(SimulationOutcome.TIME_LIMIT, result.outcome(), result.report());
        assertTrue(
                failure.getMessage()
                        .startsWith("Simulation TIME_LIMIT at seed 3 of 'TimeLimitFixture#sleepsTwoMinutes'"),
                failure.getMessage());
        assertTrue(result.reason().contains("past the time limit of 60000ms"), result.reason());
    }

    @Test
    void simulationTestRefusesCrashTargetsWithoutCrashes() {
        Throwable failure = onlyFailure(run(MisconfiguredFixture.class));
        assertInstanceOf(ExtensionConfigurationException.class, failure);
        assertEquals(
                "@SimulationTest crashProcesses and crashMessages aim crashHandlers, which is 0", failure.getMessage());
    }
}

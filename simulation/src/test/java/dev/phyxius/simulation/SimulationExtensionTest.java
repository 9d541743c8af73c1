package dev.phyxius.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.phyxius.simulation.SimulationTestFixtures.ExploringFixture;
import dev.phyxius.simulation.SimulationTestFixtures.FailingSeedFixture;
import dev.phyxius.simulation.SimulationTestFixtures.NoSeedsFixture;
import dev.phyxius.simulation.SimulationTestFixtures.NoSimulationParameterFixture;
import dev.phyxius.simulation.SimulationTestFixtures.ReplayingFixture;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * Runs the test classes in {@code SimulationTestFixtures} through the JUnit Platform and checks what
 * {@link SimulationExtension} made of them: whichever JUnit the build runs on (CI runs this module's
 * tests on JUnit 5 and on JUnit 6).
 */
@Timeout(120)
class SimulationExtensionTest {

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
    void runsTheMethodOnceForEachSeedOfTheExplorationAsOneTest() {
        ExploringFixture.seeds.clear();
        run(ExploringFixture.class)
                .testEvents()
                .assertStatistics(stats -> stats.succeeded(1).failed(0));
        assertEquals(LongStream.range(40, 47).boxed().toList(), ExploringFixture.seeds);
    }

    @Test
    void replaysTheSameInterleavingForTheSameSeed() {
        ReplayingFixture.logs.clear();
        run(ReplayingFixture.class).testEvents().assertStatistics(stats -> stats.succeeded(1));
        run(ReplayingFixture.class).testEvents().assertStatistics(stats -> stats.succeeded(1));
        assertEquals(2, ReplayingFixture.logs.size());
        assertEquals(ReplayingFixture.logs.get(0), ReplayingFixture.logs.get(1));
    }

    @Test
    void aFailingSeedFailsTheTestWithTheLineThatReplaysIt() {
        Throwable failure = onlyFailure(run(FailingSeedFixture.class));
        SimulationFailure simulation = assertInstanceOf(SimulationFailure.class, failure);
        assertEquals(3L, simulation.result().seed());
        String firstLine = failure.getMessage().lines().findFirst().orElseThrow();
        assertEquals(
                "Simulation FAILED at seed 3 of 'FailingSeedFixture#failsAtSeedThree'"
                        + " (strategy: random(); faults: none): replay with Simulation.run(3L, options, scenario)"
                        + " or @SimulationTest(seed = 3)",
                firstLine);
    }

    @Test
    void aMethodWithoutASimulationParameterIsAConfigurationErrorNamingIt() {
        Throwable failure = onlyFailure(run(NoSimulationParameterFixture.class));
        assertInstanceOf(ExtensionConfigurationException.class, failure);
        assertEquals("@SimulationTest method takesNoSimulation must take a Simulation parameter", failure.getMessage());
    }

    @Test
    void exploringNoSeedIsAConfigurationError() {
        Throwable failure = onlyFailure(run(NoSeedsFixture.class));
        assertInstanceOf(ExtensionConfigurationException.class, failure);
        assertTrue(failure.getMessage().contains("seeds must be >= 1, was 0"), failure.getMessage());
    }
}

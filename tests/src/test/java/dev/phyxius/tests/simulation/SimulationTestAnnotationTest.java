package dev.phyxius.tests.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.simulation.Simulation;
import dev.phyxius.simulation.SimulationStrategy;
import dev.phyxius.simulation.SimulationTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** The JUnit 5 entry point: explore many seeds, or replay one. */
@Timeout(120)
class SimulationTestAnnotationTest {

    static ProcessSpec<String, Integer, Void> echo(ProcessRef<Scenarios.SinkMsg> sink) {
        return ProcessSpec.<String, Integer>named("echo")
                .init(() -> 0)
                .handler((n, msg, tools) -> {
                    sink.send(new Scenarios.Note(msg));
                    return n + 1;
                })
                .build();
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Exploring {
        final Set<Long> seeds = new HashSet<>();
        int runs;

        @SimulationTest(seeds = 25, firstSeed = 100, pctSteps = 40)
        void runsTheMethodOncePerSeedWithThatSeedsSimulation(Simulation sim) throws Exception {
            runs++;
            seeds.add(sim.seed());
            ProcessRef<Scenarios.SinkMsg> sink = sim.spawn(Scenarios.sink());
            ProcessRef<String> echo = sim.spawn(echo(sink));
            echo.send("hello");
            sim.sleep(Duration.ofMillis(10));
            assertEquals(
                    List.of("hello"),
                    sink.<List<String>>ask(Scenarios.Seen::new).join());
        }

        @AfterAll
        void everySeedRanOnce() {
            assertEquals(25, runs);
            assertEquals(25, seeds.size());
            assertTrue(seeds.contains(100L) && seeds.contains(124L), seeds.toString());
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class ExploringWithKMeasured {
        final List<Long> seeds = new ArrayList<>();

        @SimulationTest(seeds = 10, firstSeed = 7)
        void runsOnceMoreFirstToMeasurePctsK(Simulation sim) {
            seeds.add(sim.seed());
        }

        @AfterAll
        void theCalibrationRunCameFirstThenEverySeed() {
            assertEquals(11, seeds.size(), seeds.toString());
            assertEquals(List.of(7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L, 15L, 16L), seeds.subList(1, 11));
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Replaying {
        int runs;

        @SimulationTest(seed = 12345, strategy = SimulationStrategy.Kind.RANDOM)
        void runsOnlyTheGivenSeed(Simulation sim) {
            runs++;
            assertEquals(12345, sim.seed());
        }

        @AfterAll
        void ranOnce() {
            assertEquals(1, runs);
        }
    }
}

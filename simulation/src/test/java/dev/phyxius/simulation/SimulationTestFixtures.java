package dev.phyxius.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.Reply;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Timeout;

/**
 * Test classes that {@link SimulationExtensionTest} runs through the JUnit Platform. Nested in a
 * class whose name matches no test pattern, so that the build never runs them by themselves: some
 * are meant to fail.
 */
final class SimulationTestFixtures {

    private SimulationTestFixtures() {}

    record Add(int by) {}

    record Total(Reply<Integer> reply) {}

    /** A counter, and two clients that add to it concurrently: the interleaving depends on the seed. */
    static String race(Simulation sim) throws Exception {
        ProcessRef<Object> counter = sim.spawn(ProcessSpec.<Object, Integer>named("counter")
                .init(() -> 0)
                .handler((total, msg, tools) -> {
                    if (msg instanceof Total ask) {
                        ask.reply().send(total);
                        return total;
                    }
                    return total + ((Add) msg).by();
                })
                .build());
        var first = sim.fork("first", () -> counter.send(new Add(1)));
        var second = sim.fork("second", () -> counter.send(new Add(2)));
        first.join();
        second.join();
        sim.sleep(Duration.ofMillis(1));
        assertEquals(3, counter.<Integer>ask(Total::new).join());
        return sim.log().toString();
    }

    @Timeout(30)
    static class ExploringFixture {
        static final List<Long> seeds = new CopyOnWriteArrayList<>();

        @SimulationTest(seeds = 7, firstSeed = 40, strategy = SimulationStrategy.Kind.RANDOM)
        void explores(Simulation sim) throws Exception {
            seeds.add(sim.seed());
            race(sim);
        }
    }

    @Timeout(30)
    static class ReplayingFixture {
        static final List<String> logs = new CopyOnWriteArrayList<>();

        @SimulationTest(seed = 12345)
        void replays(Simulation sim) throws Exception {
            assertEquals(12345L, sim.seed());
            logs.add(race(sim));
        }
    }

    @Timeout(30)
    static class FailingSeedFixture {

        @SimulationTest(seeds = 10, strategy = SimulationStrategy.Kind.RANDOM)
        void failsAtSeedThree(Simulation sim) throws Exception {
            race(sim);
            assertNotEquals(3L, sim.seed(), "seed 3 is the planted failure");
        }
    }

    @Timeout(30)
    static class NoSimulationParameterFixture {

        @SimulationTest(seed = 1)
        void takesNoSimulation() {}
    }

    @Timeout(30)
    static class NoSeedsFixture {

        @SimulationTest(seeds = 0)
        void exploresNothing(Simulation sim) {}
    }
}

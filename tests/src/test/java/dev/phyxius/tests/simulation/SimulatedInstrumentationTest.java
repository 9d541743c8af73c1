package dev.phyxius.tests.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phyxius.process.ProcessInstrumentation;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.Processes;
import dev.phyxius.process.SpawnOptions;
import dev.phyxius.simulation.Simulation;
import dev.phyxius.simulation.SimulationResult;
import dev.phyxius.tests.simulation.Scenarios.SinkMsg;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A simulated process keeps the simulation's scheduling point after each message when it also
 * carries an instrumentation of its own, combined with {@link ProcessInstrumentation#combine}.
 */
@Timeout(120)
class SimulatedInstrumentationTest {

    /** Counts every message it sees handled. */
    static final class Counting implements ProcessInstrumentation {
        final AtomicInteger handled = new AtomicInteger();

        @Override
        public Object capture(ProcessRef<?> target, Object message) {
            return null;
        }

        @Override
        public Object beforeHandle(ProcessRef<?> process, Object message, Object captured, long queuedNanos) {
            return null;
        }

        @Override
        public void afterHandle(Object scope, Throwable error, long handlingNanos) {
            handled.incrementAndGet();
        }
    }

    static <M, S> ProcessRef<M> spawn(Simulation sim, ProcessSpec<M, S, Void> spec, Counting counting) {
        SpawnOptions<Void> options = sim.options(spec.name());
        return Processes.spawn(
                sim.withFaults(spec),
                options.withInstrumentation(
                        ProcessInstrumentation.combine(options.instrumentation().orElseThrow(), counting)));
    }

    /** What the last run of a seed saw: the sink's order and how many messages the user's hook counted. */
    record Seen(List<String> order, int handled) {}

    static Seen run(long seed) {
        Seen[] last = new Seen[1];
        SimulationResult result = Simulation.run(seed, sim -> {
            // Made per run: PCT's calibration runs the scenario once before the seed's run.
            Counting counting = new Counting();
            ProcessRef<SinkMsg> sink = spawn(sim, Scenarios.sink(), counting);
            ProcessRef<String> a = spawn(sim, Scenarios.sender("a", sink), counting);
            ProcessRef<String> b = spawn(sim, Scenarios.sender("b", sink), counting);
            for (int i = 0; i < 3; i++) {
                a.send("go");
                b.send("go");
            }
            sim.sleep(Duration.ofSeconds(1));
            List<String> order = sink.<List<String>>ask(Scenarios.Seen::new).join();
            // The reply is a scheduling point: let the sink finish the handler that sent it.
            sim.sleep(Duration.ofMillis(1));
            last[0] = new Seen(order, counting.handled.get());
        });
        result.assertPassed();
        return last[0];
    }

    @Test
    void combinedWithTheUsersInstrumentationMessagesStillInterleaveOneByOne() {
        Set<List<String>> distinct = new HashSet<>();
        for (long seed = 0; seed < 200; seed++) {
            Seen seen = run(seed);
            distinct.add(seen.order());
            // 6 "go" + 6 notes + the final ask: the user's hook saw every message.
            assertEquals(13, seen.handled(), "seed " + seed);
        }
        // Without a scheduling point per message each sender would send all its notes in one
        // step, leaving only a handful of orders; message by message there are up to 20.
        assertTrue(distinct.size() >= 10, "only " + distinct.size() + " distinct orders: " + distinct);
    }

    @Test
    void theSameSeedStillGivesTheSameOrder() {
        for (long seed : new long[] {3, 17}) {
            assertEquals(run(seed), run(seed), "seed " + seed);
        }
    }
}

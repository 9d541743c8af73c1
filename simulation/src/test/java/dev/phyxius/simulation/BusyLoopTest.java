package dev.phyxius.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Nothing of a run survives it: a busy loop is reported, and its thread is stopped when the run ends. */
@Timeout(60)
class BusyLoopTest {

    private static final SimulationOptions FAST = SimulationOptions.defaults()
            .withStrategy(SimulationStrategy.random())
            .withBlockingBound(Duration.ofMillis(300));

    /** The bug: a retry that waits for its backoff by watching the clock. */
    static ProcessSpec<String, Integer, Void> impatientRetry(AtomicLong spins) {
        return ProcessSpec.<String, Integer>named("retry")
                .init(() -> 0)
                .handler((attempts, msg, tools) -> {
                    long due =
                            tools.clock().monoNanos() + Duration.ofMillis(100).toNanos();
                    while (tools.clock().monoNanos() < due) {
                        spins.incrementAndGet();
                    }
                    return attempts + 1;
                })
                .build();
    }

    @Test
    void aHandlerWaitingForTimeInABusyLoopIsReportedAndStopsWithItsRun() throws Exception {
        AtomicLong spins = new AtomicLong();
        long seed = 910_001;
        SimulationResult result = Simulation.run(seed, FAST, sim -> {
            ProcessRef<String> retry = sim.spawn(impatientRetry(spins));
            retry.send("call the payment provider");
            sim.sleep(Duration.ofSeconds(1));
        });
        assertEquals(SimulationOutcome.NONDETERMINISM, result.outcome(), result.report());
        assertTrue(
                result.reason()
                        .startsWith("'retry' read the clock 100000 times without handing control back: a busy"
                                + " loop waiting for time"),
                result.reason());
        assertTrue(result.reason().contains("BusyLoopTest"), "names where it loops: " + result.reason());
        assertLoopThreadEnds(seed);
        assertStandsStill(spins);
    }

    @Test
    void aHandlerSpinningOnAFlagThatOnlyLogsIsStoppedAtItsNextLogLineAfterTheRun() throws Exception {
        AtomicLong spins = new AtomicLong();
        long seed = 910_002;
        SimulationResult result = Simulation.run(seed, FAST, sim -> {
            AtomicBoolean released = new AtomicBoolean(); // set by nobody: the spinner holds the only carrier
            ProcessRef<String> spinner = sim.spawn(ProcessSpec.<String, Integer>named("spinner")
                    .init(() -> 0)
                    .handler((n, msg, tools) -> {
                        while (!released.get()) {
                            // Busy, ignoring the watchdog's interrupt, logging now and then.
                            if (spins.incrementAndGet() % 1_000_000 == 0) {
                                sim.record("spinner", "still waiting");
                            }
                        }
                        return n + 1;
                    })
                    .build());
            spinner.send("go");
            sim.sleep(Duration.ofSeconds(1));
        });
        assertEquals(SimulationOutcome.NONDETERMINISM, result.outcome(), result.report());
        assertTrue(result.reason().startsWith("'spinner' kept control for more than 300ms"), result.reason());
        assertLoopThreadEnds(seed);
        assertStandsStill(spins);
    }

    @Test
    void processesStillBusyWhenTheScenarioReturnsNeverRunAgain() throws Exception {
        AtomicLong volleys = new AtomicLong();
        long seed = 910_003;
        SimulationResult result = Simulation.run(seed, FAST, sim -> {
            @SuppressWarnings("unchecked")
            ProcessRef<String>[] players = new ProcessRef[2];
            for (int i = 0; i < 2; i++) {
                int other = 1 - i;
                players[i] = sim.spawn(ProcessSpec.<String, Integer>named("player" + i)
                        .init(() -> 0)
                        .handler((n, ball, tools) -> {
                            volleys.incrementAndGet();
                            players[other].send(ball);
                            return n + 1;
                        })
                        .build());
            }
            players[0].send("ball");
            while (volleys.get() < 10) {
                Thread.yield(); // a scheduling point: let the rally start, then return in the middle of it
            }
        });
        result.assertPassed();
        assertLoopThreadEnds(seed);
        assertStandsStill(volleys);
    }

    /** The platform thread that carried the run has ended (a stopped thread hands it back). */
    private static void assertLoopThreadEnds(long seed) throws InterruptedException {
        Optional<Thread> loop = Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals("phyxius-simulation-" + seed))
                .findFirst();
        if (loop.isPresent()) {
            assertTrue(loop.get().join(Duration.ofSeconds(10)), "the run's loop thread still runs");
        }
    }

    /** The counter does not move while another whole run is simulated. */
    private static void assertStandsStill(AtomicLong counter) {
        long before = counter.get();
        Simulation.run(1, FAST, sim -> {
                    for (int i = 0; i < 200; i++) {
                        sim.sleep(Duration.ofMillis(1));
                    }
                })
                .assertPassed();
        assertEquals(before, counter.get(), "a thread of the earlier run is still running");
        assertFalse(
                Thread.getAllStackTraces().keySet().stream()
                        .anyMatch(thread -> thread.getName().startsWith("phyxius-simulation-91000")),
                "a loop thread survived");
    }
}

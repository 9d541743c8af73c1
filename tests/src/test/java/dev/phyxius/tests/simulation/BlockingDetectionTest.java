package dev.phyxius.tests.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.simulation.Simulation;
import dev.phyxius.simulation.SimulationOptions;
import dev.phyxius.simulation.SimulationOutcome;
import dev.phyxius.simulation.SimulationResult;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the simulation cannot control is reported, with the thread named, instead of hanging. */
@Timeout(60)
class BlockingDetectionTest {

    private static final SimulationOptions FAST =
            SimulationOptions.defaults().withBlockingBound(Duration.ofMillis(300));

    static ProcessSpec<String, Integer, Void> doing(String name, ThrowingAction action) {
        return ProcessSpec.<String, Integer>named(name)
                .init(() -> 0)
                .handler((n, msg, tools) -> {
                    action.run();
                    return n + 1;
                })
                .build();
    }

    interface ThrowingAction {
        void run() throws Exception;
    }

    @Test
    void aHandlerSleepingInRealTimeIsReportedAsNondeterminismNamingItsProcess() {
        SimulationResult result = Simulation.run(1, FAST, sim -> {
            ProcessRef<String> sleeper = sim.spawn(doing("sleeper", () -> Thread.sleep(20)));
            sleeper.send("go");
            sim.sleep(Duration.ofSeconds(1));
        });
        assertEquals(SimulationOutcome.NONDETERMINISM, result.outcome(), result.report());
        assertTrue(result.reason().startsWith("'sleeper' waits with a real-time timeout"), result.reason());
    }

    @Test
    void aHandlerWokenByAThreadOutsideTheSimulationIsReportedAsNondeterminism() {
        SimulationResult result = Simulation.run(1, FAST, sim -> {
            CompletableFuture<String> foreign = new CompletableFuture<>();
            java.util.concurrent.atomic.AtomicReference<Thread> parked =
                    new java.util.concurrent.atomic.AtomicReference<>();
            ProcessRef<String> waiter = sim.spawn(doing("waiter", () -> {
                parked.set(Thread.currentThread());
                foreign.join();
            }));
            waiter.send("go");
            sim.fork("kicker", () -> {
                // Completed by a platform thread the simulation knows nothing about, once the
                // handler is really parked on it (otherwise join would just return).
                Thread.ofPlatform().daemon().start(() -> {
                    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                    while (System.nanoTime() < deadline
                            && (parked.get() == null || parked.get().getState() != Thread.State.WAITING)) {
                        Thread.onSpinWait();
                    }
                    foreign.complete("from outside");
                });
                return null;
            });
            new CompletableFuture<Void>().join();
        });
        assertEquals(SimulationOutcome.NONDETERMINISM, result.outcome(), result.report());
        assertTrue(result.reason().startsWith("'waiter' was woken by thread"), result.reason());
    }

    @Test
    void aHandlerThatNeverHandsControlBackIsReportedAfterTheBlockingBound() {
        SimulationResult result = Simulation.run(1, FAST, sim -> {
            ProcessRef<String> spinner = sim.spawn(doing("spinner", () -> {
                // Busy until the watchdog interrupts it, so the test leaves no thread spinning.
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.onSpinWait();
                }
            }));
            spinner.send("go");
            sim.sleep(Duration.ofSeconds(1));
        });
        assertEquals(SimulationOutcome.NONDETERMINISM, result.outcome(), result.report());
        assertTrue(result.reason().startsWith("'spinner' kept control for more than"), result.reason());
        assertTrue(result.reason().contains("BlockingDetectionTest"), "names where it was: " + result.reason());
    }

    @Test
    void aScenarioWaitingForSomethingNothingWillDoIsADeadlockNamingWhereItWaits() {
        SimulationResult result = Simulation.run(1, FAST, sim -> {
            new CompletableFuture<Void>().join();
        });
        assertEquals(SimulationOutcome.DEADLOCK, result.outcome(), result.report());
        assertTrue(result.reason().contains("'scenario' waits at:"), result.reason());
        assertTrue(result.reason().contains("BlockingDetectionTest"), result.reason());
    }

    @Test
    void aScenarioThatNeverEndsInVirtualTimeHitsTheTimeLimit() {
        SimulationResult result = Simulation.run(1, FAST.withTimeLimit(Duration.ofMinutes(1)), sim -> {
            sim.sleep(Duration.ofHours(2));
        });
        assertEquals(SimulationOutcome.TIME_LIMIT, result.outcome(), result.report());
    }

    @Test
    void twoProcessesPingPongingForeverHitTheStepLimit() {
        SimulationResult result = Simulation.run(1, FAST.withMaxSteps(10_000), sim -> {
            ProcessRef<String>[] peers = new ProcessRef[2];
            for (int i = 0; i < 2; i++) {
                int other = 1 - i;
                peers[i] = sim.spawn(ProcessSpec.<String, Integer>named("peer" + i)
                        .init(() -> 0)
                        .handler((n, msg, tools) -> {
                            peers[other].send(msg);
                            return n + 1;
                        })
                        .build());
            }
            peers[0].send("ball");
            new CompletableFuture<Void>().join();
        });
        assertEquals(SimulationOutcome.STEP_LIMIT, result.outcome(), result.report());
    }

    @Test
    void everyRunNeedsItsSeedAndScenario() {
        org.junit.jupiter.api.Assertions.assertThrows(NullPointerException.class, () -> Simulation.run(1, null));
        org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> Simulation.explore(0, SimulationOptions.defaults(), sim -> {}));
    }
}

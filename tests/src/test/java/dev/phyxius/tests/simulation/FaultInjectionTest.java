package dev.phyxius.tests.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phyxius.process.MailboxPolicy;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.ProcessStatus;
import dev.phyxius.simulation.Simulation;
import dev.phyxius.simulation.SimulationExploration;
import dev.phyxius.simulation.SimulationFaultException;
import dev.phyxius.simulation.SimulationFaults;
import dev.phyxius.simulation.SimulationOptions;
import dev.phyxius.simulation.SimulationResult;
import dev.phyxius.simulation.SimulationScenario;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Faults drawn from the seed: found by exploration, replayed by the seed. */
@Timeout(120)
class FaultInjectionTest {

    static ProcessSpec<String, Integer, Void> worker() {
        return ProcessSpec.<String, Integer>named("worker")
                .init(() -> 0)
                .handler((n, msg, tools) -> n + 1)
                .build();
    }

    /** Assumes the worker survives ten messages: true without faults, false with crashes. */
    static SimulationScenario tenMessages() {
        return sim -> {
            ProcessRef<String> worker = sim.spawn(worker());
            for (int i = 0; i < 10; i++) {
                worker.send("job" + i);
            }
            sim.sleep(Duration.ofSeconds(1));
            assertEquals(ProcessStatus.RUNNING, worker.status(), "the worker died");
        };
    }

    @Test
    void aScenarioThatHoldsWithoutFaultsHoldsForEverySeed() {
        Simulation.explore(50, SimulationOptions.defaults(), tenMessages()).assertPassed();
    }

    @Test
    void crashedHandlersAreFoundReportedInTheLogAndReplayedBySeed() {
        SimulationOptions options = SimulationOptions.defaults()
                .withName("tenMessages")
                .withFaults(SimulationFaults.none().crashHandlers(0.02));
        SimulationExploration exploration = Simulation.explore(200, options, tenMessages());
        SimulationResult failure = exploration.firstFailure().orElseThrow();
        assertTrue(
                failure.logLines().stream().anyMatch(line -> line.contains("worker: fault: injected crash")),
                failure.report());
        assertTrue(
                failure.logLines().stream().anyMatch(line -> line.contains("SimulationFaultException")),
                "the crash surfaces as the process's failure: " + failure.report());
        assertTrue(failure.reproduction().contains("crashHandlers(0.02)"), failure.reproduction());
        assertEquals(
                failure.logLines(),
                Simulation.run(failure.seed(), options, tenMessages()).logLines());
    }

    @Test
    void anInjectedCrashIsASimulationFaultException() {
        SimulationOptions options =
                SimulationOptions.defaults().withFaults(SimulationFaults.none().crashHandlers(1));
        SimulationResult result = Simulation.run(3, options, sim -> {
            ProcessRef<String> worker = sim.spawn(worker());
            Throwable error = assertThrows(
                    Throwable.class, () -> worker.<Integer>ask(reply -> "job").join());
            assertInstanceOf(SimulationFaultException.class, error.getCause());
            assertEquals(ProcessStatus.FAILED, worker.status());
        });
        result.assertPassed();
    }

    @Test
    void delayedTimersFireLaterByAmountsTheSeedDecides() {
        SimulationOptions options =
                SimulationOptions.defaults().withFaults(SimulationFaults.none().delayTimers(1, Duration.ofMillis(500)));
        List<Long> firstRun = new ArrayList<>();
        List<Long> secondRun = new ArrayList<>();
        for (List<Long> fired : List.of(firstRun, secondRun)) {
            Simulation.run(11, options, sim -> {
                        fired.clear(); // the last run counts: PCT's calibration runs the scenario first
                        ProcessRef<String> ticker = sim.spawn(ProcessSpec.<String, Integer>named("ticker")
                                .init(() -> 0)
                                .handler((n, msg, tools) -> {
                                    fired.add(tools.clock().monoNanos() / 1_000_000);
                                    if (n < 5) {
                                        tools.schedule(Duration.ofSeconds(1), "tick");
                                    }
                                    return n + 1;
                                })
                                .build());
                        ticker.send("tick");
                        sim.sleep(Duration.ofSeconds(10));
                    })
                    .assertPassed();
        }
        assertEquals(firstRun, secondRun, "the seed fixes the delays");
        for (int i = 1; i < firstRun.size(); i++) {
            long gap = firstRun.get(i) - firstRun.get(i - 1);
            assertTrue(gap > 1000 && gap <= 1500, "gap " + gap + " in " + firstRun);
        }
    }

    @Test
    void aCappedMailboxRefusesSendsItWouldOtherwiseAccept() {
        SimulationOptions options =
                SimulationOptions.defaults().withFaults(SimulationFaults.none().mailboxCapacity(2));
        Simulation.run(5, options, sim -> {
                    // The first message holds the handler until the scenario opens the gate, so the two
                    // places stay taken whatever runs between the sends (each send is a scheduling point).
                    CompletableFuture<Void> gate = new CompletableFuture<>();
                    ProcessRef<String> rejecting = sim.spawn(ProcessSpec.<String, Integer>named("rejecting")
                            .init(() -> 0)
                            .handler((n, msg, tools) -> {
                                gate.join();
                                return n + 1;
                            })
                            .mailboxPolicy(MailboxPolicy.REJECT)
                            .build());
                    assertTrue(rejecting.send("held"));
                    while (rejecting.mailboxSize() > 0) {
                        sim.sleep(Duration.ofMillis(1)); // until the handler has taken it and waits
                    }
                    int accepted = 0;
                    for (int i = 0; i < 5; i++) {
                        accepted += rejecting.send("m" + i) ? 1 : 0;
                    }
                    assertEquals(2, accepted);
                    assertFalse(rejecting.send("one more"));
                    gate.complete(null);
                })
                .assertPassed();
    }
}

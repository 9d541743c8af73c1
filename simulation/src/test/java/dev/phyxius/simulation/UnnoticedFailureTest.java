package dev.phyxius.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.Reply;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * By default a run fails on a failure the scenario did not look at or declare, naming it, as
 * {@code @PhyxiusTest} does: a process that failed, a forked task that threw and was never
 * joined, a clock task that threw.
 */
@Timeout(60)
class UnnoticedFailureTest {

    sealed interface MailMsg {}

    record Send(String to, String body) implements MailMsg {}

    record Sent(Reply<Integer> reply) implements MailMsg {}

    /** The bug: a message without an address crashes the mailer. */
    static ProcessSpec<MailMsg, Integer, Void> mailer() {
        return ProcessSpec.<MailMsg, Integer>named("mailer")
                .init(() -> 0)
                .handler((sent, msg, tools) -> switch (msg) {
                    case Send send -> sent + (send.to().isEmpty() ? 0 : 1);
                    case Sent ask -> {
                        ask.reply().send(sent);
                        yield sent;
                    }
                })
                .build();
    }

    static final SimulationScenario SENDS_AND_FORGETS = sim -> {
        ProcessRef<MailMsg> mailer = sim.spawn(mailer());
        mailer.send(new Send("ada@example.com", "hello"));
        mailer.send(new Send(null, "to nobody"));
        sim.sleep(Duration.ofSeconds(1));
    };

    @Test
    void aProcessThatFailedWhileTheScenarioLookedElsewhereFailsTheRunNamingIt() {
        SimulationResult result = Simulation.run(4, SENDS_AND_FORGETS);
        assertEquals(SimulationOutcome.FAILED, result.outcome(), result.report());
        assertTrue(
                result.reason()
                        .startsWith("mailer (mailer-1) failed handling Send[to=null, body=to nobody]:"
                                + " NullPointerException"),
                result.reason());
        assertTrue(
                result.reason()
                        .endsWith("and the scenario did not expect failures: call sim.expectFailures() if"
                                + " it provokes them"),
                result.reason());
        assertInstanceOf(NullPointerException.class, result.failure().orElseThrow());
    }

    @Test
    void aScenarioThatExpectsFailuresPassesWithThem() {
        Simulation.run(4, sim -> {
                    sim.expectFailures();
                    SENDS_AND_FORGETS.run(sim);
                })
                .assertPassed();
    }

    @Test
    void whenTheScenarioThenFailsTheFailureLineNamesTheProcessFailureFirst() {
        SimulationResult result = Simulation.run(4, sim -> {
            ProcessRef<MailMsg> mailer = sim.spawn(mailer());
            mailer.send(new Send(null, "to nobody"));
            mailer.<Integer>ask(Sent::new).join(); // fails: the mailer is gone
        });
        assertEquals(SimulationOutcome.FAILED, result.outcome(), result.report());
        String failureLine = result.logLines().get(result.logLines().size() - 1);
        assertTrue(
                failureLine.contains(
                        "simulation: FAILED: mailer (mailer-1) failed handling Send[to=null, body=to nobody]:"
                                + " NullPointerException"),
                failureLine);
        assertTrue(failureLine.contains("; then the scenario threw "), failureLine);
        // The scenario's own throw stays the cause a test framework shows.
        assertInstanceOf(CompletionException.class, result.failure().orElseThrow());
    }

    @Test
    void aForkedTaskThatThrowsAndIsNeverJoinedFailsTheRunAndIsLogged() {
        SimulationResult result = Simulation.run(2, sim -> {
            sim.fork("importer", () -> {
                throw new IllegalStateException("malformed row 17");
            });
            sim.sleep(Duration.ofSeconds(1));
        });
        assertEquals(SimulationOutcome.FAILED, result.outcome(), result.report());
        assertEquals(
                "fork importer threw IllegalStateException: malformed row 17 and nothing joined it, and the"
                        + " scenario did not expect failures: call sim.expectFailures() if it provokes them",
                result.reason());
        assertTrue(
                result.logLines().stream()
                        .anyMatch(line ->
                                line.endsWith("importer: fork threw IllegalStateException:" + " malformed row 17")),
                result.report());
    }

    @Test
    void aForkedTaskThatThrowsIsTheScenariosOnceItJoinsIt() {
        Simulation.run(2, sim -> {
                    CompletableFuture<Object> importer = sim.fork("importer", () -> {
                        throw new IllegalStateException("malformed row 17");
                    });
                    sim.sleep(Duration.ofSeconds(1));
                    CompletionException failed = assertThrows(CompletionException.class, importer::join);
                    assertEquals("malformed row 17", failed.getCause().getMessage());
                })
                .assertPassed();
    }

    @Test
    void aForkWatchedThroughAllOfBeforeItThrowsCountsAsSeen() {
        Simulation.run(2, sim -> {
                    CompletableFuture<Object> importer = sim.fork("importer", () -> {
                        sim.sleep(Duration.ofMillis(10));
                        throw new IllegalStateException("malformed row 17");
                    });
                    CompletableFuture<Void> both = CompletableFuture.allOf(importer, sim.fork("indexer", () -> "done"));
                    assertThrows(CompletionException.class, both::join);
                })
                .assertPassed();
    }

    @Test
    void aClockTaskThatThrowsFailsTheRun() {
        SimulationResult result = Simulation.run(1, sim -> {
            sim.clock().schedule(Duration.ofMillis(5), () -> {
                throw new IllegalStateException("report generator broke");
            });
            sim.sleep(Duration.ofSeconds(1));
        });
        assertEquals(SimulationOutcome.FAILED, result.outcome(), result.report());
        assertTrue(
                result.reason().startsWith("a clock task threw IllegalStateException: report generator broke"),
                result.reason());
    }

    @Test
    void crashesTheOptionsInjectAreExpectedByThemselves() {
        SimulationOptions options = SimulationOptions.defaults()
                .withFaults(SimulationFaults.none().crashHandlers(1).inProcesses("mailer"));
        SimulationResult result = Simulation.run(3, options, sim -> {
            ProcessRef<MailMsg> mailer = sim.spawn(mailer());
            mailer.send(new Send("ada@example.com", "hello"));
            sim.sleep(Duration.ofSeconds(1));
        });
        result.assertPassed();
        assertTrue(
                result.logLines().stream()
                        .anyMatch(line -> line.contains("mailer: Failed(error=SimulationFaultException")),
                result.report());
    }
}

package dev.phyxius.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.Reply;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A cycle of asks (or of joins of forked tasks) is a deadlock whatever the timeouts: the run says
 * so, naming every ask in the cycle with its message type and call site, instead of ending in
 * timeouts or in its time limit.
 */
@Timeout(120)
class DeadlockTest {

    sealed interface CurrencyMsg {}
    record Rate(String currency, Reply<Double> reply) implements CurrencyMsg {}
    record Wire(ProcessRef<CurrencyMsg> next) implements CurrencyMsg {}

    /**
     * The bug: a desk that does not know a rate asks the next desk, and the last desk asks the
     * first. Each waits for the next while the next waits for it.
     */
    static ProcessSpec<CurrencyMsg, ProcessRef<CurrencyMsg>, Void> desk(String name, Duration askTimeout) {
        return ProcessSpec.<CurrencyMsg, ProcessRef<CurrencyMsg>>named(name)
                .init(() -> null)
                .handler((next, msg, tools) -> switch (msg) {
                    case Wire wire -> wire.next();
                    case Rate rate -> {
                        double found = next.<Double>ask(reply -> new Rate(rate.currency(), reply), askTimeout).join();
                        rate.reply().send(found);
                        yield next;
                    }
                })
                .build();
    }

    static SimulationScenario threeDesks(Duration askTimeout) {
        return sim -> {
            ProcessRef<CurrencyMsg> london = sim.spawn(desk("london", askTimeout));
            ProcessRef<CurrencyMsg> paris = sim.spawn(desk("paris", askTimeout));
            ProcessRef<CurrencyMsg> tokyo = sim.spawn(desk("tokyo", askTimeout));
            london.send(new Wire(paris));
            paris.send(new Wire(tokyo));
            tokyo.send(new Wire(london));
            london.<Double>ask(reply -> new Rate("CHF", reply), askTimeout).join();
        };
    }

    /** The line of this file where {@link #desk} asks the next desk. */
    static final int ASK_LINE = lineOf("double found = next.<Double>ask(");

    static int lineOf(String code) {
        try {
            List<String> source = Files.readAllLines(Path.of("src/test/java/dev/phyxius/simulation/DeadlockTest.java"));
            for (int i = 0; i < source.size(); i++) {
                if (source.get(i).contains(code)) {
                    return i + 1;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError("no line with " + code);
    }

    @Test
    void anAskCycleWithTheDefaultTimeoutIsADeadlockNamingEachAskAndItsCallSite() {
        for (long seed = 0; seed < 20; seed++) {
            SimulationResult result = Simulation.run(seed, threeDesks(Duration.ofSeconds(5)));
            assertEquals(SimulationOutcome.DEADLOCK, result.outcome(), result.report());
            String ask = "ask Rate at DeadlockTest.java:" + ASK_LINE;
            assertEquals("deadlock: london waits for paris (" + ask + "), paris waits for tokyo (" + ask
                    + "), tokyo waits for london (" + ask + "); only a timeout could end it", result.reason());
            // Found before any timeout could fire: no virtual time passed.
            assertEquals(Duration.ZERO, result.virtualTime());
            assertTrue(result.logLines().stream().noneMatch(line -> line.contains("TimeoutException")), result.report());
        }
    }

    @Test
    void anAskCycleWithHourLongTimeoutsIsTheSameDeadlockNotATimeLimit() {
        SimulationResult result = Simulation.run(3, SimulationOptions.defaults().withTimeLimit(Duration.ofMinutes(1)),
                threeDesks(Duration.ofHours(1)));
        assertEquals(SimulationOutcome.DEADLOCK, result.outcome(), result.report());
        assertTrue(result.reason().startsWith("deadlock: london waits for paris (ask Rate at DeadlockTest.java:"),
                result.reason());
    }

    @Test
    void theLogSaysWhoWaitsForWhichAsk() {
        SimulationResult result = Simulation.run(1, threeDesks(Duration.ofSeconds(5)));
        List<String> lines = result.logLines();
        assertTrue(lines.stream().anyMatch(line -> line.endsWith("scenario: waits for ask #1 (london)")), result.report());
        assertTrue(lines.stream().anyMatch(line -> line.endsWith("london: waits for ask #2 (paris)")), result.report());
        assertTrue(lines.stream().anyMatch(line -> line.matches(".* london: asks paris Rate\\[currency=CHF, reply=ask #2\\]"
                + " \\(ask #2 at DeadlockTest\\.java:\\d+\\)")), result.report());
    }

    sealed interface CacheMsg {}
    record Load(String key, Reply<String> reply) implements CacheMsg {}

    @Test
    void aForkThatAsksAProcessWhichJoinsTheForkIsADeadlockToo() {
        SimulationResult result = Simulation.run(2, sim -> {
            CompletableFuture<CompletableFuture<String>> warmer = new CompletableFuture<>();
            // The bug: the cache answers a load only once the warm-up has finished, and the
            // warm-up loads through the cache.
            ProcessRef<CacheMsg> cache = sim.spawn(ProcessSpec.<CacheMsg, Integer>named("cache")
                    .init(() -> 0)
                    .handler((loads, msg, tools) -> switch (msg) {
                        case Load load -> {
                            warmer.join().join();
                            load.reply().send("value of " + load.key());
                            yield loads + 1;
                        }
                    })
                    .build());
            warmer.complete(sim.fork("warm-up", () -> cache.<String>ask(reply -> new Load("front page", reply)).join()));
            sim.sleep(Duration.ofSeconds(1));
        });
        assertEquals(SimulationOutcome.DEADLOCK, result.outcome(), result.report());
        Matcher cycle = Pattern.compile("deadlock: warm-up waits for cache \\(ask Load at DeadlockTest\\.java:\\d+\\),"
                + " cache waits for warm-up \\(join of fork warm-up at DeadlockTest\\.java:\\d+\\); only a timeout could end it")
                .matcher(result.reason());
        assertTrue(cycle.matches(), result.reason());
    }

    @Test
    void aChainOfAsksThatEndsInATimerIsNoDeadlock() {
        // a asks b, b asks c, and c answers after sleeping: every wait ends, so nothing is reported.
        SimulationScenario chain = sim -> {
            ProcessRef<CurrencyMsg> c = sim.spawn(ProcessSpec.<CurrencyMsg, Integer>named("c")
                    .init(() -> 0)
                    .handler((n, msg, tools) -> {
                        if (msg instanceof Rate rate) {
                            tools.clock().sleep(Duration.ofSeconds(2));
                            rate.reply().send(1.1);
                        }
                        return n + 1;
                    })
                    .build());
            ProcessRef<CurrencyMsg> b = sim.spawn(desk("b", Duration.ofSeconds(5)));
            b.send(new Wire(c));
            assertEquals(1.1, b.<Double>ask(reply -> new Rate("EUR", reply)).join());
        };
        SimulationExploration exploration = Simulation.explore(50, SimulationOptions.defaults(), chain);
        exploration.assertPassed();
    }

    @Test
    void aScenarioWaitingOnAFutureNobodyCompletesIsStillADeadlockNamingWhereItWaits() {
        SimulationResult result = Simulation.run(1, SimulationOptions.defaults().withBlockingBound(Duration.ofMillis(200)),
                sim -> new CompletableFuture<Void>().join());
        assertEquals(SimulationOutcome.DEADLOCK, result.outcome(), result.report());
        assertTrue(result.reason().startsWith("nothing can run and no timer is pending"), result.reason());
        assertTrue(result.reason().contains("'scenario' waits at:"), result.reason());
        assertFalse(result.reason().contains("waits for ask"), result.reason());
    }
}

package dev.phyxius.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.Processes;
import dev.phyxius.process.Reply;
import dev.phyxius.process.StopReason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A cycle of asks, of joins of stop and termination futures, or of joins of forked tasks is a
 * deadlock whatever the timeouts: the run says so, naming every edge of the cycle (the ask's
 * message type, or the stop, termination or fork) with its call site, instead of ending in
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
                        double found = next.<Double>ask(reply -> new Rate(rate.currency(), reply), askTimeout)
                                .join();
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
            assertEquals(
                    "deadlock: london waits for paris (" + ask + "), paris waits for tokyo (" + ask
                            + "), tokyo waits for london (" + ask + "); only a timeout could end it",
                    result.reason());
            // Found before any timeout could fire: no virtual time passed.
            assertEquals(Duration.ZERO, result.virtualTime());
            assertTrue(
                    result.logLines().stream().noneMatch(line -> line.contains("TimeoutException")), result.report());
        }
    }

    @Test
    void anAskCycleWithHourLongTimeoutsIsTheSameDeadlockNotATimeLimit() {
        SimulationResult result = Simulation.run(
                3, SimulationOptions.defaults().withTimeLimit(Duration.ofMinutes(1)), threeDesks(Duration.ofHours(1)));
        assertEquals(SimulationOutcome.DEADLOCK, result.outcome(), result.report());
        assertTrue(
                result.reason().startsWith("deadlock: london waits for paris (ask Rate at DeadlockTest.java:"),
                result.reason());
    }

    @Test
    void theLogSaysWhoWaitsForWhichAsk() {
        SimulationResult result = Simulation.run(1, threeDesks(Duration.ofSeconds(5)));
        List<String> lines = result.logLines();
        assertTrue(
                lines.stream().anyMatch(line -> line.endsWith("scenario: waits for ask #1 (london)")), result.report());
        assertTrue(lines.stream().anyMatch(line -> line.endsWith("london: waits for ask #2 (paris)")), result.report());
        assertTrue(
                lines.stream()
                        .anyMatch(line -> line.matches(".* london: asks paris Rate\\[currency=CHF, reply=ask #2\\]"
                                + " \\(ask #2 at DeadlockTest\\.java:\\d+\\)")),
                result.report());
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
            warmer.complete(sim.fork(
                    "warm-up",
                    () -> cache.<String>ask(reply -> new Load("front page", reply))
                            .join()));
            sim.sleep(Duration.ofSeconds(1));
        });
        assertEquals(SimulationOutcome.DEADLOCK, result.outcome(), result.report());
        Matcher cycle = Pattern.compile(
                        "deadlock: warm-up waits for cache \\(ask Load at DeadlockTest\\.java:\\d+\\),"
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
        SimulationResult result = Simulation.run(
                1,
                SimulationOptions.defaults().withBlockingBound(Duration.ofMillis(200)),
                sim -> new CompletableFuture<Void>().join());
        assertEquals(SimulationOutcome.DEADLOCK, result.outcome(), result.report());
        assertTrue(result.reason().startsWith("nothing can run and no timer is pending"), result.reason());
        assertTrue(result.reason().contains("'scenario' waits at:"), result.reason());
        assertFalse(result.reason().contains("waits for ask"), result.reason());
    }

    // ---------------------------------------------------------------------------------------
    // Joins of a process's stop or termination

    sealed interface RegistryMsg {}

    record Purge(ProcessRef<String> session) implements RegistryMsg {}

    record Deregister(String user, Reply<Boolean> reply) implements RegistryMsg {}

    /** Purges a session by stopping it and waiting for the stop; answers deregistrations after {@code answerAfter}. */
    static ProcessSpec<RegistryMsg, Integer, Void> registry(String name, Duration answerAfter) {
        return ProcessSpec.<RegistryMsg, Integer>named(name)
                .init(() -> 0)
                .handler((purged, msg, tools) -> switch (msg) {
                    case Purge purge -> {
                        purge.session().stop().join();
                        yield purged + 1;
                    }
                    case Deregister deregister -> {
                        tools.clock().sleep(answerAfter);
                        deregister.reply().send(true);
                        yield purged;
                    }
                })
                .build();
    }

    /** A user's session that deregisters itself in {@code onStop}, waiting for the answer. */
    static ProcessSpec<String, String, Void> session(
            String user, ProcessRef<RegistryMsg> registry, Duration askTimeout) {
        return ProcessSpec.<String, String>named("session")
                .init(() -> user)
                .handler((name, msg, tools) -> name)
                .onStop((name, reason) -> registry.<Boolean>ask(reply -> new Deregister(name, reply), askTimeout)
                        .join())
                .build();
    }

    /** The bug: the registry stops a session and waits, and the session's onStop waits for the registry. */
    static SimulationScenario purgeASession(Duration askTimeout) {
        return sim -> {
            ProcessRef<RegistryMsg> registry = sim.spawn(registry("registry", Duration.ZERO));
            ProcessRef<String> session = sim.spawn(session("ada", registry, askTimeout));
            registry.send(new Purge(session));
            sim.sleep(Duration.ofSeconds(1));
        };
    }

    sealed interface AuditMsg {}

    record Watch(ProcessRef<String> account) implements AuditMsg {}

    record Approve(String what, Reply<Boolean> reply) implements AuditMsg {}

    /** Watches an account until it ends; approves what it is asked to. */
    static ProcessSpec<AuditMsg, Integer, Void> auditor() {
        return ProcessSpec.<AuditMsg, Integer>named("auditor")
                .init(() -> 0)
                .handler((watched, msg, tools) -> switch (msg) {
                    case Watch watch -> {
                        StopReason why = watch.account().termination().join();
                        yield why == StopReason.NORMAL ? watched + 1 : watched;
                    }
                    case Approve approve -> {
                        approve.reply().send(true);
                        yield watched;
                    }
                })
                .build();
    }

    /** The bug: closing needs the auditor's approval, and the auditor waits for the account to end. */
    static ProcessSpec<String, Integer, Void> account(ProcessRef<AuditMsg> auditor) {
        return ProcessSpec.<String, Integer>named("account")
                .init(() -> 0)
                .handler((closings, msg, tools) -> {
                    if (auditor.<Boolean>ask(reply -> new Approve("close", reply))
                            .join()) {
                        tools.self().stop();
                    }
                    return closings + 1;
                })
                .build();
    }

    static final int STOP_JOIN_LINE = lineOf("purge.session().stop().join();");
    static final int DEREGISTER_LINE = lineOf(".onStop((name, reason) -> registry.<Boolean>ask(");
    static final int TERMINATION_LINE = lineOf("StopReason why = watch.account().termination().join();");
    static final int APPROVE_LINE = lineOf("if (auditor.<Boolean>ask(reply -> new Approve(");

    @Nested
    class ThroughProcessFutures {

        @Test
        void aStopJoinedWhileTheStoppedProcessWaitsForTheJoinerIsADeadlockNamingTheStop() {
            for (long seed = 0; seed < 20; seed++) {
                SimulationResult result = Simulation.run(seed, purgeASession(Duration.ofSeconds(5)));
                assertEquals(SimulationOutcome.DEADLOCK, result.outcome(), result.report());
                assertEquals(
                        "deadlock: registry waits for session (stop at DeadlockTest.java:" + STOP_JOIN_LINE
                                + "), session waits for registry (ask Deregister at DeadlockTest.java:"
                                + DEREGISTER_LINE
                                + "); only a timeout could end it",
                        result.reason());
                assertEquals(Duration.ZERO, result.virtualTime(), result.report());
                assertTrue(
                        result.logLines().stream()
                                .anyMatch(line -> line.endsWith("registry: waits for stop of session")),
                        result.report());
            }
        }

        @Test
        void theSameStopCycleWithHourLongTimeoutsIsTheSameDeadlock() {
            SimulationResult result =
                    Simulation.run(4, SimulationOptions.defaults().withTimeLimit(Duration.ofMinutes(1)), sim -> {
                        ProcessRef<RegistryMsg> registry = sim.spawn(registry("registry", Duration.ZERO));
                        ProcessRef<String> session = Processes.spawn(
                                session("ada", registry, Duration.ofHours(1)),
                                sim.options("session").withShutdownTimeout(Duration.ofHours(1)));
                        registry.send(new Purge(session));
                        sim.sleep(Duration.ofSeconds(1));
                    });
            assertEquals(SimulationOutcome.DEADLOCK, result.outcome(), result.report());
            assertTrue(
                    result.reason().startsWith("deadlock: registry waits for session (stop at DeadlockTest.java:"),
                    result.reason());
        }

        @Test
        void aTerminationJoinedWhileTheProcessWaitsForTheJoinerIsADeadlockNamingTheTermination() {
            for (long seed = 0; seed < 20; seed++) {
                SimulationResult result = Simulation.run(seed, sim -> {
                    ProcessRef<AuditMsg> auditor = sim.spawn(auditor());
                    ProcessRef<String> account = sim.spawn(account(auditor));
                    auditor.send(new Watch(account));
                    account.send("close");
                    sim.sleep(Duration.ofSeconds(1));
                });
                assertEquals(SimulationOutcome.DEADLOCK, result.outcome(), result.report());
                // Either may begin to wait first, and the cycle reads from there.
                String auditorWaits =
                        "auditor waits for account (termination at DeadlockTest.java:" + TERMINATION_LINE + ")";
                String accountWaits =
                        "account waits for auditor (ask Approve at DeadlockTest.java:" + APPROVE_LINE + ")";
                assertTrue(
                        result.reason()
                                        .equals("deadlock: " + auditorWaits + ", " + accountWaits
                                                + "; only a timeout could end it")
                                || result.reason()
                                        .equals("deadlock: " + accountWaits + ", " + auditorWaits
                                                + "; only a timeout could end it"),
                        result.reason());
                assertEquals(Duration.ZERO, result.virtualTime(), result.report());
            }
        }

        @Test
        void aHandlerWaitingForItsOwnStopIsADeadlockOfOne() {
            SimulationResult result = Simulation.run(1, sim -> {
                ProcessRef<String> quitter = sim.spawn(ProcessSpec.<String, Integer>named("quitter")
                        .init(() -> 0)
                        .handler((n, msg, tools) -> {
                            tools.self().stop().join();
                            return n + 1;
                        })
                        .build());
                quitter.send("quit");
                sim.sleep(Duration.ofSeconds(1));
            });
            assertEquals(SimulationOutcome.DEADLOCK, result.outcome(), result.report());
            Matcher cycle = Pattern.compile(
                            "deadlock: quitter waits for quitter \\(stop at DeadlockTest\\.java:\\d+\\);"
                                    + " only a timeout could end it")
                    .matcher(result.reason());
            assertTrue(cycle.matches(), result.reason());
        }

        @Test
        void aChainOfStopAndTerminationJoinsThatEndsInATimerIsNoDeadlock() {
            // The scenario waits for the session to end, the registry for its stop, the session's
            // onStop for the notary, and the notary for its clock: every wait ends.
            SimulationScenario chain = sim -> {
                ProcessRef<RegistryMsg> notary = sim.spawn(registry("notary", Duration.ofSeconds(2)));
                ProcessRef<RegistryMsg> registry = sim.spawn(registry("registry", Duration.ZERO));
                ProcessRef<String> session = sim.spawn(session("ada", notary, Duration.ofSeconds(5)));
                registry.send(new Purge(session));
                assertEquals(StopReason.NORMAL, session.termination().join());
                assertEquals(Duration.ofSeconds(2), Duration.ofNanos(sim.clock().monoNanos()));
            };
            Simulation.explore(50, SimulationOptions.defaults(), chain).assertPassed();
            Simulation.explore(50, SimulationOptions.defaults().withStrategy(SimulationStrategy.random()), chain)
                    .assertPassed();
            SimulationResult one = Simulation.run(3, chain);
            assertTrue(
                    one.logLines().stream()
                            .anyMatch(line -> line.endsWith("scenario: waits for termination of session")),
                    one.report());
        }
    }

    // ---------------------------------------------------------------------------------------
    // An ask whose message hides its reply

    /** Each dictionary asks the other for a word it does not know, with a request that hides its reply. */
    static ProcessSpec<Object, ProcessRef<Object>, Void> dictionary(String name) {
        return ProcessSpec.<Object, ProcessRef<Object>>named(name)
                .init(() -> null)
                .handler((other, msg, tools) -> {
                    if (msg instanceof ProcessRef<?> wired) {
                        @SuppressWarnings("unchecked")
                        ProcessRef<Object> next = (ProcessRef<Object>) wired;
                        return next;
                    }
                    LogTest.Lookup lookup = (LogTest.Lookup) msg;
                    lookup.answer(other.<String>ask(reply -> new LogTest.Lookup(lookup.word(), reply))
                            .join());
                    return other;
                })
                .build();
    }

    static final int LOOKUP_LINE = lineOf("lookup.answer(other.<String>ask(");

    @Test
    void anAskCycleWhoseRequestsHideTheirRepliesIsStillADeadlockNamingEachAsk() {
        SimulationResult result = Simulation.run(2, sim -> {
            ProcessRef<Object> french = sim.spawn(dictionary("french"));
            ProcessRef<Object> german = sim.spawn(dictionary("german"));
            french.send(german);
            german.send(french);
            french.<String>ask(reply -> new LogTest.Lookup("Fernweh", reply)).join();
        });
        assertEquals(SimulationOutcome.DEADLOCK, result.outcome(), result.report());
        String ask = "ask Lookup at DeadlockTest.java:" + LOOKUP_LINE;
        assertEquals(
                "deadlock: french waits for german (" + ask + "), german waits for french (" + ask
                        + "); only a timeout could end it",
                result.reason());
    }
}

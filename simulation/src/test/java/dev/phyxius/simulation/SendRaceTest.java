package dev.phyxius.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Races that only a scheduling point at each send (and at each reply) can show: between them a
 * handler runs alone, so without them "tell X, then tell C" would be atomic.
 */
@Timeout(120)
class SendRaceTest {

    // ---------------------------------------------------------------------------------------
    // An order race between two sends of one handler

    sealed interface AuditMsg {}

    record Open() implements AuditMsg {}

    record Entry(String what) implements AuditMsg {}

    record Violations(Reply<List<String>> reply) implements AuditMsg {}

    /** The auditor's book: whether it is open, and every entry that came before it was. */
    record Book(boolean open, List<String> early) {}

    /** Accepts entries only once its book is open; remembers every entry that came too early. */
    static ProcessSpec<AuditMsg, Book, Void> auditor() {
        return ProcessSpec.<AuditMsg, Book>named("auditor")
                .init(() -> new Book(false, new ArrayList<>()))
                .handler((book, msg, tools) -> switch (msg) {
                    case Open o -> new Book(true, book.early());
                    case Entry entry -> {
                        if (!book.open()) {
                            book.early().add(entry.what());
                        }
                        yield book;
                    }
                    case Violations ask -> {
                        ask.reply().send(List.copyOf(book.early()));
                        yield book;
                    }
                })
                .build();
    }

    /** Posts what it is told to the auditor. */
    static ProcessSpec<String, Integer, Void> ledger(ProcessRef<AuditMsg> auditor) {
        return ProcessSpec.<String, Integer>named("ledger")
                .init(() -> 0)
                .handler((posted, what, tools) -> {
                    auditor.send(new Entry(what));
                    return posted + 1;
                })
                .build();
    }

    /** The bug: tells the ledger to post, then opens the auditor's book; the post can overtake the open. */
    static ProcessSpec<String, Integer, Void> teller(
            ProcessRef<String> ledger, ProcessRef<AuditMsg> auditor, boolean openFirst) {
        return ProcessSpec.<String, Integer>named("teller")
                .init(() -> 0)
                .handler((done, what, tools) -> {
                    if (openFirst) {
                        auditor.send(new Open());
                        ledger.send(what);
                    } else {
                        ledger.send(what);
                        auditor.send(new Open());
                    }
                    return done + 1;
                })
                .build();
    }

    static SimulationScenario openAndPost(boolean openFirst) {
        return sim -> {
            ProcessRef<AuditMsg> auditor = sim.spawn(auditor());
            ProcessRef<String> ledger = sim.spawn(ledger(auditor));
            ProcessRef<String> teller = sim.spawn(teller(ledger, auditor, openFirst));
            teller.send("deposit 10");
            sim.sleep(Duration.ofSeconds(1));
            List<String> early = auditor.<List<String>>ask(Violations::new).join();
            if (!early.isEmpty()) {
                throw new AssertionError("entries reached the auditor before its book was open: " + early);
            }
        };
    }

    @Nested
    class AnOrderRaceBetweenTwoSendsOfOneHandler {

        @Test
        void isFoundByPct() {
            SimulationExploration found =
                    Simulation.explore(100, SimulationOptions.defaults().withName("openAndPost"), openAndPost(false));
            assertFalse(found.passed(), "the race was not found in 100 seeds");
            SimulationResult failure = found.firstFailure().orElseThrow();
            assertTrue(
                    failure.reason().contains("entries reached the auditor before its book was open"),
                    failure.report());
            // The log shows the overtaking: the ledger's send comes before the teller's Open.
            List<String> lines = failure.logLines();
            int entry = indexOf(lines, "ledger: sends Entry[what=deposit 10] to auditor");
            int open = indexOf(lines, "teller: sends Open[] to auditor");
            assertTrue(entry >= 0 && (open < 0 || entry < open), failure.report());
        }

        @Test
        void isFoundByTheRandomWalk() {
            SimulationExploration found = Simulation.explore(
                    100, SimulationOptions.defaults().withStrategy(SimulationStrategy.random()), openAndPost(false));
            assertFalse(found.passed(), "the race was not found in 100 seeds");
        }

        @Test
        void isGoneWhenTheBookIsOpenedFirst() {
            Simulation.explore(200, SimulationOptions.defaults(), openAndPost(true))
                    .assertPassed();
            Simulation.explore(
                            200,
                            SimulationOptions.defaults().withStrategy(SimulationStrategy.random()),
                            openAndPost(true))
                    .assertPassed();
        }
    }

    // ---------------------------------------------------------------------------------------
    // A reply is a scheduling point: the asker may act before the replier's handler goes on

    sealed interface ReservationMsg {}

    record Reserve(String seat, Reply<Boolean> reply) implements ReservationMsg {}

    /** The bug: answers before it has recorded the reservation where others read it. */
    static ProcessSpec<ReservationMsg, Integer, Void> booking(AtomicBoolean recorded) {
        return ProcessSpec.<ReservationMsg, Integer>named("booking")
                .init(() -> 0)
                .handler((count, msg, tools) -> switch (msg) {
                    case Reserve reserve -> {
                        reserve.reply().send(true);
                        recorded.set(true);
                        yield count + 1;
                    }
                })
                .build();
    }

    @Test
    void anAskerThatReadsStateTheReplierWritesAfterReplyingIsCaughtBeforeTheWrite() {
        SimulationScenario scenario = sim -> {
            AtomicBoolean recorded = new AtomicBoolean();
            ProcessRef<ReservationMsg> booking = sim.spawn(booking(recorded));
            assertTrue(booking.<Boolean>ask(reply -> new Reserve("12A", reply)).join());
            if (!recorded.get()) {
                throw new AssertionError("confirmed, but the reservation is not recorded yet");
            }
        };
        SimulationExploration found = Simulation.explore(50, SimulationOptions.defaults(), scenario);
        assertFalse(found.passed(), "the asker never ran between the reply and the write");
        SimulationResult failure = found.firstFailure().orElseThrow();
        List<String> lines = failure.logLines();
        int reply = indexOf(lines, "booking: replies to ask #1 from scenario: true");
        int scenarioRuns = indexOf(lines.subList(reply + 1, lines.size()), "scenario: runs");
        assertTrue(reply >= 0 && scenarioRuns >= 0, failure.report());
    }

    // ---------------------------------------------------------------------------------------
    // A lost update across two processes

    sealed interface StockMsg {}

    record Level(Reply<Integer> reply) implements StockMsg {}

    record SetLevel(int level) implements StockMsg {}

    static ProcessSpec<StockMsg, Integer, Void> stock() {
        return ProcessSpec.<StockMsg, Integer>named("stock")
                .init(() -> 0)
                .handler((level, msg, tools) -> switch (msg) {
                    case Level ask -> {
                        ask.reply().send(level);
                        yield level;
                    }
                    case SetLevel set -> set.level();
                })
                .build();
    }

    /** The bug: reads the level, then writes level + 1: two pickers can both read the same level. */
    static ProcessSpec<String, Integer, Void> restocker(String name, ProcessRef<StockMsg> stock) {
        return ProcessSpec.<String, Integer>named(name)
                .init(() -> 0)
                .handler((done, crate, tools) -> {
                    int level = stock.<Integer>ask(Level::new).join();
                    stock.send(new SetLevel(level + 1));
                    return done + 1;
                })
                .build();
    }

    @Test
    void aLostUpdateAcrossTwoProcessesIsFoundAndReplaysFromItsSeed() {
        SimulationScenario scenario = sim -> {
            ProcessRef<StockMsg> stock = sim.spawn(stock());
            ProcessRef<String> north = sim.spawn(restocker("north", stock));
            ProcessRef<String> south = sim.spawn(restocker("south", stock));
            north.send("crate");
            south.send("crate");
            sim.sleep(Duration.ofSeconds(1));
            assertEquals(2, stock.<Integer>ask(Level::new).join(), "two crates restocked");
        };
        SimulationOptions options = SimulationOptions.defaults().withName("restock");
        SimulationResult failure = Simulation.explore(50, options, scenario)
                .firstFailure()
                .orElseThrow(() -> new AssertionError("the lost update was not found in 50 seeds"));
        assertEquals(SimulationOutcome.FAILED, failure.outcome());
        assertTrue(failure.reason().contains("two crates restocked"), failure.reason());
        assertEquals(
                failure.logLines(),
                Simulation.run(failure.seed(), options, scenario).logLines());
    }

    static int indexOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).endsWith(text)) {
                return i;
            }
        }
        return -1;
    }
}

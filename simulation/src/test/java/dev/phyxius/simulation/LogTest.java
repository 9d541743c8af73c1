package dev.phyxius.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.Reply;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The log says who sent what to whom, pairs each ask with its reply, and reads the same every run. */
@Timeout(60)
class LogTest {

    sealed interface VaultMsg {}

    record Store(String owner, String secret) implements VaultMsg {}

    record Fetch(String owner, Reply<String> reply) implements VaultMsg {}

    record Audit(Object holder, Reply<Integer> reply) implements VaultMsg {}

    /** A login that knows its password is sensitive. */
    record Login(String user, String password) implements VaultMsg {
        @Override
        public String toString() {
            return "Login[user=" + user + ", password=***]";
        }
    }

    /** A class without its own toString: its identity hash must not reach the log. */
    static final class Holder {}

    /** A class whose toString prints an identity hash of something it holds. */
    static final class Wrapper {
        final Object inner = new Object();

        @Override
        public String toString() {
            return "Wrapper(" + inner + ")";
        }
    }

    /**
     * A request that keeps its reply to itself: not a record, and no field is a {@link Reply}
     * (it holds {@code reply::send}), so nothing in the message shows that it belongs to an ask.
     */
    static final class Lookup {
        private final String word;
        private final Consumer<String> answer;

        Lookup(String word, Reply<String> reply) {
            this.word = word;
            this.answer = reply::send;
        }

        String word() {
            return word;
        }

        void answer(String translation) {
            answer.accept(translation);
        }

        @Override
        public String toString() {
            return "Lookup[" + word + "]";
        }
    }

    static ProcessSpec<VaultMsg, Map<String, String>, Void> vault() {
        return ProcessSpec.<VaultMsg, Map<String, String>>named("vault")
                .init(() -> new HashMap<>())
                .handler((secrets, msg, tools) -> switch (msg) {
                    case Store store -> {
                        secrets.put(store.owner(), store.secret());
                        yield secrets;
                    }
                    case Fetch fetch -> {
                        fetch.reply().send(secrets.get(fetch.owner()));
                        yield secrets;
                    }
                    case Audit audit -> {
                        audit.reply().send(secrets.size());
                        yield secrets;
                    }
                    case Login login -> secrets;
                })
                .build();
    }

    static final SimulationScenario VAULT = sim -> {
        ProcessRef<VaultMsg> vault = sim.spawn(vault());
        vault.send(new Store("ada", "s3cr3t"));
        vault.send(new Login("ada", "hunter2"));
        assertEquals(
                "s3cr3t", vault.<String>ask(reply -> new Fetch("ada", reply)).join());
        vault.<Integer>ask(reply -> new Audit(new Holder(), reply)).join();
        vault.<Integer>ask(reply -> new Audit(new Wrapper(), reply)).join();
    };

    @Test
    void sendsNameSenderReceiverAndTheMessageAndAsksArePairedWithTheirReplies() {
        SimulationResult result = Simulation.run(5, VAULT);
        result.assertPassed();
        List<String> texts =
                result.log().stream().map(e -> e.source() + ": " + e.text()).toList();
        assertTrue(texts.contains("scenario: sends Store[owner=ada, secret=s3cr3t] to vault"), result.report());
        assertTrue(
                texts.stream()
                        .anyMatch(t -> t.matches("scenario: asks vault Fetch\\[owner=ada, reply=ask #1\\]"
                                + " \\(ask #1 at LogTest\\.java:\\d+\\)")),
                result.report());
        assertTrue(texts.contains("vault: handles Fetch[owner=ada, reply=ask #1] from scenario"), result.report());
        assertTrue(texts.contains("vault: replies to ask #1 from scenario: s3cr3t"), result.report());
        assertTrue(texts.contains("vault: replies to ask #2 from scenario: 1"), result.report());
    }

    @Test
    void aMessageIsShownByItsOwnToStringWhenItWritesOneAndNeverWithAnIdentityHash() {
        SimulationResult result = Simulation.run(5, VAULT);
        List<String> lines = result.logLines();
        assertTrue(
                lines.stream().anyMatch(l -> l.endsWith("scenario: sends Login[user=ada, password=***] to vault")),
                result.report());
        assertTrue(lines.stream().noneMatch(l -> l.contains("hunter2")), result.report());
        assertTrue(lines.stream().anyMatch(l -> l.contains("Audit[holder=Holder, reply=ask #2]")), result.report());
        assertTrue(
                lines.stream().anyMatch(l -> l.contains("Audit[holder=Wrapper(java.lang.Object@…), reply=ask #3]")),
                result.report());
        assertTrue(lines.stream().noneMatch(l -> l.matches(".*@[0-9a-f]{4,}.*")), result.report());
    }

    @Test
    void withMessageDetailTypesTheLogShowsTypesOnly() {
        SimulationResult result = Simulation.run(
                5, SimulationOptions.defaults().withMessageDetail(SimulationOptions.MessageDetail.TYPES), VAULT);
        result.assertPassed();
        List<String> lines = result.logLines();
        assertTrue(lines.stream().anyMatch(l -> l.endsWith("scenario: sends Store to vault")), result.report());
        assertTrue(
                lines.stream().anyMatch(l -> l.endsWith("vault: replies to ask #1 from scenario: String")),
                result.report());
        assertTrue(lines.stream().noneMatch(l -> l.contains("s3cr3t") || l.contains("ada")), result.report());
    }

    @Test
    void aLongMessageIsCutToABoundedLength() {
        String huge = "x".repeat(10_000);
        SimulationResult result = Simulation.run(1, sim -> {
            ProcessRef<VaultMsg> vault = sim.spawn(vault());
            vault.send(new Store("ada", huge));
        });
        String line = result.logLines().stream()
                .filter(l -> l.contains("sends Store"))
                .findFirst()
                .orElseThrow();
        assertTrue(line.length() < 200 && line.contains("…"), line);
    }

    @Test
    void aReplyThatFailsIsLoggedWithItsAskAndItsCause() {
        SimulationResult result = Simulation.run(1, sim -> {
            sim.expectFailures();
            ProcessRef<VaultMsg> silent = sim.spawn(ProcessSpec.<VaultMsg, Integer>named("silent")
                    .init(() -> 0)
                    .handler((n, msg, tools) -> n + 1)
                    .build());
            CompletableFuture<String> fetch = silent.ask(reply -> new Fetch("ada", reply), Duration.ofSeconds(2));
            assertTrue(fetch.handle((value, error) -> error != null).join());
        });
        result.assertPassed();
        assertTrue(
                result.logLines().stream()
                        .anyMatch(l -> l.endsWith("clock: ask #1 from scenario to silent failed:"
                                + " TimeoutException: ask to process 'silent' (silent-1) got no reply within PT2S")),
                result.report());
    }

    @Test
    void stepLinesAppearOnlyWhenAnotherThreadRuns() {
        SimulationResult result = Simulation.run(5, VAULT);
        List<SimulationEvent> log = result.log();
        for (int i = 1; i < log.size(); i++) {
            if (log.get(i).text().equals("runs")) {
                String runner = log.get(i).source();
                for (int j = i - 1; j >= 0; j--) {
                    if (log.get(j).text().equals("runs")) {
                        assertFalse(
                                log.get(j).source().equals(runner),
                                "two step lines for " + runner + " in a row: " + result.report());
                        break;
                    }
                }
            }
        }
    }

    @Test
    void durationsPrintAsMillisecondsToTheMicrosecond() {
        assertEquals("150ms", SimulationEvent.format(Duration.ofMillis(150)));
        assertEquals("37.215ms", SimulationEvent.format(Duration.ofNanos(37_215_872)));
        assertEquals("500ns", SimulationEvent.format(Duration.ofNanos(500)));
    }

    @Test
    void anAskWhoseMessageHidesItsReplyIsStillPairedWithItsReply() {
        SimulationResult result = Simulation.run(2, sim -> {
            ProcessRef<Lookup> dictionary = sim.spawn(ProcessSpec.<Lookup, Map<String, String>>named("dictionary")
                    .init(() -> Map.of("hello", "bonjour"))
                    .handler((words, lookup, tools) -> {
                        lookup.answer(words.getOrDefault(lookup.word(), "?"));
                        return words;
                    })
                    .build());
            assertEquals(
                    "bonjour",
                    dictionary.<String>ask(reply -> new Lookup("hello", reply)).join());
        });
        result.assertPassed();
        List<String> texts =
                result.log().stream().map(e -> e.source() + ": " + e.text()).toList();
        assertTrue(
                texts.stream()
                        .anyMatch(t -> t.matches("scenario: asks dictionary Lookup\\[hello\\]"
                                + " \\(ask #1 at LogTest\\.java:\\d+\\)")),
                result.report());
        assertTrue(texts.contains("dictionary: handles Lookup[hello] from scenario"), result.report());
        assertTrue(texts.contains("dictionary: replies to ask #1 from scenario: bonjour"), result.report());
        assertTrue(texts.contains("scenario: waits for ask #1 (dictionary)"), result.report());
        assertTrue(texts.stream().noneMatch(t -> t.startsWith("scenario: sends")), result.report());
    }

    @Test
    void anAskTheMailboxRefusesIsLoggedAsAnAskThatFailed() {
        SimulationResult result = Simulation.run(1, sim -> {
            ProcessRef<VaultMsg> vault = sim.spawn(vault());
            vault.stop().join();
            CompletableFuture<String> fetch = vault.ask(reply -> new Fetch("ada", reply));
            assertTrue(fetch.isCompletedExceptionally());
        });
        result.assertPassed();
        List<String> texts =
                result.log().stream().map(e -> e.source() + ": " + e.text()).toList();
        assertTrue(texts.contains("scenario: stops vault (NORMAL)"), result.report());
        assertTrue(
                texts.stream()
                        .anyMatch(t -> t.matches("scenario: asks vault Fetch\\[owner=ada, reply=ask #1\\]"
                                + " \\(ask #1 at LogTest\\.java:\\d+\\)")),
                result.report());
        assertTrue(
                texts.contains("scenario: ask #1 from scenario to vault failed: MessageRejectedException: process"
                        + " 'vault' (vault-1) did not accept the ask: not accepting"),
                result.report());
    }
}

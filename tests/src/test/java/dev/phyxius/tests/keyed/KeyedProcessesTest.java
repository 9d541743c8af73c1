package dev.phyxius.tests.keyed;

import static dev.phyxius.tests.keyed.Keyed.awaitLive;
import static dev.phyxius.tests.keyed.Keyed.awaitState;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phyxius.clock.Event;
import dev.phyxius.process.MessageRejectedException;
import dev.phyxius.process.ProcessEvent;
import dev.phyxius.process.ProcessId;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.ProcessStatus;
import dev.phyxius.process.ProcessTerminatedException;
import dev.phyxius.process.Reply;
import dev.phyxius.process.StopReason;
import dev.phyxius.supervisor.KeyedEvent;
import dev.phyxius.supervisor.KeyedProcesses;
import dev.phyxius.supervisor.KeyedProcesses.KeyState;
import dev.phyxius.supervisor.SendResult;
import dev.phyxius.supervisor.SupervisionStrategy;
import dev.phyxius.supervisor.Supervisor;
import dev.phyxius.testing.PhyxiusTest;
import dev.phyxius.testing.ProcessTestKit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A keyed group's behaviour, one rule per test, on the kit's controlled clock. */
@PhyxiusTest
@Timeout(30)
class KeyedProcessesTest {

    sealed interface SessionMsg {}

    record Touch(String note) implements SessionMsg {}

    record Notes(Reply<List<String>> reply) implements SessionMsg {}

    record Crash() implements SessionMsg {}
    /** Says it has begun, waits for the gate, then notes {@code note}. */
    record Hold(CountDownLatch entered, CountDownLatch gate, String note) implements SessionMsg {
        Hold(CountDownLatch gate, String note) {
            this(new CountDownLatch(1), gate, note);
        }
    }
    /** Sends {@code note} to itself through {@code tools.self()}. */
    record Again(String note) implements SessionMsg {}

    static final Duration IDLE = Duration.ofMinutes(10);

    /** A session of one user: it notes what it is told; its log line says each init and onStop. */
    static ProcessSpec<SessionMsg, List<String>, Void> session(String user, List<String> log) {
        return ProcessSpec.<SessionMsg, List<String>>named("session")
                .init(() -> {
                    log.add("init " + user);
                    return new ArrayList<>();
                })
                .handler((notes, msg, tools) -> switch (msg) {
                    case Touch touch -> {
                        notes.add(touch.note());
                        yield notes;
                    }
                    case Notes ask -> {
                        ask.reply().send(List.copyOf(notes));
                        yield notes;
                    }
                    case Crash crash -> throw new IllegalStateException("session " + user + " crashed");
                    case Hold hold -> {
                        hold.entered().countDown();
                        if (!hold.gate().await(10, TimeUnit.SECONDS)) {
                            throw new IllegalStateException("the test never opened the gate");
                        }
                        notes.add(hold.note());
                        yield notes;
                    }
                    case Again again -> {
                        tools.self().send(new Touch(again.note()));
                        yield notes;
                    }
                })
                .onStop((notes, reason, ctx) -> log.add("stop " + user + " " + reason + " " + notes))
                .build();
    }

    final List<String> log = new CopyOnWriteArrayList<>();

    KeyedProcesses<String, SessionMsg> sessions(ProcessTestKit kit) {
        return KeyedProcesses.create(
                "session", user -> session(user, log), Keyed.options(kit).withIdleTimeout(IDLE));
    }

    static List<String> notes(KeyedProcesses<String, SessionMsg> group, String key) {
        return group.<List<String>>ask(key, Notes::new).join();
    }

    static <E extends KeyedEvent> E awaitKeyed(ProcessTestKit kit, Class<E> type, String key) {
        return kit.events().awaitEvent(type, event -> key.equals(keyOf(event)));
    }

    static Object keyOf(KeyedEvent event) {
        return switch (event) {
            case KeyedEvent.Activated e -> e.key();
            case KeyedEvent.ActivationFailed e -> e.key();
            case KeyedEvent.Evicted e -> e.key();
            case KeyedEvent.Passivated e -> e.key();
            case KeyedEvent.GaveUp e -> e.key();
            case KeyedEvent.MessageRejected e -> e.key();
            case KeyedEvent.MessageDropped e -> e.key();
            case KeyedEvent.GroupStopped e -> null;
        };
    }

    @Nested
    class Activation {

        @Test
        void theFirstMessageStartsTheKeysProcessAndItsInitSeesTheKey(ProcessTestKit kit) {
            KeyedProcesses<String, SessionMsg> group = sessions(kit);
            assertEquals(KeyState.ABSENT, group.state("alice"));

            assertEquals(SendResult.ACCEPTED, group.offer("alice", new Touch("hello")));
            awaitLive(kit, group, "alice");

            assertEquals(List.of("init alice"), log);
            assertEquals(List.of("hello"), notes(group, "alice"));
            KeyedEvent.Activated activated = awaitKeyed(kit, KeyedEvent.Activated.class, "alice");
            assertEquals(new ProcessId("session/alice"), activated.process());
            assertEquals("session", activated.group());
            assertEquals(1, group.liveCount());
            assertEquals(Set.of("alice"), group.liveKeys());
            group.close();
        }

        @Test
        void aSharedSpecGetsTheKeyAsTheContextOfInitAndOnStop(ProcessTestKit kit) {
            ProcessSpec<SessionMsg, List<String>, String> shared = ProcessSpec.<SessionMsg, List<String>>named("cart")
                    .init((String key) -> {
                        log.add("load " + key);
                        return new ArrayList<>();
                    })
                    .handler((items, msg, tools) -> {
                        if (msg instanceof Touch touch) {
                            items.add(touch.note());
                        }
                        return items;
                    })
                    .onStop((items, reason, key) -> log.add("save " + key + " " + items + " " + reason))
                    .build();
            KeyedProcesses<String, SessionMsg> carts = KeyedProcesses.create(shared, Keyed.options(kit));

            carts.send("cart-7", new Touch("apple"));
            awaitLive(kit, carts, "cart-7");
            carts.passivate("cart-7", "checked out").join();

            assertEquals("cart", carts.name());
            assertEquals(List.of("load cart-7", "save cart-7 [apple] PASSIVATED (checked out)"), log);
            carts.close();
        }

        @Test
        void messagesSentBeforeTheProcessExistsAreHandledInTheOrderSent(ProcessTestKit kit) {
            KeyedProcesses<String, SessionMsg> group = sessions(kit);
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                sent.add("n" + i);
                assertTrue(group.send("alice", new Touch("n" + i)));
            }
            awaitLive(kit, group, "alice");
            assertEquals(sent, notes(group, "alice"));
            assertEquals(List.of("init alice"), log, "one process for all of them");
            group.close();
        }

        @Test
        void eachKeyHasItsOwnProcessAndItsOwnRef(ProcessTestKit kit) {
            KeyedProcesses<String, SessionMsg> group = sessions(kit);
            ProcessRef<SessionMsg> alice = group.ref("alice");
            ProcessRef<SessionMsg> bob = group.ref("bob");
            alice.send(new Touch("a"));
            bob.send(new Touch("b"));
            awaitLive(kit, group, "alice");
            awaitLive(kit, group, "bob");

            assertEquals(List.of("a"), alice.<List<String>>ask(Notes::new).join());
            assertEquals(List.of("b"), bob.<List<String>>ask(Notes::new).join());
            assertEquals(new ProcessId("session/alice"), alice.id());
            assertEquals("session", alice.name());
            assertEquals(group.ref("alice"), alice);
            assertNotEquals(alice, bob);
            assertEquals(ProcessStatus.RUNNING, alice.status());
            group.close();
        }

        @Test
        void stoppingAKeysRefEndsItsLifeAndTheNextMessageStartsAFreshOne(ProcessTestKit kit) {
            KeyedProcesses<String, SessionMsg> group = sessions(kit);
            ProcessRef<SessionMsg> alice = group.ref("alice");
            alice.send(new Touch("first"));
            awaitLive(kit, group, "alice");

            alice.stop().join();
            awaitState(kit, group, "alice", KeyState.ABSENT);
            alice.send(new Touch("second"));
            awaitLive(kit, group, "alice");

            assertEquals(List.of("second"), notes(group, "alice"));
            assertEquals(List.of("init alice", "stop alice NORMAL [first]", "init alice"), log);
            group.close();
        }

        @Test
        void aSpecFactoryThatThrowsRefusesTheMessageAndSaysWhy(ProcessTestKit kit) {
            IllegalArgumentException broken = new IllegalArgumentException("no such user");
            KeyedProcesses<String, SessionMsg> group = KeyedProcesses.create(
                    "session",
                    user -> {
                        throw broken;
                    },
                    Keyed.options(kit));

            assertEquals(SendResult.SPEC_FAILED, group.offer("ghost", new Touch("boo")));
            assertEquals(
                    broken,
                    awaitKeyed(kit, KeyedEvent.ActivationFailed.class, "ghost").error());
            assertEquals(
                    SendResult.SPEC_FAILED,
                    awaitKeyed(kit, KeyedEvent.MessageRejected.class, "ghost").reason());
            assertEquals(KeyState.ABSENT, group.state("ghost"));
            group.close();
        }
    }

    @Nested
    class Passivation {

        @Test
        void anIdleKeyIsPassivatedWhenItsIdleTimeoutEndsAndNotATickBefore(ProcessTestKit kit) {
            KeyedProcesses<String, SessionMsg> group = sessions(kit);
            group.send("alice", new Touch("hello"));
            awaitLive(kit, group, "alice");

            kit.advance(IDLE.minusMillis(1));
            assertEquals(KeyState.LIVE, group.state("alice"));
            kit.advance(Duration.ofMillis(1));

            KeyedEvent.Passivated passivated = awaitKeyed(kit, KeyedEvent.Passivated.class, "alice");
            assertEquals(KeyedEvent.PassivationCause.IDLE, passivated.cause());
            assertEquals(StopReason.passivated("idle for PT10M"), passivated.reason());
            assertEquals(List.of("init alice", "stop alice PASSIVATED (idle for PT10M) [hello]"), log);
            assertEquals(KeyState.ABSENT, group.state("alice"));
            assertEquals(0, group.liveCount());
            group.close();
        }

        @Test
        void everyHandledMessageStartsTheIdleTimeoutAgain(ProcessTestKit kit) {
            KeyedProcesses<String, SessionMsg> group = sessions(kit);
            group.send("alice", new Touch("one"));
            awaitLive(kit, group, "alice");
            kit.advance(Duration.ofMinutes(6));
            group.send("alice", new Touch("two"));
            kit.awaitIdle();
            kit.advance(Duration.ofMinutes(6));
            assertEquals(KeyState.LIVE, group.state("alice"), "six minutes after the last message");

            kit.advance(Duration.ofMinutes(4));
            awaitKeyed(kit, KeyedEvent.Passivated.class, "alice");
            assertEquals(Duration.ofMinutes(16).toNanos(), kit.clock().monoNanos());
            group.close();
        }

        @Test
        void aMessageAfterPassivationStartsAFreshLife(ProcessTestKit kit) {
            KeyedProcesses<String, SessionMsg> group = sessions(kit);
            group.send("alice", new Touch("before"));
            awaitLive(kit, group, "alice");
            kit.advance(IDLE);
            awaitKeyed(kit, KeyedEvent.Passivated.class, "alice");

            group.send("alice", new Touch("after"));
            awaitLive(kit, group, "alice");
            assertEquals(List.of("after"), notes(group, "alice"));
            assertEquals(2, kit.events().ofType(KeyedEvent.Activated.class).size());
            group.close();
        }

        @Test
        void aMessageSentWhileTheKeyPassivatesIsHandledByItsNextLifeInOrder(ProcessTestKit kit) throws Exception {
            CountDownLatch onStopGate = new CountDownLatch(1);
            KeyedProcesses<String, SessionMsg> group = KeyedProcesses.create(
                    "session",
                    user -> ProcessSpec.<SessionMsg, List<String>>named("session")
                            .init(() -> {
                                log.add("init " + user);
                                return new ArrayList<String>();
                            })
                            .handler((notes, msg, tools) -> {
                                if (msg instanceof Touch touch) {
                                    notes.add(touch.note());
                                } else if (msg instanceof Notes ask) {
                                    ask.reply().send(List.copyOf(notes));
                                }
                                return notes;
                            })
                            .onStop((notes, reason, ctx) -> {
                                log.add("stop " + user + " " + notes);
                                onStopGate.await(10, TimeUnit.SECONDS); // the passivation is in progress
                            })
                            .build(),
                    Keyed.options(kit));
            group.send("alice", new Touch("old"));
            awaitLive(kit, group, "alice");

            CompletableFuture<Void> passivated = group.passivate("alice", "test");
            Keyed.awaitState(kit, group, "alice", KeyState.ENDING);
            assertEquals(SendResult.ACCEPTED, group.offer("alice", new Touch("x")));
            assertEquals(SendResult.ACCEPTED, group.offer("alice", new Touch("y")));
            assertEquals(2, group.ref("alice").mailboxSize(), "held for the next life");
            assertFalse(passivated.isDone());

            onStopGate.countDown();
            passivated.join();
            awaitLive(kit, group, "alice");
            assertEquals(List.of("x", "y"), notes(group, "alice"));
            assertEquals(List.of("init alice", "stop alice [old]", "init alice"), log);
            group.close();
        }

        @Test
        void aMessageAProcessSendsItselfWhileItPassivatesReachesItsNextLife(ProcessTestKit kit) {
            KeyedProcesses<String, SessionMsg> group = sessions(kit);
            CountDownLatch gate = new CountDownLatch(1);
            group.send("alice", new Hold(gate, "held"));
            awaitState(kit, group, "alice", KeyState.LIVE);

            CompletableFuture<Void> passivated = group.passivate("alice", "test"); // during the handler
            group.send("alice", new Again("echo")); // waits for the next life
            gate.countDown();
            passivated.join();
            awaitLive(kit, group, "alice");

            // The next life got "again", whose handler sent "echo" to itself through tools.self().
            assertEquals(List.of("echo"), notes(group, "alice"));
            assertEquals(List.of("init alice", "stop alice PASSIVATED (test) [held]", "init alice"), log);
            group.close();
        }

        @Test
        void aKeyIsNotPassivatedWhileItsHandlerIsBusy(ProcessTestKit kit) {
            KeyedProcesses<String, SessionMsg> group = sessions(kit);
            CountDownLatch gate = new CountDownLatch(1);
            group.send("alice", new Hold(gate, "slow"));
            awaitState(kit, group, "alice", KeyState.LIVE);

            kit.clock().advance(IDLE.plusMinutes(1)); // the handler still runs
            assertEquals(KeyState.LIVE, group.state("alice"));
            gate.countDown();
            kit.awaitIdle();
            kit.advance(IDLE.minusMillis(1));
            assertEquals(KeyState.LIVE, group.state("alice"), "idle counts from the end of the last message");
            kit.advance(Duration.ofMillis(1));
            awaitKeyed(kit, KeyedEvent.Passivated.class, "alice");
            group.close();
        }

        @Test
        void aGroupWhoseKeysHavePassivatedKeepsAlmostNothing(ProcessTestKit kit) {
            List<Supervisor> made = new CopyOnWriteArrayList<>();
            KeyedProcesses<String, SessionMsg> group = KeyedProcesses.create(
                    "session", user -> session(user, log), Keyed.options(kit).withSupervisors(strategy -> {
                        Supervisor supervisor = kit.supervisor(strategy);
                        made.add(supervisor);
                        return supervisor;
                    }));
            for (int i = 0; i < 300; i++) {
                group.send("user-" + i, new Touch("hello"));
            }
            kit.awaitCondition(
                    "300 live keys",
                    () -> java.util.stream.IntStream.range(0, 300)
                            .allMatch(i -> group.state("user-" + i) == KeyState.LIVE));
            kit.awaitIdle();
            assertTrue(made.size() >= 300 / 64, "the keys are shared out among supervisors: " + made.size());

            group.release(key -> true, "measure").join();
            kit.awaitCondition(
                    "no key left",
                    () -> group.liveCount() == 0
                            && kit.events().ofType(KeyedEvent.Passivated.class).size() == 300);
            kit.awaitCondition(
                    "empty supervisors stopped",
                    () -> made.stream()
                                    .filter(supervisor -> supervisor.snapshot().status() == ProcessStatus.RUNNING)
                                    .count()
                            <= 2);
            group.close();
        }

        @Test
        void withoutAnIdleTimeoutAKeyStaysLive(ProcessTestKit kit) {
            KeyedProcesses<String, SessionMsg> group = KeyedProcesses.create(
                    "session", user -> session(user, log), Keyed.options(kit).withoutIdleTimeout());
            group.send("alice", new Touch("hello"));
            awaitLive(kit, group, "alice");
            kit.advance(Duration.ofDays(365));
            assertEquals(KeyState.LIVE, group.state("alice"));
            group.close();
        }
    }

    @Nested
    class Eviction {

        @Test
        void theLeastRecentlyUsedKeyIsPassivatedWhenOneKeyTooManyComesToLife(ProcessTestKit kit) {
            KeyedProcesses<String, SessionMsg> group = KeyedProcesses.create(
                    "session", user -> session(user, log), Keyed.options(kit).withMaxLiveKeys(2));
            group.send("a", new Touch("1"));
            awaitLive(kit, group, "a");
            group.send("b", new Touch("1"));
            awaitLive(kit, group, "b");
            group.send("a", new Touch("2")); // a is now the most recently used

            group.send("c", new Touch("1"));
            KeyedEvent.Evicted evicted = awaitKeyed(kit, KeyedEvent.Evicted.class, "b");
            assertEquals(3, evicted.liveKeys());
            assertEquals(2, evicted.maxLive());
            assertEquals(
                    KeyedEvent.PassivationCause.EVICTED,
                    awaitKeyed(kit, KeyedEvent.Passivated.class, "b").cause());
            awaitLive(kit, group, "c");
            assertEquals(Set.of("a", "c"), group.liveKeys());
            assertEquals(List.of("1", "2"), notes(group, "a"));
            group.close();
        }

        @Test
        void anEvictedKeyFinishesWhatItHasQueuedBeforeItEnds(ProcessTestKit kit) {
            KeyedProcesses<String, SessionMsg> group = KeyedProcesses.create(
                    "session", user -> session(user, log), Keyed.options(kit).withMaxLiveKeys(1));
            CountDownLatch gate = new CountDownLatch(1);
            group.send("a", new Hold(gate, "1"));
            awaitState(kit, group, "a", KeyState.LIVE);
            group.send("a", new Touch("2"));
            group.send("a", new Touch("3"));

            group.send("b", new Touch("x")); // a must make room, but has work queued
            awaitKeyed(kit, KeyedEvent.Evicted.class, "a");
            assertEquals(KeyState.ENDING, group.state("a"));
            gate.countDown();

            awaitKeyed(kit, KeyedEvent.Passivated.class, "a");
            assertTrue(
                    log.contains("stop a PASSIVATED (least recently used of 2 live keys (at most 1)) [1, 2, 3]"),
                    log.toString());
            awaitLive(kit, group, "b");
            assertEquals(Set.of("b"), group.liveKeys());
            group.close();
        }

        @Test
        void anEvictedKeyWhoseLastQueuedMessageFailsStillEnds(ProcessTestKit kit) {
            kit.expectFailures();
            kit.expectDrops();
            KeyedProcesses<String, SessionMsg> group = KeyedProcesses.create(
                    "session", user -> session(user, log), Keyed.options(kit).withMaxLiveKeys(1));
            CountDownLatch gate = new CountDownLatch(1);
            group.send("a", new Hold(gate, "1"));
            awaitState(kit, group, "a", KeyState.LIVE);
            group.send("a", new Crash()); // the last message the passivating key has queued

            group.send("b", new Touch("x"));
            awaitKeyed(kit, KeyedEvent.Evicted.class, "a");
            gate.countDown();

            // The failure ends the life and its supervisor restarts it; the passivation still ends
            // the key, and a message waiting for it would reach a fresh life.
            awaitKeyed(kit, KeyedEvent.Passivated.class, "a");
            awaitState(kit, group, "a", KeyState.ABSENT);
            awaitLive(kit, group, "b");
            assertEquals(Set.of("b"), group.liveKeys());
            group.send("a", new Touch("later"));
            awaitLive(kit, group, "a");
            assertEquals(List.of("later"), notes(group, "a"));
            group.close();
        }

        @Test
        void aKeyStillStartingCanBeTheOneEvictedAndPassivatesOnceItIsLive(ProcessTestKit kit) {
            CountDownLatch gate = new CountDownLatch(1);
            KeyedProcesses<String, SessionMsg> group = KeyedProcesses.create(
                    "session",
                    user -> ProcessSpec.<SessionMsg, List<String>>named("session")
                            .init(() -> {
                                if (user.equals("slow")) {
                                    gate.await(10, TimeUnit.SECONDS);
                                }
                                log.add("init " + user);
                                return new ArrayList<String>();
                            })
                            .handler((notes, msg, tools) -> {
                                if (msg instanceof Touch touch) {
                                    notes.add(touch.note());
                                }
                                return notes;
                            })
                            .onStop((notes, reason, ctx) -> log.add("stop " + user + " " + reason + " " + notes))
                            .build(),
                    Keyed.options(kit).withMaxLiveKeys(1));
            group.send("slow", new Touch("first"));
            group.send("fast", new Touch("second")); // slow is the least recently used, and still starting

            awaitKeyed(kit, KeyedEvent.Evicted.class, "slow");
            assertEquals(1, group.liveCount(), "the evicted key stops counting at once");
            gate.countDown();
            awaitKeyed(kit, KeyedEvent.Passivated.class, "slow");
            assertTrue(
                    log.contains("stop slow PASSIVATED (least recently used of 2 live keys (at most 1)) [first]"),
                    log.toString());
            awaitLive(kit, group, "fast");
            assertEquals(Set.of("fast"), group.liveKeys());
            group.close();
        }
    }

    @Nested
    class Supervision {

        @Test
        void aFailureRestartsOnlyThatKeysProcessWithFreshState(ProcessTestKit kit) {
            kit.expectFailures();
            KeyedProcesses<String, SessionMsg> group = sessions(kit);
            group.send("alice", new Touch("lost"));
            group.send("bob", new Touch("kept"));
            awaitLive(kit, group, "alice");
            awaitLive(kit, group, "bob");

            group.send("alice", new Crash());
            group.send("alice", new Touch("after"));
            kit.awaitIdle();

            assertEquals(List.of("after"), notes(group, "alice"));
            assertEquals(List.of("kept"), notes(group, "bob"));
            assertEquals(KeyState.LIVE, group.state("alice"));
            group.close();
        }

        @Test
        void aKeyGivenUpOnRefusesMessagesForItsQuarantineThenStartsAfresh(ProcessTestKit kit) {
            kit.expectFailures();
            kit.expectDrops();
            KeyedProcesses<String, SessionMsg> group = KeyedProcesses.create(
                    "session",
                    user -> session(user, log),
                    Keyed.options(kit)
                            .withStrategy(SupervisionStrategy.oneForOne().withMaxRestarts(1, Duration.ofMinutes(1)))
                            .withQuarantine(Duration.ofSeconds(30)));
            CountDownLatch gate = new CountDownLatch(1);
            group.send("alice", new Hold(gate, "first")); // holds the rest in the mailbox
            group.send("alice", new Crash());
            group.send("alice", new Crash()); // the second failure in the window gives up
            group.send("alice", new Touch("queued")); // behind it: reported, never handled
            gate.countDown();

            KeyedEvent.GaveUp gaveUp = awaitKeyed(kit, KeyedEvent.GaveUp.class, "alice");
            assertEquals("session alice crashed", gaveUp.error().getMessage());
            assertEquals(Duration.ofSeconds(30), gaveUp.quarantine());
            kit.events()
                    .awaitEvent(
                            ProcessEvent.MessageDropped.class,
                            drop -> drop.message().equals(new Touch("queued"))
                                    && drop.reason() == ProcessEvent.DropReason.FAILED);
            awaitState(kit, group, "alice", KeyState.GIVEN_UP);
            assertEquals(SendResult.GIVEN_UP, group.offer("alice", new Touch("refused")));
            assertEquals(ProcessStatus.FAILED, group.ref("alice").status());
            assertEquals(
                    SendResult.GIVEN_UP,
                    awaitKeyed(kit, KeyedEvent.MessageRejected.class, "alice").reason());
            assertEquals(SendResult.ACCEPTED, group.offer("bob", new Touch("others are fine")));

            kit.advance(Duration.ofSeconds(30));
            assertEquals(KeyState.ABSENT, group.state("alice"));
            group.send("alice", new Touch("fresh"));
            awaitLive(kit, group, "alice");
            assertEquals(List.of("fresh"), notes(group, "alice"));
            group.close();
        }

        @Test
        void withoutAQuarantineTheNextMessageAfterAGiveUpStartsAFreshLife(ProcessTestKit kit) {
            kit.expectFailures();
            KeyedProcesses<String, SessionMsg> group = KeyedProcesses.create(
                    "session",
                    user -> session(user, log),
                    Keyed.options(kit)
                            .withStrategy(SupervisionStrategy.oneForOne().withMaxRestarts(1, Duration.ofMinutes(1)))
                            .withQuarantine(Duration.ZERO));
            group.send("alice", new Crash());
            group.send("alice", new Crash());
            awaitKeyed(kit, KeyedEvent.GaveUp.class, "alice");
            awaitState(kit, group, "alice", KeyState.ABSENT);

            assertEquals(SendResult.ACCEPTED, group.offer("alice", new Touch("again")));
            awaitLive(kit, group, "alice");
            assertEquals(List.of("again"), notes(group, "alice"));
            group.close();
        }

        @Test
        void aFailingInitQuarantinesTheKeyAndReportsTheMessagesThatWaited(ProcessTestKit kit) {
            kit.expectFailures();
            IllegalStateException down = new IllegalStateException("database down");
            CountDownLatch gate = new CountDownLatch(1);
            KeyedProcesses<String, SessionMsg> group = KeyedProcesses.create(
                    "session",
                    user -> ProcessSpec.<SessionMsg, String>named("session")
                            .init(() -> {
                                gate.await(10, TimeUnit.SECONDS);
                                throw down;
                            })
                            .handler((state, msg, tools) -> state)
                            .build(),
                    Keyed.options(kit).withQuarantine(Duration.ofMinutes(1)));
            assertTrue(group.send("alice", new Touch("1")));
            assertTrue(group.send("alice", new Touch("2")));
            gate.countDown();

            assertEquals(
                    down,
                    awaitKeyed(kit, KeyedEvent.ActivationFailed.class, "alice").error());
            kit.events()
                    .awaitEvent(
                            KeyedEvent.MessageDropped.class,
                            drop -> drop.message().equals(new Touch("2")));
            List<KeyedEvent.MessageDropped> dropped = kit.events().ofType(KeyedEvent.MessageDropped.class);
            assertEquals(
                    List.of(new Touch("1"), new Touch("2")),
                    dropped.stream().map(KeyedEvent.MessageDropped::message).toList());
            assertTrue(dropped.stream().allMatch(drop -> drop.reason() == KeyedEvent.DropReason.ACTIVATION_FAILED));
            awaitState(kit, group, "alice", KeyState.GIVEN_UP);
            assertEquals(SendResult.GIVEN_UP, group.offer("alice", new Touch("3")));
            group.close();
        }
    }

    @Nested
    class Asks {

        @Test
        void anAskToAKeyWithoutAProcessWaitsForItsFirstLife(ProcessTestKit kit) {
            KeyedProcesses<String, SessionMsg> group = sessions(kit);
            assertEquals(List.of(), group.<List<String>>ask("alice", Notes::new).join());
            assertEquals(List.of("init alice"), log);
            group.close();
        }

        @Test
        void anAskWaitingForItsKeyTimesOutOnTheGroupsClock(ProcessTestKit kit) {
            CountDownLatch gate = new CountDownLatch(1);
            KeyedProcesses<String, SessionMsg> group = KeyedProcesses.create(
                    "session",
                    user -> ProcessSpec.<SessionMsg, String>named("session")
                            .init(() -> {
                                gate.await(10, TimeUnit.SECONDS);
                                return "ready";
                            })
                            .handler((state, msg, tools) -> {
                                if (msg instanceof Notes ask) {
                                    ask.reply().send(List.of(state));
                                }
                                return state;
                            })
                            .build(),
                    Keyed.options(kit));
            CompletableFuture<List<String>> answer = group.ask("alice", Notes::new, Duration.ofSeconds(1));
            kit.clock().advance(Duration.ofMillis(999));
            assertFalse(answer.isDone(), "not a millisecond early");
            kit.clock().advance(Duration.ofMillis(1));
            CompletionException failure = assertThrows(CompletionException.class, answer::join);
            assertInstanceOf(TimeoutException.class, failure.getCause());

            gate.countDown();
            awaitLive(kit, group, "alice"); // the late ask is still delivered, its answer ignored
            kit.events().awaitEvent(ProcessEvent.MessageHandled.class, handled -> handled.messageType() == Notes.class);
            group.close();
        }

        @Test
        void anAskToALiveKeyFailsWithTheHandlersException(ProcessTestKit kit) {
            kit.expectFailures();
            KeyedProcesses<String, SessionMsg> group = KeyedProcesses.create(
                    "session",
                    user -> ProcessSpec.<SessionMsg, String>named("session")
                            .init(() -> "state")
                            .handler((state, msg, tools) -> {
                                throw new IllegalArgumentException(
                                        "cannot answer " + msg.getClass().getSimpleName());
                            })
                            .build(),
                    Keyed.options(kit));
            group.send("alice", new Touch("wake up"));
            awaitLive(kit, group, "alice");
            CompletionException failure = assertThrows(
                    CompletionException.class,
                    () -> group.<List<String>>ask("alice", Notes::new).join());
            assertEquals("cannot answer Notes", failure.getCause().getMessage());
            group.close();
        }
    }

    @Nested
    class Backpressure {

        /** A spec whose init waits for {@code gate}, with a mailbox of {@code capacity}. */
        ProcessSpec<SessionMsg, List<String>, Void> slowToStart(
                CountDownLatch gate, int capacity, dev.phyxius.process.MailboxPolicy policy) {
            return ProcessSpec.<SessionMsg, List<String>>named("session")
                    .init(() -> {
                        gate.await(10, TimeUnit.SECONDS);
                        return new ArrayList<String>();
                    })
                    .handler((notes, msg, tools) -> {
                        if (msg instanceof Touch touch) {
                            notes.add(touch.note());
                        } else if (msg instanceof Notes ask) {
                            ask.reply().send(List.copyOf(notes));
                        }
                        return notes;
                    })
                    .maxInbox(capacity)
                    .mailboxPolicy(policy)
                    .build();
        }

        @Test
        void messagesWaitingForAKeyAreBoundedByItsMailbox(ProcessTestKit kit) {
            CountDownLatch gate = new CountDownLatch(1);
            KeyedProcesses<String, SessionMsg> group = KeyedProcesses.create(
                    "session",
                    user -> slowToStart(gate, 2, dev.phyxius.process.MailboxPolicy.REJECT),
                    Keyed.options(kit));
            assertEquals(SendResult.ACCEPTED, group.offer("alice", new Touch("1")));
            assertEquals(SendResult.ACCEPTED, group.offer("alice", new Touch("2")));
            assertEquals(SendResult.MAILBOX_FULL, group.offer("alice", new Touch("3")));
            assertEquals(
                    new Touch("3"),
                    awaitKeyed(kit, KeyedEvent.MessageRejected.class, "alice").message());
            gate.countDown();
            awaitLive(kit, group, "alice");
            assertEquals(List.of("1", "2"), notes(group, "alice"));
            group.close();
        }

        @Test
        void underDropOldestTheOldestWaitingMessageMakesRoomAndIsReported(ProcessTestKit kit) {
            CountDownLatch gate = new CountDownLatch(1);
            KeyedProcesses<String, SessionMsg> group = KeyedProcesses.create(
                    "session",
                    user -> slowToStart(gate, 2, dev.phyxius.process.MailboxPolicy.DROP_OLDEST),
                    Keyed.options(kit));
            for (String note : List.of("1", "2", "3")) {
                assertEquals(SendResult.ACCEPTED, group.offer("alice", new Touch(note)));
            }
            KeyedEvent.MessageDropped dropped = awaitKeyed(kit, KeyedEvent.MessageDropped.class, "alice");
            assertEquals(new Touch("1"), dropped.message());
            assertEquals(KeyedEvent.DropReason.EVICTED, dropped.reason());
            gate.countDown();
            awaitLive(kit, group, "alice");
            assertEquals(List.of("2", "3"), notes(group, "alice"));
            group.close();
        }

        @Test
        void aTimedSendWaitsForRoomUntilTheKeyIsLive(ProcessTestKit kit) throws Exception {
            CountDownLatch gate = new CountDownLatch(1);
            KeyedProcesses<String, SessionMsg> group = KeyedProcesses.create(
                    "session",
                    user -> slowToStart(gate, 1, dev.phyxius.process.MailboxPolicy.REJECT),
                    Keyed.options(kit));
            ProcessRef<SessionMsg> alice = group.ref("alice");
            assertTrue(alice.send(new Touch("1")));
            CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    return alice.send(new Touch("2"), Duration.ofSeconds(1));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertFalse(waiting.isDone());
            gate.countDown();
            assertTrue(waiting.get(10, TimeUnit.SECONDS));
            awaitLive(kit, group, "alice");
            assertEquals(List.of("1", "2"), notes(group, "alice"));
            group.close();
        }

        @Test
        void aTimedSendToAFullLiveMailboxGivesUpWhenTheGroupsClockSaysSo(ProcessTestKit kit) throws Exception {
            KeyedProcesses<String, SessionMsg> group = KeyedProcesses.create(
                    "session",
                    user -> ProcessSpec.<SessionMsg, List<String>>named("session")
                            .init(() -> new ArrayList<String>())
                            .handler((notes, msg, tools) -> {
                                if (msg instanceof Hold hold) {
                                    hold.entered().countDown();
                                    hold.gate().await(10, TimeUnit.SECONDS);
                                }
                                return notes;
                            })
                            .maxInbox(1)
                            .build(),
                    Keyed.options(kit));
            CountDownLatch gate = new CountDownLatch(1);
            Hold busy = new Hold(gate, "busy");
            group.send("alice", busy);
            busy.entered().await(10, TimeUnit.SECONDS);
            assertTrue(group.send("alice", new Touch("fills the mailbox")));
            CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    return group.ref("alice").send(new Touch("no room"), Duration.ofSeconds(1));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            kit.awaitCondition(
                    "the sender waits on the clock", () -> kit.clock().pendingTimers() >= 2);
            kit.clock().advance(Duration.ofSeconds(1));
            assertFalse(waiting.get(10, TimeUnit.SECONDS));
            assertEquals(
                    new Touch("no room"),
                    kit.events().awaitEvent(ProcessEvent.MessageRejected.class).message());
            gate.countDown();
            kit.awaitIdle();
            group.close();
        }
    }

    @Nested
    class Ownership {

        @Test
        void aKeyOwnedElsewhereIsRefusedAndNeverStarted(ProcessTestKit kit) {
            KeyedProcesses<String, SessionMsg> group = KeyedProcesses.create(
                    "session",
                    user -> session(user, log),
                    Keyed.options(kit).withOwnership((String user) -> !user.startsWith("remote-")));
            assertEquals(SendResult.NOT_OWNED, group.offer("remote-carol", new Touch("hi")));
            assertEquals(
                    SendResult.NOT_OWNED,
                    awaitKeyed(kit, KeyedEvent.MessageRejected.class, "remote-carol")
                            .reason());
            CompletionException refused = assertThrows(
                    CompletionException.class,
                    () -> group.<List<String>>ask("remote-carol", Notes::new).join());
            assertInstanceOf(MessageRejectedException.class, refused.getCause());
            assertEquals(SendResult.ACCEPTED, group.offer("alice", new Touch("hi")));
            awaitLive(kit, group, "alice");
            assertEquals(List.of("init alice"), log);
            group.close();
        }

        @Test
        void releaseEndsTheKeysAtOnceAndReportsWhatTheyHadQueued(ProcessTestKit kit) throws Exception {
            kit.expectDrops();
            Set<String> owned = ConcurrentHashMap.newKeySet();
            owned.add("alice");
            owned.add("bob");
            KeyedProcesses<String, SessionMsg> group = KeyedProcesses.create(
                    "session", user -> session(user, log), Keyed.options(kit).withOwnership(owned::contains));
            CountDownLatch gate = new CountDownLatch(1);
            Hold inHand = new Hold(gate, "in hand");
            group.send("alice", inHand);
            awaitState(kit, group, "alice", KeyState.LIVE);
            inHand.entered().await(10, TimeUnit.SECONDS);
            group.send("alice", new Touch("queued"));
            group.send("bob", new Touch("stays"));
            awaitState(kit, group, "bob", KeyState.LIVE);

            owned.remove("alice"); // first the owner changes its mind,
            CompletableFuture<Void> released = group.release("alice"::equals, "partition moved"); // then the keys go
            gate.countDown();
            released.join();

            KeyedEvent.Passivated passivated = awaitKeyed(kit, KeyedEvent.Passivated.class, "alice");
            assertEquals(KeyedEvent.PassivationCause.RELEASED, passivated.cause());
            assertTrue(log.contains("stop alice PASSIVATED (partition moved) [in hand]"), log.toString());
            kit.events()
                    .awaitEvent(
                            ProcessEvent.MessageDropped.class,
                            drop -> drop.message().equals(new Touch("queued"))
                                    && drop.reason() == ProcessEvent.DropReason.STOPPED);
            awaitState(kit, group, "alice", KeyState.ABSENT);
            assertEquals(SendResult.NOT_OWNED, group.offer("alice", new Touch("too late")));
            assertEquals(KeyState.LIVE, group.state("bob"));
            group.close();
        }
    }

    @Nested
    class Stop {

        @Test
        void stopReportsWhatWaitsRefusesNewMessagesAndEndsWithGroupStopped(ProcessTestKit kit) throws Exception {
            CountDownLatch initEntered = new CountDownLatch(1);
            CountDownLatch gate = new CountDownLatch(1);
            KeyedProcesses<String, SessionMsg> group = KeyedProcesses.create(
                    "session",
                    user -> ProcessSpec.<SessionMsg, String>named("session")
                            .init(() -> {
                                initEntered.countDown();
                                gate.await(10, TimeUnit.SECONDS);
                                return "ready";
                            })
                            .handler((state, msg, tools) -> state)
                            .build(),
                    Keyed.options(kit));
            group.send("alice", new Touch("1"));
            CompletableFuture<List<String>> asked = group.ask("alice", Notes::new);
            initEntered.await(10, TimeUnit.SECONDS); // the stop must wait for this activation

            CompletableFuture<Void> stopped = group.stop();
            assertEquals(SendResult.STOPPED, group.offer("alice", new Touch("late")));
            assertEquals(ProcessStatus.STOPPING, group.ref("alice").status());
            CompletionException dropped = assertThrows(CompletionException.class, asked::join);
            assertInstanceOf(ProcessTerminatedException.class, dropped.getCause());
            gate.countDown();
            stopped.join();

            List<KeyedEvent> keyed = kit.events().ofType(KeyedEvent.class);
            assertInstanceOf(KeyedEvent.GroupStopped.class, keyed.get(keyed.size() - 1));
            List<KeyedEvent.MessageDropped> drops = kit.events().ofType(KeyedEvent.MessageDropped.class);
            assertEquals(2, drops.size(), drops.toString());
            assertTrue(drops.stream().allMatch(drop -> drop.reason() == KeyedEvent.DropReason.STOPPED));
            assertEquals(new Touch("1"), drops.get(0).message());
            assertEquals(StopReason.SHUTDOWN, group.ref("alice").termination().join());
            assertEquals(ProcessStatus.STOPPED, group.ref("alice").status());
            assertEquals(stopped, group.stop(), "idempotent");
        }

        @Test
        void stopEndsEveryLiveKeyWithShutdown(ProcessTestKit kit) {
            KeyedProcesses<String, SessionMsg> group = sessions(kit);
            group.send("alice", new Touch("a"));
            group.send("bob", new Touch("b"));
            awaitLive(kit, group, "alice");
            awaitLive(kit, group, "bob");

            group.close();

            assertTrue(log.containsAll(List.of("stop alice SHUTDOWN [a]", "stop bob SHUTDOWN [b]")), log.toString());
            assertEquals(KeyState.ABSENT, group.state("alice"));
            List<Event> all = kit.events().all();
            assertInstanceOf(
                    KeyedEvent.GroupStopped.class,
                    all.stream()
                            .filter(KeyedEvent.class::isInstance)
                            .reduce((first, second) -> second)
                            .orElseThrow());
        }
    }
}

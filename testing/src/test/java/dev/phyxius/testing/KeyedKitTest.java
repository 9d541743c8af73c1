package dev.phyxius.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phyxius.process.ProcessEvent;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.StopReason;
import dev.phyxius.supervisor.KeyedEvent;
import dev.phyxius.supervisor.KeyedOptions;
import dev.phyxius.supervisor.KeyedProcesses;
import dev.phyxius.supervisor.KeyedProcesses.KeyState;
import dev.phyxius.supervisor.SendResult;
import dev.phyxius.supervisor.SupervisionStrategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The kit drives keyed groups: activations, passivations and give-ups are part of being at rest. */
@Timeout(30)
class KeyedKitTest {

    static final Duration IDLE = Duration.ofMinutes(10);

    final ProcessTestKit kit = ProcessTestKit.create();
    /** What every life of every key did: "key:message" and "key:stop:REASON". */
    final List<String> log = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() {
        kit.close();
    }

    /** A cart that logs what it handles and how it ends; "boom" throws, "slow-init" keys load slowly. */
    ProcessSpec<String, String, Void> cart(String key) {
        return ProcessSpec.<String, String>named("cart")
                .init(() -> {
                    if (key.startsWith("slow")) {
                        workFor(Duration.ofMillis(20)); // a load that outlasts a quick look
                    }
                    return key;
                })
                .handler((state, msg, tools) -> {
                    if (msg.equals("boom")) {
                        throw new IllegalStateException("boom in " + key);
                    }
                    log.add(key + ":" + msg);
                    return state;
                })
                .onStop((state, reason) -> log.add(key + ":stop:" + reason))
                .build();
    }

    KeyedProcesses<String, String> carts(KeyedOptions<Object> options) {
        return kit.keyed("carts", this::cart, options);
    }

    /** Real work, not a wait for anything: the thread is busy for {@code duration}. */
    static void workFor(Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        for (long left = duration.toNanos(); left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    @Test
    void advancingToTheIdleTimeoutPassivatesTheKeyAndRecordsItsPassivatedEventBeforeReturning() {
        KeyedProcesses<String, String> carts = carts(kit.keyedOptions().withIdleTimeout(IDLE));
        carts.send("alice", "add");

        kit.advance(IDLE.minusMillis(1));
        assertEquals(KeyState.LIVE, carts.state("alice"));
        kit.events().assertNone(KeyedEvent.Passivated.class);

        kit.advance(Duration.ofMillis(1));
        KeyedEvent.Passivated passivated =
                kit.events().assertCount(KeyedEvent.Passivated.class, 1).get(0);
        assertEquals("alice", passivated.key());
        assertEquals(KeyedEvent.PassivationCause.IDLE, passivated.cause());
        assertEquals(StopReason.passivated("idle for PT10M"), passivated.reason());
        assertEquals(KeyState.ABSENT, carts.state("alice"));
        assertEquals(List.of("alice:add", "alice:stop:PASSIVATED (idle for PT10M)"), log);
        assertEquals(IDLE.toNanos(), kit.clock().monoNanos());
        kit.assertNothingUnexpected();
    }

    @Test
    void awaitIdleWaitsForAnActivationInFlightAndTheMessagesThatWaitedForIt() {
        KeyedProcesses<String, String> carts = carts(kit.keyedOptions());
        carts.send("slow-bob", "one");
        carts.send("slow-bob", "two");

        kit.awaitIdle();
        assertEquals(KeyState.LIVE, carts.state("slow-bob"));
        kit.events().assertCount(KeyedEvent.Activated.class, 1);
        assertEquals(List.of("slow-bob:one", "slow-bob:two"), log);
    }

    @Test
    void aKeyThatHandledSomethingLaterPassivatesThatMuchLaterWithinTheSameScriptOfTime() {
        KeyedProcesses<String, String> carts = carts(kit.keyedOptions().withIdleTimeout(IDLE));
        carts.send("alice", "add");
        carts.send("bob", "add");
        kit.advance(Duration.ofMinutes(6));
        carts.send("bob", "again");

        kit.advance(Duration.ofMinutes(4));
        assertEquals(List.of("alice"), passivatedKeys());
        assertEquals(KeyState.LIVE, carts.state("bob"));

        kit.advance(Duration.ofMinutes(6));
        assertEquals(List.of("alice", "bob"), passivatedKeys());
    }

    @Test
    void anEvictionIsCompleteWhenAwaitIdleReturns() {
        KeyedProcesses<String, String> carts = carts(kit.keyedOptions().withMaxLiveKeys(1));
        carts.send("alice", "add");
        kit.awaitIdle();
        carts.send("bob", "add");
        kit.awaitIdle();

        KeyedEvent.Passivated passivated =
                kit.events().assertCount(KeyedEvent.Passivated.class, 1).get(0);
        assertEquals("alice", passivated.key());
        assertEquals(KeyedEvent.PassivationCause.EVICTED, passivated.cause());
        kit.events().assertCount(KeyedEvent.Evicted.class, 1);
        assertEquals(Set.of("bob"), carts.liveKeys());
    }

    @Test
    void aGiveUpIsRecordedWhenAwaitIdleReturnsAndTheQuarantineEndsWithAnAdvance() {
        kit.expectFailures();
        KeyedProcesses<String, String> carts = carts(kit.keyedOptions()
                .withStrategy(SupervisionStrategy.oneForOne().withMaxRestarts(1, Duration.ofMinutes(1)))
                .withQuarantine(Duration.ofSeconds(30)));
        carts.send("alice", "boom");
        carts.send("alice", "boom");
        kit.awaitIdle();

        KeyedEvent.GaveUp gaveUp =
                kit.events().assertCount(KeyedEvent.GaveUp.class, 1).get(0);
        assertEquals("boom in alice", gaveUp.error().getMessage());
        assertEquals(SendResult.GIVEN_UP, carts.offer("alice", "refused"));

        kit.advance(Duration.ofSeconds(30));
        assertEquals(KeyState.ABSENT, carts.state("alice"));
        carts.send("alice", "fresh");
        kit.awaitIdle();
        assertTrue(log.contains("alice:fresh"), () -> log.toString());
    }

    @Test
    void everyOneOfManyKeysPassivatesExactlyOnceAndEverySentMessageIsHandledBeforeIt() throws Exception {
        KeyedProcesses<String, String> carts = carts(kit.keyedOptions().withIdleTimeout(IDLE));
        int senders = 8;
        int keys = 40;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            int sender = s;
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int k = 0; k < keys; k++) {
                    assertTrue(carts.send("key-" + k, "from-" + sender));
                }
            }));
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }

        kit.advance(IDLE);
        List<KeyedEvent.Passivated> passivated = kit.events().ofType(KeyedEvent.Passivated.class);
        assertEquals(keys, passivated.size(), () -> kit.events().dump());
        assertEquals(
                keys,
                passivated.stream().map(KeyedEvent.Passivated::key).distinct().count());
        assertEquals(
                senders * keys,
                kit.events().ofType(ProcessEvent.MessageHandled.class).size());
        Set<String> stopped = ConcurrentHashMap.newKeySet();
        for (String line : log) {
            String key = line.substring(0, line.indexOf(':'));
            if (line.contains(":stop:")) {
                assertTrue(stopped.add(key), key + " stopped twice");
            } else {
                assertTrue(!stopped.contains(key), key + " handled a message after its passivation");
            }
        }
        assertEquals(0, carts.liveCount());
    }

    @Test
    void closingTheKitStopsTheGroupFirstAndRecordsItsLastEvent() {
        KeyedProcesses<String, String> carts = carts(kit.keyedOptions());
        carts.send("alice", "add");
        kit.awaitIdle();

        kit.close();
        kit.events().assertCount(KeyedEvent.GroupStopped.class, 1);
        assertEquals("alice:stop:SHUTDOWN", log.get(log.size() - 1));
        assertEquals(SendResult.STOPPED, carts.offer("alice", "late"));
        kit.assertNothingUnexpected();
    }

    @Test
    void aGroupOnAnotherClockIsRefusedNamingTheKitsOptions() {
        IllegalArgumentException refused =
                assertThrows(IllegalArgumentException.class, () -> carts(KeyedOptions.of(ControlledClock.create())));
        assertTrue(
                refused.getMessage().startsWith("options must be on the kit's clock (use kit.keyedOptions())"),
                refused.getMessage());
    }

    @Test
    void aGroupWithItsOwnThreadFactoryStillHasItsActivationsCounted() {
        List<String> threads = new CopyOnWriteArrayList<>();
        KeyedProcesses<String, String> carts = carts(kit.keyedOptions().withThreadFactory(task -> {
            threads.add("made");
            return Thread.ofVirtual().unstarted(task);
        }));
        carts.send("slow-carol", "add");
        kit.awaitIdle();
        assertEquals(List.of("slow-carol:add"), log);
        assertEquals(List.of("made"), threads);
    }

    private List<String> passivatedKeys() {
        return kit.events().ofType(KeyedEvent.Passivated.class).stream()
                .map(p -> (String) p.key())
                .collect(Collectors.toList());
    }
}

package dev.phyxius.tests.keyed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phyxius.clock.Event;
import dev.phyxius.clock.EventSink;
import dev.phyxius.process.ProcessEvent;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.Reply;
import dev.phyxius.supervisor.KeyedEvent;
import dev.phyxius.supervisor.KeyedOptions;
import dev.phyxius.supervisor.KeyedProcesses;
import dev.phyxius.supervisor.SendResult;
import dev.phyxius.supervisor.SupervisionStrategy;
import dev.phyxius.testing.ControlledClock;
import dev.phyxius.testing.ProcessTestKit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many threads against one keyed group: first sends racing each other, sends racing idle
 * passivation and eviction, crashes while keys passivate, and a stop in the middle of it all.
 * Every test checks the same three things: every accepted message is handled exactly once or
 * reported dropped exactly once (never both), each sender's messages to a key are handled in the
 * order sent, across the key's lives, and a key never has two processes at once.
 */
@Timeout(120)
class KeyedConcurrencyTest {

    /** The clock and the condition waits; the groups report to their own {@link Ledger}. */
    final ProcessTestKit kit = ProcessTestKit.create();

    @AfterEach
    void closeKit() {
        kit.close();
    }

    sealed interface Msg {}
    /** A numbered message from one sender; a poison one makes the handler throw. */
    record Work(String key, int sender, long seq, boolean poison) implements Msg {
        long id() {
            return ((long) sender << 40) | seq;
        }
    }

    record Count(Reply<Integer> reply) implements Msg {}

    /** Everything the processes and the events tell about the load. */
    static final class Ledger implements EventSink {
        final Map<Long, AtomicInteger> handled = new ConcurrentHashMap<>();
        final Map<Long, String> dropped = new ConcurrentHashMap<>();
        final LongAdder droppedTwice = new LongAdder();
        final Map<String, AtomicInteger> alive = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> lives = new ConcurrentHashMap<>();
        final Map<String, List<Work>> order = new ConcurrentHashMap<>();
        final List<String> violations = new CopyOnWriteArrayList<>();
        final LongAdder passivations = new LongAdder();
        final LongAdder evictions = new LongAdder();

        @Override
        public void emit(Event event) {
            switch (event) {
                case ProcessEvent.MessageDropped drop
                when drop.message() instanceof Work work -> drop(work, "process " + drop.reason());
                case KeyedEvent.MessageDropped drop
                when drop.message() instanceof Work work -> drop(work, "group " + drop.reason());
                case KeyedEvent.Passivated passivated -> passivations.increment();
                case KeyedEvent.Evicted evicted -> evictions.increment();
                default -> {}
            }
        }

        private void drop(Work work, String why) {
            if (dropped.putIfAbsent(work.id(), why) != null) {
                droppedTwice.increment();
            }
        }

        void started(String key) {
            lives.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            int now = alive.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            if (now != 1) {
                violations.add(key + " had " + now + " processes at once");
            }
        }

        void ended(String key) {
            alive.get(key).decrementAndGet();
        }

        void handle(Work work) {
            handled.computeIfAbsent(work.id(), id -> new AtomicInteger()).incrementAndGet();
            // Only this key's one process appends, so the list's order is the handling order.
            order.computeIfAbsent(work.key(), k -> Collections.synchronizedList(new ArrayList<>()))
                    .add(work);
        }

        long accountedFor() {
            return handled.size() + dropped.size();
        }

        /** The three checks, against what the senders saw accepted. */
        void assertAccounted(Map<Long, Work> accepted) {
            assertEquals(List.of(), violations);
            assertEquals(0, droppedTwice.sum(), "a message reported dropped twice");
            for (Map.Entry<Long, AtomicInteger> entry : handled.entrySet()) {
                assertEquals(1, entry.getValue().get(), "handled more than once: " + entry.getKey());
                assertTrue(accepted.containsKey(entry.getKey()), "handled but never accepted: " + entry.getKey());
                assertTrue(!dropped.containsKey(entry.getKey()), "handled and dropped: " + entry.getKey());
            }
            for (Long id : accepted.keySet()) {
                assertTrue(
                        handled.containsKey(id) || dropped.containsKey(id),
                        "accepted, never accounted for: " + accepted.get(id));
            }
            for (Map.Entry<String, List<Work>> entry : order.entrySet()) {
                Map<Integer, Long> last = new java.util.HashMap<>();
                synchronized (entry.getValue()) {
                    for (Work work : entry.getValue()) {
                        Long previous = last.put(work.sender(), work.seq());
                        if (previous != null && previous >= work.seq()) {
                            throw new AssertionError("key " + entry.getKey() + ": sender " + work.sender() + "'s "
                                    + work.seq() + " handled after its " + previous);
                        }
                    }
                }
            }
        }
    }

    static ProcessSpec<Msg, Integer, Void> spec(String key, Ledger ledger, double cleanupFailures, long seed) {
        Random random = new Random(seed ^ key.hashCode());
        return ProcessSpec.<Msg, Integer>named("work")
                .init(() -> {
                    ledger.started(key);
                    return 0;
                })
                .handler((count, msg, tools) -> switch (msg) {
                    case Work work -> {
                        if (work.poison()) {
                            throw new IllegalStateException("poison " + work);
                        }
                        ledger.handle(work);
                        yield count + 1;
                    }
                    case Count ask -> {
                        ask.reply().send(count);
                        yield count;
                    }
                })
                .onStop((count, reason, ctx) -> {
                    ledger.ended(key);
                    boolean fail;
                    synchronized (random) {
                        fail = random.nextDouble() < cleanupFailures;
                    }
                    if (fail) {
                        throw new IllegalStateException("onStop of " + key + " failed");
                    }
                })
                .maxInbox(64)
                .build();
    }

    /** Senders that offer numbered messages to random keys, retrying a full mailbox. */
    static final class Senders {
        final Map<Long, Work> accepted = new ConcurrentHashMap<>();
        final LongAdder refusedStopped = new LongAdder();
        final List<Thread> threads = new ArrayList<>();
        final List<Throwable> failures = new CopyOnWriteArrayList<>();
        final CountDownLatch start = new CountDownLatch(1);

        Senders(
                KeyedProcesses<String, Msg> group,
                int senders,
                int messages,
                List<String> keys,
                double poison,
                AtomicBoolean stop) {
            for (int s = 0; s < senders; s++) {
                int sender = s;
                threads.add(Thread.ofPlatform().name("sender-" + s).start(() -> {
                    try {
                        send(group, sender, messages, keys, poison, stop);
                    } catch (Throwable failure) {
                        failures.add(failure);
                    }
                }));
            }
        }

        private void send(
                KeyedProcesses<String, Msg> group,
                int sender,
                int messages,
                List<String> keys,
                double poison,
                AtomicBoolean stop) {
            Random random = new Random(42 + sender);
            awaitQuietly(start);
            for (long seq = 0; seq < messages && !stop.get(); seq++) {
                String key = keys.get(random.nextInt(keys.size()));
                Work work = new Work(key, sender, seq, random.nextDouble() < poison);
                SendResult result;
                while ((result = group.offer(key, work)) == SendResult.MAILBOX_FULL) {
                    Thread.yield();
                }
                if (result == SendResult.ACCEPTED) {
                    accepted.put(work.id(), work);
                } else if (result == SendResult.STOPPED) {
                    refusedStopped.increment();
                    return;
                } else {
                    throw new AssertionError("refused: " + result + " for " + work);
                }
            }
        }

        void go() {
            start.countDown();
        }

        void join() throws InterruptedException {
            for (Thread thread : threads) {
                thread.join(TimeUnit.SECONDS.toMillis(60));
                assertTrue(!thread.isAlive(), thread + " did not finish");
            }
            if (!failures.isEmpty()) {
                throw new AssertionError("a sender failed", failures.get(0));
            }
        }
    }

    /** A thread that moves the clock a millisecond at a time, firing idle timers amid the sends. */
    static Thread advancer(ControlledClock clock, AtomicBoolean done) {
        return Thread.ofPlatform().name("advancer").start(() -> {
            while (!done.get()) {
                clock.advance(Duration.ofMillis(1));
                Thread.yield();
            }
        });
    }

    static List<String> keys(int count) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            keys.add("k" + i);
        }
        return keys;
    }

    static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void manySendersOfFirstMessagesToTheSameFreshKeysMakeOneProcessPerKey() throws Exception {
        Ledger ledger = new Ledger();
        List<String> keys = keys(2_000);
        KeyedProcesses<String, Msg> group = KeyedProcesses.create(
                "work",
                key -> spec(key, ledger, 0, 1),
                KeyedOptions.of(ControlledClock.create()).withEvents(ledger).withoutIdleTimeout());
        Map<Long, Work> accepted = new ConcurrentHashMap<>();
        List<String> refusals = new CopyOnWriteArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < 8; s++) {
            int sender = s;
            List<String> shuffled = new ArrayList<>(keys);
            Collections.shuffle(shuffled, new Random(sender));
            threads.add(Thread.ofPlatform().start(() -> {
                awaitQuietly(start);
                long seq = 0;
                for (String key : shuffled) {
                    Work work = new Work(key, sender, seq++, false);
                    SendResult result = group.offer(key, work);
                    if (result == SendResult.ACCEPTED) {
                        accepted.put(work.id(), work);
                    } else {
                        refusals.add(key + ": " + result);
                    }
                }
            }));
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(List.of(), refusals);
        kit.awaitCondition("every message handled", () -> ledger.handled.size() == accepted.size());

        ledger.assertAccounted(accepted);
        assertEquals(keys.size(), ledger.lives.size());
        assertTrue(ledger.lives.values().stream().allMatch(lives -> lives.get() == 1), "one life per key");
        assertEquals(keys.size(), group.liveCount());
        group.close();
        assertEquals(0, ledger.dropped.size());
    }

    @Test
    void sendsRacingIdlePassivationAreHandledByTheNextLifeInOrder() throws Exception {
        ControlledClock clock = kit.clock();
        Ledger ledger = new Ledger();
        KeyedProcesses<String, Msg> group = KeyedProcesses.create(
                "work",
                key -> spec(key, ledger, 0, 2),
                KeyedOptions.of(clock).withEvents(ledger).withIdleTimeout(Duration.ofMillis(1)));
        AtomicBoolean done = new AtomicBoolean();
        Senders senders = new Senders(group, 4, 20_000, keys(64), 0, new AtomicBoolean());
        Thread advancer = advancer(clock, done);
        senders.go();
        senders.join();
        done.set(true);
        advancer.join();
        kit.awaitCondition("every accepted message handled", () -> ledger.accountedFor() == senders.accepted.size());

        ledger.assertAccounted(senders.accepted);
        assertEquals(0, ledger.dropped.size(), "a passivation lost nothing: " + ledger.dropped.values());
        assertTrue(ledger.passivations.sum() > 100, "passivations raced the sends: " + ledger.passivations.sum());
        group.close();
    }

    @Test
    void evictionUnderABoundLosesNothingAndKeepsTheBound() throws Exception {
        ControlledClock clock = kit.clock();
        Ledger ledger = new Ledger();
        int maxLive = 8;
        KeyedProcesses<String, Msg> group = KeyedProcesses.create(
                "work",
                key -> spec(key, ledger, 0, 3),
                KeyedOptions.of(clock).withEvents(ledger).withoutIdleTimeout().withMaxLiveKeys(maxLive));
        Senders senders = new Senders(group, 4, 20_000, keys(200), 0, new AtomicBoolean());
        senders.go();
        senders.join();
        kit.awaitCondition("every accepted message handled", () -> ledger.accountedFor() == senders.accepted.size());
        kit.awaitCondition(
                "every eviction finished",
                () -> ledger.alive.values().stream()
                                .mapToInt(AtomicInteger::get)
                                .sum()
                        <= maxLive);

        ledger.assertAccounted(senders.accepted);
        assertEquals(0, ledger.dropped.size(), "an eviction lost nothing: " + ledger.dropped.values());
        assertTrue(ledger.evictions.sum() > 100, "evictions: " + ledger.evictions.sum());
        assertTrue(group.liveCount() <= maxLive, "live keys: " + group.liveCount());
        group.close();
    }

    @Test
    void crashesWhileKeysPassivateLoseNothing() throws Exception {
        ControlledClock clock = kit.clock();
        Ledger ledger = new Ledger();
        KeyedProcesses<String, Msg> group = KeyedProcesses.create(
                "work",
                key -> spec(key, ledger, 0.1, 4),
                KeyedOptions.of(clock)
                        .withEvents(ledger)
                        .withIdleTimeout(Duration.ofMillis(1))
                        .withMaxLiveKeys(16)
                        .withStrategy(SupervisionStrategy.oneForOne()
                                .withMaxRestarts(Integer.MAX_VALUE, Duration.ofDays(1))));
        AtomicBoolean done = new AtomicBoolean();
        Senders senders = new Senders(group, 4, 15_000, keys(64), 0.02, new AtomicBoolean());
        Thread advancer = advancer(clock, done);
        senders.go();
        senders.join();
        done.set(true);
        advancer.join();
        kit.awaitCondition(
                "every accepted message accounted for", () -> ledger.accountedFor() == senders.accepted.size());

        ledger.assertAccounted(senders.accepted);
        for (Map.Entry<Long, String> drop : ledger.dropped.entrySet()) {
            Work work = senders.accepted.get(drop.getKey());
            assertTrue(
                    work.poison() && drop.getValue().equals("process HANDLER_FAILED"),
                    "only poison is dropped, as the failing message: " + work + " " + drop.getValue());
        }
        long poison = senders.accepted.values().stream().filter(Work::poison).count();
        assertEquals(poison, ledger.dropped.size());
        assertTrue(ledger.passivations.sum() > 100, "passivations: " + ledger.passivations.sum());
        group.close();
    }

    @Test
    void aStopUnderLoadHandlesOrReportsEveryAcceptedMessageAndEveryAsk() throws Exception {
        ControlledClock clock = kit.clock();
        Ledger ledger = new Ledger();
        KeyedProcesses<String, Msg> group = KeyedProcesses.create(
                "work",
                key -> spec(key, ledger, 0, 5),
                KeyedOptions.of(clock)
                        .withEvents(ledger)
                        .withIdleTimeout(Duration.ofMillis(1))
                        .withMaxLiveKeys(16));
        AtomicBoolean done = new AtomicBoolean();
        AtomicBoolean never = new AtomicBoolean();
        Senders senders = new Senders(group, 4, Integer.MAX_VALUE, keys(64), 0, never);
        List<CompletableFuture<Integer>> asks = new CopyOnWriteArrayList<>();
        Thread asker = Thread.ofPlatform().start(() -> {
            Random random = new Random(7);
            while (!done.get()) {
                asks.add(group.ask("k" + random.nextInt(64), Count::new));
                Thread.yield();
            }
        });
        Thread advancer = advancer(clock, done);
        senders.go();
        kit.awaitCondition("a load under way", () -> ledger.handled.size() > 20_000);

        group.stop().get(30, TimeUnit.SECONDS);
        senders.join(); // each sender ends at its first STOPPED
        done.set(true);
        advancer.join();
        asker.join();

        assertEquals(4, senders.refusedStopped.sum());
        assertEquals(senders.accepted.size(), ledger.accountedFor(), "at the end of the stop, not later");
        ledger.assertAccounted(senders.accepted);
        for (CompletableFuture<Integer> ask : asks) {
            assertTrue(ask.isDone(), "an ask neither answered nor failed");
        }
        assertTrue(ledger.alive.values().stream().allMatch(alive -> alive.get() == 0), "every process ended");
    }
}

package dev.phyxius.tests.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phyxius.clock.Clock;
import dev.phyxius.clock.Event;
import dev.phyxius.clock.EventSink;
import dev.phyxius.process.ProcessEvent;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.ProcessStatus;
import dev.phyxius.process.Processes;
import dev.phyxius.process.Reply;
import dev.phyxius.process.SpawnOptions;
import dev.phyxius.testing.ControlledClock;
import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Races that can really fail: many senders, blocking handlers, stop and failure under load. */
@Timeout(120)
class ConcurrencyTest {

    static final int SENDERS = 8;

    /** Counts accounting events without keeping them. */
    static final class Accounting implements EventSink {
        final LongAdder handled = new LongAdder();
        final LongAdder dropped = new LongAdder();
        final LongAdder rejected = new LongAdder();

        @Override
        public void emit(Event event) {
            switch (event) {
                case ProcessEvent.MessageHandled h -> handled.increment();
                case ProcessEvent.MessageDropped d -> dropped.increment();
                case ProcessEvent.MessageRejected r -> rejected.increment();
                default -> {}
            }
        }
    }

    record Sequenced(int sender, int seq) {}

    /** Runs {@code body(senderIndex)} on SENDERS virtual threads released together. */
    static void race(int senders, java.util.function.IntConsumer body) throws InterruptedException {
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
                body.accept(sender);
            }));
        }
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
    }

    @RepeatedTest(3)
    void concurrentSendersNeverLoseAnUpdateNorOverlapEvenWhenTheHandlerBlocks() throws Exception {
        int perSender = 2_000;
        AtomicInteger inHandler = new AtomicInteger();
        AtomicInteger maxOverlap = new AtomicInteger();
        int[] last = new int[SENDERS];
        java.util.Arrays.fill(last, -1);
        AtomicInteger orderViolations = new AtomicInteger();
        ProcessSpec<Object, long[], Void> spec = ProcessSpec.<Object, long[]>named("shared")
                .init(() -> new long[1])
                .handler((state, msg, tools) -> {
                    maxOverlap.accumulateAndGet(inHandler.incrementAndGet(), Math::max);
                    if (msg instanceof Sequenced s) {
                        long before = state[0];
                        if (s.seq() % 64 == 0) {
                            LockSupport.parkNanos(20_000); // block mid-update: a read-modify-write spans it
                        }
                        state[0] = before + 1;
                        if (last[s.sender()] >= s.seq()) {
                            orderViolations.incrementAndGet();
                        }
                        last[s.sender()] = s.seq();
                    } else if (msg instanceof Reply<?> reply) {
                        @SuppressWarnings("unchecked")
                        Reply<Long> r = (Reply<Long>) reply;
                        r.send(state[0]);
                    }
                    inHandler.decrementAndGet();
                    return state;
                })
                .maxInbox(SENDERS * perSender + 1)
                .build();
        ProcessRef<Object> ref = Processes.spawn(spec, SpawnOptions.of(Clock.system()));
        AtomicLong accepted = new AtomicLong();
        race(SENDERS, sender -> {
            for (int i = 0; i < perSender; i++) {
                if (ref.send(new Sequenced(sender, i))) {
                    accepted.incrementAndGet();
                }
            }
        });
        long total =
                ref.<Long>ask(reply -> reply, java.time.Duration.ofSeconds(60)).get(60, TimeUnit.SECONDS);
        assertEquals(SENDERS * perSender, accepted.get());
        assertEquals(accepted.get(), total, "no lost update");
        assertEquals(1, maxOverlap.get(), "handler invocations never overlap");
        assertEquals(0, orderViolations.get(), "per-sender FIFO");
        ref.stop().get(10, TimeUnit.SECONDS);
    }

    @RepeatedTest(3)
    void stopUnderLoadAccountsForEveryAcceptedMessage() throws Exception {
        Accounting accounting = new Accounting();
        ProcessSpec<Integer, Void, Void> spec = ProcessSpec.<Integer, Void>named("busy")
                .handler((state, msg, tools) -> {
                    if (msg % 100 == 0) {
                        Thread.yield();
                    }
                    return null;
                })
                .maxInbox(256)
                .build();
        ProcessRef<Integer> ref =
                Processes.spawn(spec, SpawnOptions.of(Clock.system()).withEvents(accounting));
        AtomicLong accepted = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        CountDownLatch halfway = new CountDownLatch(SENDERS);
        Thread stopper = Thread.ofVirtual().start(() -> {
            try {
                halfway.await();
            } catch (InterruptedException e) {
                return;
            }
            ref.stop();
        });
        race(SENDERS, sender -> {
            for (int i = 0; i < 20_000; i++) {
                if (i == 5_000) {
                    halfway.countDown();
                }
                if (ref.send(i)) {
                    accepted.incrementAndGet();
                } else {
                    refused.incrementAndGet();
                }
            }
        });
        stopper.join();
        ref.termination().get(30, TimeUnit.SECONDS);
        assertEquals(ProcessStatus.STOPPED, ref.status());
        assertEquals(
                accepted.get(),
                accounting.handled.sum() + accounting.dropped.sum(),
                "every accepted message was handled or reported");
        assertEquals(refused.get(), accounting.rejected.sum(), "every refused send was reported");
        assertTrue(refused.get() > 0, "the stop landed while senders were still sending");
    }

    @RepeatedTest(3)
    void randomFailuresUnderLoadStillAccountForEveryAcceptedMessage() throws Exception {
        Accounting accounting = new Accounting();
        SplittableRandom seeds = new SplittableRandom(42);
        int processes = 20;
        List<ProcessRef<Integer>> refs = new ArrayList<>();
        for (int p = 0; p < processes; p++) {
            int failAt = seeds.nextInt(1, 4_000);
            ProcessSpec<Integer, int[], Void> spec = ProcessSpec.<Integer, int[]>named("flaky-" + p)
                    .init(() -> new int[1])
                    .handler((state, msg, tools) -> {
                        if (++state[0] == failAt) {
                            throw new IllegalStateException("planned failure at " + failAt);
                        }
                        return state;
                    })
                    .maxInbox(64)
                    .build();
            refs.add(Processes.spawn(spec, SpawnOptions.of(Clock.system()).withEvents(accounting)));
        }
        AtomicLong accepted = new AtomicLong();
        race(SENDERS, sender -> {
            SplittableRandom random = new SplittableRandom(sender);
            for (int i = 0; i < 10_000; i++) {
                if (refs.get(random.nextInt(processes)).send(i)) {
                    accepted.incrementAndGet();
                }
            }
        });
        for (ProcessRef<Integer> ref : refs) {
            ref.stop();
            ref.termination().get(30, TimeUnit.SECONDS);
        }
        assertEquals(
                accepted.get(),
                accounting.handled.sum() + accounting.dropped.sum(),
                "every accepted message was handled or reported");
        assertTrue(refs.stream().anyMatch(r -> r.status() == ProcessStatus.FAILED));
    }

    @RepeatedTest(3)
    void producersWaitingForRoomAreAllWokenAndEveryMessageGetsThrough() throws Exception {
        Accounting accounting = new Accounting();
        ProcessSpec<Integer, Void, Void> spec = ProcessSpec.<Integer, Void>named("narrow")
                .handler((state, msg, tools) -> null)
                .maxInbox(4)
                .build();
        ProcessRef<Integer> ref =
                Processes.spawn(spec, SpawnOptions.of(Clock.system()).withEvents(accounting));
        AtomicLong accepted = new AtomicLong();
        race(SENDERS, sender -> {
            for (int i = 0; i < 2_000; i++) {
                try {
                    // A lost wake-up would leave a producer asleep for the whole minute.
                    if (ref.send(i, java.time.Duration.ofMinutes(1))) {
                        accepted.incrementAndGet();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        });
        assertEquals(SENDERS * 2_000L, accepted.get(), "every waiting producer got in");
        ref.stop().get(30, TimeUnit.SECONDS);
        assertEquals(accepted.get(), accounting.handled.sum() + accounting.dropped.sum());
        assertEquals(0, accounting.rejected.sum());
    }

    @Test
    void tenThousandProcessesSpawnedAndStoppedLeaveNoThreadsAndNoGarbageBehind() throws Exception {
        int platformThreadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
        ControlledClock clock = ControlledClock.create();
        ProcessSpec<Integer, Integer, Void> spec = ProcessSpec.<Integer, Integer>named("many")
                .init(() -> 0)
                .handler((state, msg, tools) -> state + msg)
                .build();
        List<WeakReference<ProcessRef<Integer>>> weak = new ArrayList<>();
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            ProcessRef<Integer> ref = Processes.spawn(spec, SpawnOptions.of(clock));
            ref.send(i);
            stops.add(ref.stop());
            weak.add(new WeakReference<>(ref));
        }
        CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        stops.clear();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long alive;
        do {
            System.gc();
            alive = weak.stream().filter(w -> w.get() != null).count();
        } while (alive > 16 && System.nanoTime() < deadline && pause());
        // The virtual-thread scheduler may briefly keep its last few finished tasks reachable;
        // a leak would keep thousands.
        assertTrue(alive <= 16, alive + " of 10,000 stopped processes are still reachable");
        int platformThreadsAfter = ManagementFactory.getThreadMXBean().getThreadCount();
        assertTrue(
                platformThreadsAfter <= platformThreadsBefore + 2,
                "platform threads " + platformThreadsBefore + " -> " + platformThreadsAfter);
        assertEquals(0, clock.pendingTimers());
    }

    private static boolean pause() {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50)); // give the collector a moment between tries
        return true;
    }

    sealed interface Msg {}

    record Wait(CountDownLatch gate, CountDownLatch entered) implements Msg {}

    record Ping(Reply<String> reply) implements Msg {}

    @Test
    void aThousandBlockedHandlersDoNotHoldUpAnotherProcess() throws Exception {
        ProcessSpec<Msg, Void, Void> spec = ProcessSpec.<Msg, Void>named("blocking")
                .handler((state, msg, tools) -> {
                    switch (msg) {
                        case Wait w -> {
                            w.entered().countDown();
                            w.gate().await();
                        }
                        case Ping p -> p.reply().send("pong");
                    }
                    return null;
                })
                .build();
        SpawnOptions<Void> options = SpawnOptions.of(Clock.system());
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1_000);
        List<ProcessRef<Msg>> blocked = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            ProcessRef<Msg> ref = Processes.spawn(spec, options);
            ref.send(new Wait(gate, entered));
            blocked.add(ref);
        }
        assertTrue(entered.await(30, TimeUnit.SECONDS), "all thousand handlers are blocked at once");
        ProcessRef<Msg> responsive = Processes.spawn(spec, options);
        assertEquals("pong", responsive.<String>ask(Ping::new).get(10, TimeUnit.SECONDS));
        gate.countDown();
        for (ProcessRef<Msg> ref : blocked) {
            ref.stop().get(10, TimeUnit.SECONDS);
        }
        responsive.stop().get(10, TimeUnit.SECONDS);
    }
}

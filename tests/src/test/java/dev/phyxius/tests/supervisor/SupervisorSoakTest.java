package dev.phyxius.tests.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phyxius.clock.Event;
import dev.phyxius.clock.EventSink;
import dev.phyxius.process.ProcessEvent;
import dev.phyxius.process.ProcessId;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.supervisor.SupervisionStrategy;
import dev.phyxius.supervisor.Supervisor;
import dev.phyxius.supervisor.SupervisorEvent;
import dev.phyxius.supervisor.SupervisorOptions;
import dev.phyxius.testing.ControlledClock;
import dev.phyxius.testing.PhyxiusTest;
import dev.phyxius.testing.ProcessTestKit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Thousands of random failures across many children, from several concurrent senders: nothing
 * accepted is lost (every accepted message is handled or reported) and the supervisor's restart
 * counts match the failures exactly.
 */
@PhyxiusTest
@Timeout(120)
class SupervisorSoakTest {

    static final int CHILDREN = 32;
    static final int SENDERS = 4;
    static final int MESSAGES_PER_SENDER = 25_000;

    /** Counts instead of recording: the soak emits hundreds of thousands of events. */
    static final class Counters implements EventSink {
        final LongAdder handled = new LongAdder();
        final LongAdder dropped = new LongAdder();
        final Map<ProcessId, AtomicLong> handlerFailures = new ConcurrentHashMap<>();
        final Map<ProcessId, AtomicLong> restarts = new ConcurrentHashMap<>();
        final LongAdder otherDrops = new LongAdder();

        @Override
        public void emit(Event event) {
            switch (event) {
                case ProcessEvent.MessageHandled ignored -> handled.increment();
                case ProcessEvent.MessageDropped drop -> {
                    dropped.increment();
                    if (drop.reason() == ProcessEvent.DropReason.HANDLER_FAILED) {
                        handlerFailures
                                .computeIfAbsent(drop.id(), id -> new AtomicLong())
                                .incrementAndGet();
                    } else {
                        otherDrops.increment();
                    }
                }
                case SupervisorEvent.ChildRestarted restarted ->
                    restarts.computeIfAbsent(restarted.child(), id -> new AtomicLong())
                            .incrementAndGet();
                default -> {}
            }
        }

        long failures(ProcessId id) {
            AtomicLong count = handlerFailures.get(id);
            return count == null ? 0 : count.get();
        }

        long restarts(ProcessId id) {
            AtomicLong count = restarts.get(id);
            return count == null ? 0 : count.get();
        }
    }

    @Test
    void everyAcceptedMessageIsHandledOrReportedAndRestartCountsMatchTheFailures(ProcessTestKit kit) throws Exception {
        ControlledClock clock = kit.clock();
        // Hundreds of thousands of events: counted as they come rather than recorded by the kit.
        Counters counters = new Counters();
        // The clock never moves, so every restart stays inside the window: allow them all.
        Supervisor supervisor = new Supervisor(SupervisorOptions.of(clock)
                .withEvents(counters)
                .withStrategy(SupervisionStrategy.oneForOne().withMaxRestarts(Integer.MAX_VALUE, Duration.ofHours(1))));
        ProcessSpec<Integer, Long, Void> spec = ProcessSpec.<Integer, Long>named("soak")
                .init(() -> 0L)
                .handler((sum, value, tools) -> {
                    if (value < 0) {
                        throw new IllegalStateException("poison " + value);
                    }
                    return sum + value;
                })
                .maxInbox(256)
                .build();
        List<ProcessRef<Integer>> children = new ArrayList<>();
        for (int i = 0; i < CHILDREN; i++) {
            children.add(supervisor.spawn(spec));
        }
        LongAdder accepted = new LongAdder();
        LongAdder poisonAccepted = new LongAdder();
        CountDownLatch done = new CountDownLatch(SENDERS);
        for (int s = 0; s < SENDERS; s++) {
            long seed = 1000L + s;
            Thread.startVirtualThread(() -> {
                Random random = new Random(seed);
                try {
                    for (int m = 0; m < MESSAGES_PER_SENDER; m++) {
                        ProcessRef<Integer> child = children.get(random.nextInt(CHILDREN));
                        boolean poison = random.nextInt(10) == 0; // 10%: thousands of failures
                        // A full mailbox refuses (REJECT); retry so that every message gets in
                        // and the number of failures is fixed by the seeds.
                        while (!child.send(poison ? -1 : 1)) {
                            Thread.yield();
                        }
                        accepted.increment();
                        if (poison) {
                            poisonAccepted.increment();
                        }
                    }
                } finally {
                    done.countDown();
                }
            });
        }
        assertTrue(done.await(60, TimeUnit.SECONDS), "senders did not finish");

        kit.awaitCondition(
                "every accepted message is handled or reported",
                () -> counters.handled.sum() + counters.dropped.sum() == accepted.sum());
        long failures = counters.handlerFailures.values().stream()
                .mapToLong(AtomicLong::get)
                .sum();
        assertEquals(poisonAccepted.sum(), failures, "every accepted poison message failed its handler once");
        assertTrue(failures >= 2_000, "only " + failures + " failures");
        assertEquals(0, counters.otherDrops.sum(), "nothing accepted was dropped for another reason");
        kit.awaitCondition(
                "every failure has been restarted",
                () -> children.stream()
                        .allMatch(child -> supervisor.restartCount(child.id()) == counters.failures(child.id())));
        for (ProcessRef<Integer> child : children) {
            assertEquals(
                    counters.failures(child.id()),
                    supervisor.restartCount(child.id()),
                    child.id().value());
            assertEquals(
                    counters.failures(child.id()),
                    counters.restarts(child.id()),
                    child.id().value());
        }

        supervisor.stop().get(30, TimeUnit.SECONDS);
        assertEquals(
                accepted.sum(),
                counters.handled.sum() + counters.dropped.sum(),
                "a stop after quiescence drops nothing");
    }
}

package dev.phyxius.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phyxius.analysis.scenarios.Scenarios;
import dev.phyxius.clock.Clock;
import dev.phyxius.observability.PhyxiusObservability;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.SpawnOptions;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The rolling figures, fed live by a RecordingStream in this JVM. */
@Timeout(60)
class LiveProcessFiguresTest {

    /** Every message timed and recorded: the figures are checked message by message. */
    final PhyxiusObservability observability =
            PhyxiusObservability.builder().jfr(true).timingSample(1).build();

    /** Waits until the figures of {@code name} match (the stream delivers about once a second). */
    static ProcessFigures await(LiveProcessFigures live, String name, Predicate<ProcessFigures> match) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        ProcessFigures last = null;
        while (System.nanoTime() < deadline) {
            last = live.figures(name).orElse(null);
            if (last != null && match.test(last)) {
                return last;
            }
            // The condition is checked each time; the pause only keeps the poll off the CPU.
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000L);
        }
        throw new AssertionError("figures of " + name + " never matched; last: " + last);
    }

    @Test
    void keepsTheCountsAndTheDistributionsOfEachProcessNameRolling() throws Exception {
        LiveProcessFigures.Options options = LiveProcessFigures.Options.defaults()
                .withMessageThreshold(Duration.ZERO)
                .withStatisticsPeriod(Duration.ofMillis(100));
        try (LiveProcessFigures live = LiveProcessFigures.start(options)) {
            CountDownLatch done = new CountDownLatch(20);
            ProcessRef<Runnable> worker =
                    Scenarios.spawn(observability, "live-worker", 64, SpawnOptions.of(Clock.system()));
            for (int i = 0; i < 19; i++) {
                worker.send(() -> {
                    Scenarios.busy(Duration.ofMillis(2));
                    done.countDown();
                });
            }
            worker.send(() -> {
                done.countDown();
                throw new IllegalStateException("the last one fails");
            });
            Scenarios.await(done);
            worker.termination().get(10, TimeUnit.SECONDS);

            ProcessFigures figures = await(
                    live, "live-worker", f -> f.handled() == 19 && f.failures() == 1 && f.recordedMessages() == 20);
            assertTrue(figures.handling().p50().compareTo(Duration.ofMillis(2)) >= 0, figures::toString);
            assertTrue(figures.handling().max().compareTo(Duration.ofMillis(2)) >= 0, figures::toString);
            assertEquals(Duration.ofMinutes(1), figures.window());
            assertTrue(live.snapshot().containsKey("live-worker"));
        }
    }

    @Test
    void countsNamesBeyondTheLimitTogether() throws Exception {
        try (LiveProcessFigures live = LiveProcessFigures.start(LiveProcessFigures.Options.defaults()
                .withMessageThreshold(Duration.ZERO)
                .withMaxProcessNames(1))) {
            for (String name : new String[] {"first", "second", "third"}) {
                CountDownLatch done = new CountDownLatch(1);
                ProcessRef<Runnable> ref =
                        Scenarios.spawn(observability, "live-" + name, 4, SpawnOptions.of(Clock.system()));
                ref.send(done::countDown);
                Scenarios.await(done);
                ref.stop().join();
            }
            // One name gets the only place (ours, or a name of another test still reporting);
            // every further one is counted under _other.
            ProcessFigures other = await(live, "_other", f -> f.recordedMessages() >= 2);
            assertTrue(other.recordedMessages() <= 3, other::toString);
            assertTrue(live.snapshot().size() <= 2, live.snapshot()::toString);
        }
    }

    @Test
    void optionsAreValidatedByName() {
        LiveProcessFigures.Options defaults = LiveProcessFigures.Options.defaults();
        assertEquals(
                "window must be at least 6 ms, was PT0.001S",
                assertThrows(IllegalArgumentException.class, () -> defaults.withWindow(Duration.ofMillis(1)))
                        .getMessage());
        assertEquals(
                "maxProcessNames must be >= 1, was 0",
                assertThrows(IllegalArgumentException.class, () -> defaults.withMaxProcessNames(0))
                        .getMessage());
        assertEquals(
                "threshold",
                assertThrows(NullPointerException.class, () -> defaults.withMessageThreshold(null))
                        .getMessage());
    }
}

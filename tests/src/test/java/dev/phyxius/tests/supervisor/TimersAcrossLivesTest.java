package dev.phyxius.tests.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.phyxius.process.ProcessEvent;
import dev.phyxius.process.ProcessEvent.DropReason;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.supervisor.SupervisionStrategy;
import dev.phyxius.supervisor.Supervisor;
import dev.phyxius.testing.PhyxiusTest;
import dev.phyxius.testing.ProcessTestKit;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Timers belong to the life that scheduled them: a restart cancels them all, and a timer message
 * already in the mailbox when the life ended is reported (superseded), never handled by the next
 * life.
 */
@PhyxiusTest
@Timeout(30)
class TimersAcrossLivesTest {

    final List<String> handled = new CopyOnWriteArrayList<>();
    final AtomicInteger lives = new AtomicInteger();
    final CountDownLatch holding = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    /**
     * Commands: "arm" schedules every kind of timer; "boom" fails; "hold" waits for the test;
     * ticks are recorded with their life.
     */
    ProcessSpec<String, Integer, Void> spec() {
        return ProcessSpec.<String, Integer>named("timed")
                .init(lives::incrementAndGet)
                .handler((life, message, tools) -> {
                    switch (message) {
                        case "arm" -> {
                            tools.schedule(Duration.ofSeconds(1), "once");
                            tools.schedule("keyed", Duration.ofSeconds(1), "keyed");
                            tools.scheduleAtFixedRate("rate", Duration.ofSeconds(1), "rate");
                            tools.scheduleWithFixedDelay("delay", Duration.ofSeconds(1), "delay");
                        }
                        case "boom" -> throw new IllegalStateException("boom");
                        case "hold" -> {
                            holding.countDown();
                            release.await(20, TimeUnit.SECONDS);
                        }
                        default -> handled.add(message + "@" + life);
                    }
                    return life;
                })
                .build();
    }

    @Test
    void aRestartCancelsEveryTimerOfTheLifeThatEnded(ProcessTestKit kit) {
        kit.expectFailures();
        Supervisor supervisor = kit.supervisor(SupervisionStrategy.oneForOne());
        ProcessRef<String> ref = supervisor.spawn(spec());
        ref.send("arm");
        kit.advance(Duration.ofSeconds(1));
        assertEquals(
                List.of("delay@1", "keyed@1", "once@1", "rate@1"),
                handled.stream().sorted().toList());
        handled.clear();

        ref.send("boom");
        kit.awaitIdle();
        assertEquals(2, lives.get());
        kit.advance(Duration.ofSeconds(10));
        assertEquals(List.of(), handled, "no timer of the first life fires in the second");
        assertEquals(0, kit.clock().pendingTimers());
    }

    @Test
    void aTimerMessageQueuedWhenTheLifeEndedIsReportedNotHandled(ProcessTestKit kit) {
        kit.expectFailures();
        kit.expectDrops();
        Supervisor supervisor = kit.supervisor(SupervisionStrategy.oneForOne());
        ProcessRef<String> ref = supervisor.spawn(spec());
        ref.send("arm");
        ref.send("hold");
        ref.send("boom");
        awaitHolding();
        // The ticks are queued behind the failing message while the handler holds.
        kit.clock().advance(Duration.ofSeconds(1));
        release.countDown();
        kit.awaitIdle();

        assertEquals(2, lives.get());
        assertEquals(
                List.of(),
                handled.stream().filter(m -> m.endsWith("@2")).toList(),
                "the second life handles no message of the first life's timers");
        assertEquals(List.of(), handled, "the ticks came after the failure");
        assertEquals(
                List.of("delay", "keyed", "once", "rate"),
                kit.events().ofType(ProcessEvent.MessageDropped.class).stream()
                        .filter(d -> d.reason() == DropReason.SUPERSEDED)
                        .map(d -> (String) d.message())
                        .sorted()
                        .toList(),
                "every queued tick is reported as superseded");
    }

    private void awaitHolding() {
        try {
            if (!holding.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("the handler never started holding");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}

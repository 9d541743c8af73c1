package dev.phyxius.tests.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phyxius.clock.Cancellable;
import dev.phyxius.process.ProcessEvent;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.testing.ControlledClock;
import dev.phyxius.testing.ProcessTestKit;
import dev.phyxius.testing.RecordedEvents;
import dev.phyxius.tests.support.Gate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Self-scheduled messages: one-shot, keyed, fixed rate, fixed delay, cancelled on stop. */
@Timeout(30)
class TimersTest {

    final ProcessTestKit kit = ProcessTestKit.create();
    final ControlledClock clock = kit.clock();
    final RecordedEvents events = kit.events();
    final List<String> handled = new CopyOnWriteArrayList<>();
    final AtomicReference<Cancellable> lastHandle = new AtomicReference<>();

    /**
     * Commands: "once:K:ms:msg", "rate:K:ms:msg", "delay:K:ms:msg", "cancel:K", "block"; anything
     * else is recorded.
     */
    ProcessRef<String> spawn(Gate gate) {
        ProcessSpec<String, Void, Void> spec = ProcessSpec.<String, Void>named("timers")
                .handler((state, msg, tools) -> {
                    String[] parts = msg.split(":");
                    switch (parts[0]) {
                        case "once" ->
                            lastHandle.set(
                                    tools.schedule(parts[1], Duration.ofMillis(Long.parseLong(parts[2])), parts[3]));
                        case "anon" ->
                            lastHandle.set(tools.schedule(Duration.ofMillis(Long.parseLong(parts[1])), parts[2]));
                        case "rate" ->
                            tools.scheduleAtFixedRate(parts[1], Duration.ofMillis(Long.parseLong(parts[2])), parts[3]);
                        case "delay" ->
                            tools.scheduleWithFixedDelay(
                                    parts[1], Duration.ofMillis(Long.parseLong(parts[2])), parts[3]);
                        case "cancel" -> handled.add("cancelled " + parts[1] + " " + tools.cancel(parts[1]));
                        case "block" -> gate.pass();
                        default -> handled.add(msg + "@" + tools.clock().now().monoNanos() / 1_000_000);
                    }
                    return null;
                })
                .build();
        return kit.spawn(spec);
    }

    @AfterEach
    void tearDown() {
        kit.close();
    }

    /** Waits until the process has handled all it was sent, and checks that this was {@code handledMessages}. */
    void settle(int handledMessages) {
        kit.awaitIdle();
        events.assertCount(ProcessEvent.MessageHandled.class, handledMessages);
    }

    @Test
    void aScheduledSelfMessageArrivesAfterItsDelay() {
        ProcessRef<String> ref = spawn(new Gate());
        ref.send("anon:100:hello");
        settle(1);
        clock.advance(Duration.ofMillis(99));
        assertTrue(handled.isEmpty());
        clock.advance(Duration.ofMillis(1));
        settle(2);
        assertEquals(List.of("hello@100"), handled);
        assertFalse(lastHandle.get().cancel(), "cancelling a delivered schedule prevents nothing");
        ref.stop().join();
    }

    @Test
    void aNewScheduleUnderTheSameKeyReplacesTheOld() {
        ProcessRef<String> ref = spawn(new Gate());
        ref.send("once:k:100:first");
        ref.send("once:k:300:second");
        settle(2);
        assertEquals(1, clock.pendingTimers(), "the first schedule was cancelled");
        clock.advance(Duration.ofMillis(100));
        clock.advance(Duration.ofMillis(200));
        settle(3);
        assertEquals(List.of("second@300"), handled);
        assertEquals(0, clock.pendingTimers());
        ref.stop().join();
    }

    @Test
    void aMessageFromACancelledScheduleIsNeverDeliveredEvenIfAlreadyQueued() throws Exception {
        Gate gate = new Gate();
        ProcessRef<String> ref = spawn(gate);
        ref.send("once:k:100:stale");
        settle(1);
        ref.send("block");
        gate.awaitEntered();
        clock.advance(Duration.ofMillis(100)); // the timer fires; "stale" waits behind "block"
        assertTrue(lastHandle.get().cancel(), "cancelling prevents the delivery of the queued message");
        assertFalse(lastHandle.get().cancel(), "only the first cancel prevents anything");
        gate.open();
        ProcessEvent.MessageDropped dropped = events.awaitEvent(ProcessEvent.MessageDropped.class);
        assertEquals(ProcessEvent.DropReason.SUPERSEDED, dropped.reason());
        assertEquals("stale", dropped.message());
        ref.send("after");
        settle(3);
        assertEquals(List.of("after@100"), handled);
        ref.stop().join();
    }

    @Test
    void aMessageFromAReplacedKeyIsNeverDeliveredEvenIfAlreadyQueued() throws Exception {
        Gate gate = new Gate();
        ProcessRef<String> ref = spawn(gate);
        ref.send("once:k:100:stale");
        ref.send("block");
        gate.awaitEntered();
        ref.send("once:k:500:fresh"); // queued: it will replace key k...
        clock.advance(Duration.ofMillis(100)); // ...before "stale", which fires now, is dequeued
        gate.open();
        settle(3);
        clock.advance(Duration.ofMillis(500));
        settle(4);
        assertEquals(List.of("fresh@600"), handled);
        ProcessEvent.MessageDropped dropped =
                events.assertCount(ProcessEvent.MessageDropped.class, 1).getFirst();
        assertEquals(ProcessEvent.DropReason.SUPERSEDED, dropped.reason());
        assertEquals("stale", dropped.message());
        ref.stop().join();
    }

    @Test
    void aFixedRateTicksAtAStableCadenceAndCatchesUp() {
        ProcessRef<String> ref = spawn(new Gate());
        ref.send("rate:r:100:tick");
        settle(1);
        clock.advance(Duration.ofMillis(350));
        settle(4);
        assertEquals(3, handled.size());
        ref.send("cancel:r");
        settle(5);
        clock.advance(Duration.ofSeconds(1));
        assertEquals(4, handled.size(), "three ticks and the cancel note, nothing after the cancel");
        ref.stop().join();
    }

    @Test
    void aFixedDelayWaitsForThePreviousTickBeforeSchedulingTheNext() {
        ProcessRef<String> ref = spawn(new Gate());
        ref.send("delay:d:100:tick");
        settle(1);
        clock.advance(Duration.ofMillis(100));
        settle(2);
        assertEquals(1, clock.pendingTimers(), "the next tick is armed as this one is taken from the mailbox");
        clock.advance(Duration.ofMillis(100));
        settle(3);
        assertEquals(List.of("tick@100", "tick@200"), handled);
        ref.stop().join();
        assertEquals(0, clock.pendingTimers(), "stop cancels every schedule");
    }

    @Test
    void schedulesAreCancelledWhenTheProcessStops() {
        ProcessRef<String> ref = spawn(new Gate());
        ref.send("once:a:100:x");
        ref.send("rate:b:100:y");
        settle(2);
        assertEquals(2, clock.pendingTimers());
        ref.stop().join();
        assertEquals(0, clock.pendingTimers());
        clock.advance(Duration.ofSeconds(1));
        assertTrue(handled.isEmpty());
    }

    @Test
    void badScheduleArgumentsAreRejected() {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        ProcessSpec<String, Void, Void> spec = ProcessSpec.<String, Void>named("bad")
                .handler((state, msg, tools) -> {
                    try {
                        tools.scheduleAtFixedRate("k", Duration.ZERO, "x");
                    } catch (IllegalArgumentException e) {
                        failure.set(e);
                    }
                    return null;
                })
                .build();
        ProcessRef<String> ref = kit.spawn(spec);
        ref.send("go");
        settle(1);
        assertEquals("period must be positive, was PT0S", failure.get().getMessage());
        assertThrows(NullPointerException.class, () -> spawn(new Gate()).send(null));
        ref.stop().join();
    }
}

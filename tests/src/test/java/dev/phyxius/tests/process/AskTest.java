package dev.phyxius.tests.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phyxius.process.MessageRejectedException;
import dev.phyxius.process.ProcessEvent;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.ProcessTerminatedException;
import dev.phyxius.process.Reply;
import dev.phyxius.testing.ControlledClock;
import dev.phyxius.testing.ProcessTestKit;
import dev.phyxius.testing.RecordedEvents;
import dev.phyxius.tests.support.Gate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class AskTest {

    final ProcessTestKit kit = ProcessTestKit.create();
    final ControlledClock clock = kit.clock();
    final RecordedEvents events = kit.events();

    @AfterEach
    void tearDown() {
        kit.close();
    }

    sealed interface Msg {}

    record Twice(Reply<String> reply) implements Msg {}

    record Keep(Reply<String> reply) implements Msg {}

    record Boom(Reply<String> reply) implements Msg {}

    record AskSelf(Reply<String> reply) implements Msg {}

    record Block(Gate gate) implements Msg {}

    ProcessRef<Msg> spawn(int maxInbox) {
        ProcessSpec<Msg, List<Reply<String>>, Void> spec = ProcessSpec.<Msg, List<Reply<String>>>named("asked")
                .init(() -> new ArrayList<>())
                .handler((kept, msg, tools) -> {
                    switch (msg) {
                        case Twice t -> {
                            t.reply().send("first");
                            t.reply().send("second");
                            t.reply().fail(new IllegalStateException("third"));
                        }
                        case Keep k -> kept.add(k.reply());
                        case Boom b -> throw new IllegalStateException("boom");
                        case AskSelf a -> {
                            CompletableFuture<String> self = tools.self().ask(Keep::new);
                            try {
                                self.join();
                                a.reply().send("no failure");
                            } catch (Exception e) {
                                a.reply()
                                        .send(e.getCause().getClass().getSimpleName() + ": "
                                                + e.getCause().getMessage());
                            }
                        }
                        case Block b -> b.gate().pass();
                    }
                    return kept;
                })
                .maxInbox(maxInbox)
                .build();
        return kit.spawn(spec);
    }

    @Test
    void theFirstReplyWinsAndLaterOnesAreIgnored() throws Exception {
        ProcessRef<Msg> ref = spawn(16);
        assertEquals("first", ref.<String>ask(Twice::new).get(10, TimeUnit.SECONDS));
        ref.stop().join();
    }

    @Test
    void aRefusedAskFailsAtOnce() throws Exception {
        ProcessRef<Msg> ref = spawn(1);
        Gate gate = new Gate();
        ref.send(new Block(gate));
        gate.awaitEntered();
        ref.send(new Keep(null));
        CompletableFuture<String> refused = ref.ask(Keep::new);
        assertTrue(refused.isCompletedExceptionally(), "failed before any clock advance");
        ExecutionException failure = assertThrows(ExecutionException.class, refused::get);
        assertInstanceOf(MessageRejectedException.class, failure.getCause());
        assertEquals(ProcessEvent.RejectReason.MAILBOX_FULL, ((MessageRejectedException) failure.getCause()).reason());
        gate.open();
        ref.stop().join();
    }

    @Test
    void anAskToAStoppedProcessFailsAtOnce() {
        ProcessRef<Msg> ref = spawn(4);
        ref.stop().join();
        CompletableFuture<String> refused = ref.ask(Keep::new);
        assertTrue(refused.isCompletedExceptionally());
        assertEquals(
                ProcessEvent.RejectReason.NOT_ACCEPTING,
                ((MessageRejectedException) assertThrows(ExecutionException.class, refused::get)
                                .getCause())
                        .reason());
    }

    @Test
    void anUnansweredAskFailsAsSoonAsTheProcessStops() throws Exception {
        ProcessRef<Msg> ref = spawn(4);
        CompletableFuture<String> kept = ref.ask(Keep::new, Duration.ofHours(1));
        events.awaitEvent(ProcessEvent.MessageHandled.class);
        assertFalse(kept.isDone());
        ref.stop().get(10, TimeUnit.SECONDS);
        ExecutionException failure = assertThrows(ExecutionException.class, () -> kept.get(1, TimeUnit.SECONDS));
        assertInstanceOf(ProcessTerminatedException.class, failure.getCause());
    }

    @Test
    void anAskStillQueuedFailsWhenTheProcessStops() throws Exception {
        ProcessRef<Msg> ref = spawn(4);
        Gate gate = new Gate();
        ref.send(new Block(gate));
        gate.awaitEntered();
        CompletableFuture<String> queued = ref.ask(Keep::new, Duration.ofHours(1));
        CompletableFuture<Void> stopped = ref.stop();
        gate.open();
        stopped.get(10, TimeUnit.SECONDS);
        assertInstanceOf(
                ProcessTerminatedException.class,
                assertThrows(ExecutionException.class, () -> queued.get(1, TimeUnit.SECONDS))
                        .getCause());
        ProcessEvent.MessageDropped dropped = events.awaitEvent(ProcessEvent.MessageDropped.class);
        assertEquals(ProcessEvent.DropReason.STOPPED, dropped.reason());
        assertInstanceOf(Keep.class, dropped.message(), "the queued ask is what the stop dropped");
    }

    @Test
    void anAskWhoseHandlerThrowsFailsWithWhatItThrew() {
        ProcessRef<Msg> ref = spawn(4);
        CompletableFuture<String> failed = ref.ask(Boom::new, Duration.ofHours(1));
        ExecutionException failure = assertThrows(ExecutionException.class, () -> failed.get(10, TimeUnit.SECONDS));
        assertEquals("boom", failure.getCause().getMessage());
    }

    @Test
    void aProcessAskingItselfFailsAtOnceInsteadOfDeadlocking() throws Exception {
        ProcessRef<Msg> ref = spawn(4);
        String answer = ref.<String>ask(AskSelf::new).get(10, TimeUnit.SECONDS);
        assertTrue(answer.startsWith("IllegalStateException: process 'asked'"), answer);
        assertTrue(answer.contains("asked itself"), answer);
        ref.stop().join();
    }

    @Test
    void aReplyAfterTheTimeoutIsDropped() throws Exception {
        List<Reply<String>> replies = new ArrayList<>();
        ProcessRef<Msg> ref = spawn(4);
        CompletableFuture<String> late = ref.ask(
                reply -> {
                    replies.add(reply);
                    return new Keep(reply);
                },
                Duration.ofSeconds(1));
        events.awaitEvent(ProcessEvent.MessageHandled.class);
        clock.advance(Duration.ofSeconds(1));
        assertInstanceOf(
                TimeoutException.class,
                assertThrows(ExecutionException.class, late::get).getCause());
        replies.get(0).send("too late");
        assertInstanceOf(
                TimeoutException.class,
                assertThrows(ExecutionException.class, late::get).getCause());
        ref.stop().join();
    }

    @Test
    void theDefaultTimeoutIsFiveSeconds() {
        ProcessRef<Msg> ref = spawn(4);
        CompletableFuture<String> kept = ref.ask(Keep::new);
        events.awaitEvent(ProcessEvent.MessageHandled.class);
        clock.advance(Duration.ofMillis(4999));
        assertFalse(kept.isDone());
        clock.advance(Duration.ofMillis(1));
        assertTrue(kept.isCompletedExceptionally());
        ref.stop().join();
    }

    @Test
    void askRejectsNullArguments() {
        ProcessRef<Msg> ref = spawn(4);
        assertEquals(
                "request",
                assertThrows(NullPointerException.class, () -> ref.ask(null)).getMessage());
        assertEquals(
                "timeout",
                assertThrows(NullPointerException.class, () -> ref.<String>ask(Keep::new, null))
                        .getMessage());
        ref.stop().join();
    }
}

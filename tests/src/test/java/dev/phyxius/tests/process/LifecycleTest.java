package dev.phyxius.tests.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phyxius.process.ProcessEvent;
import dev.phyxius.process.ProcessInstrumentation;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.ProcessStatus;
import dev.phyxius.process.Processes;
import dev.phyxius.process.SpawnException;
import dev.phyxius.process.SpawnOptions;
import dev.phyxius.process.StopReason;
import dev.phyxius.process.Tools;
import dev.phyxius.testing.ControlledClock;
import dev.phyxius.testing.ProcessTestKit;
import dev.phyxius.testing.RecordedEvents;
import dev.phyxius.tests.support.Gate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class LifecycleTest {

    final ProcessTestKit kit = ProcessTestKit.create();
    final ControlledClock clock = kit.clock();
    final RecordedEvents events = kit.events();
    final List<String> stops = new CopyOnWriteArrayList<>();

    /** "boom" throws; "block" blocks on the gate; anything else is recorded. */
    ProcessRef<String> spawn(Gate gate, List<String> handled) {
        ProcessSpec<String, String, Void> spec = ProcessSpec.<String, String>named("life")
                .init(() -> "state")
                .handler((state, msg, tools) -> {
                    switch (msg) {
                        case "boom" -> throw new IllegalStateException("boom");
                        case "block" -> gate.pass();
                        case "stop-self" -> tools.self().stop();
                        default -> handled.add(msg);
                    }
                    return state;
                })
                .onStop((state, reason) -> stops.add(state + " " + reason))
                .build();
        return kit.spawn(spec);
    }

    @AfterEach
    void tearDown() {
        kit.close();
    }

    @Nested
    class Failure {
        @Test
        void aThrowingHandlerEndsAnUnsupervisedProcessFailedAndReportsEverything() throws Exception {
            Gate gate = new Gate();
            List<String> handled = new CopyOnWriteArrayList<>();
            ProcessRef<String> ref = spawn(gate, handled);
            ref.send("block");
            gate.awaitEntered();
            ref.send("boom");
            ref.send("queued-1");
            ref.send("queued-2");
            CompletableFuture<String> pending = ref.ask(reply -> "queued-ask");
            gate.open();
            StopReason reason = ref.termination().get(10, TimeUnit.SECONDS);
            assertInstanceOf(StopReason.Error.class, reason);
            assertEquals("boom", ((StopReason.Error) reason).cause().getMessage());
            assertEquals(ProcessStatus.FAILED, ref.status());
            assertEquals(List.of("state Error[cause=java.lang.IllegalStateException: boom]"), stops);
            assertEquals(
                    "boom", events.awaitEvent(ProcessEvent.Failed.class).error().getMessage());
            kit.awaitIdle();
            List<ProcessEvent.MessageDropped> dropped = events.assertCount(ProcessEvent.MessageDropped.class, 4);
            assertEquals(
                    List.of("boom", "queued-1", "queued-2", "queued-ask"),
                    dropped.stream().map(d -> d.message()).toList());
            assertEquals(ProcessEvent.DropReason.HANDLER_FAILED, dropped.get(0).reason());
            assertEquals(ProcessEvent.DropReason.FAILED, dropped.get(1).reason());
            assertTrue(pending.isCompletedExceptionally());
            assertFalse(ref.send("later"), "a failed process refuses sends");
            assertTrue(handled.isEmpty());
        }

        @Test
        void aThrowingInitFailsTheSpawnWithTheCause() {
            ProcessSpec<String, String, Void> spec = ProcessSpec.<String, String>named("bad-init")
                    .init(() -> {
                        throw new java.io.IOException("no database");
                    })
                    .handler((state, msg, tools) -> state)
                    .build();
            SpawnException failure = assertThrows(SpawnException.class, () -> Processes.spawn(spec, kit.options()));
            assertInstanceOf(java.io.IOException.class, failure.getCause());
            assertTrue(failure.getMessage().contains("bad-init"), failure.getMessage());
            assertEquals(
                    "no database",
                    events.awaitEvent(ProcessEvent.Failed.class).error().getMessage());
        }

        @Test
        void aThrowingEventSinkNeverBreaksTheProcess() throws Exception {
            List<String> handled = new CopyOnWriteArrayList<>();
            ProcessSpec<String, String, Void> spec = ProcessSpec.<String, String>named("loud")
                    .init(() -> "s")
                    .handler((state, msg, tools) -> {
                        handled.add(msg);
                        return state;
                    })
                    .build();
            ProcessRef<String> ref =
                    kit.watch(Processes.spawn(spec, SpawnOptions.of(clock).withEvents(event -> {
                        throw new IllegalStateException("sink down");
                    })));
            for (int i = 0; i < 10; i++) {
                assertTrue(ref.send("m" + i));
            }
            kit.awaitIdle();
            assertEquals(10, handled.size(), "every message is handled");
            ref.stop().get(10, TimeUnit.SECONDS);
            assertEquals(ProcessStatus.STOPPED, ref.status());
        }

        @Test
        void aThrowingOnStopIsReportedAndTheStopStillCompletes() throws Exception {
            ProcessSpec<String, String, Void> spec = ProcessSpec.<String, String>named("messy")
                    .init(() -> "s")
                    .handler((state, msg, tools) -> state)
                    .onStop((state, reason) -> {
                        throw new IllegalStateException("cleanup failed");
                    })
                    .build();
            ProcessRef<String> ref = Processes.spawn(spec, kit.options());
            ref.stop().get(10, TimeUnit.SECONDS);
            assertEquals(
                    "cleanup failed",
                    events.awaitEvent(ProcessEvent.CleanupFailed.class).error().getMessage());
            assertEquals(ProcessStatus.STOPPED, ref.status());
        }
    }

    @Nested
    class Stop {
        @Test
        void theMessageInProgressFinishesOnStopRunsOnceAndQueuedMessagesAreReported() throws Exception {
            Gate gate = new Gate();
            List<String> handled = new CopyOnWriteArrayList<>();
            ProcessRef<String> ref = spawn(gate, handled);
            ref.send("block");
            gate.awaitEntered();
            ref.send("a");
            ref.send("b");
            CompletableFuture<Void> stopped = ref.stop();
            assertSame(stopped, ref.stop(), "stop is idempotent");
            assertEquals(ProcessStatus.STOPPING, ref.status());
            assertFalse(ref.send("c"), "a stopping process refuses sends");
            gate.open();
            stopped.get(10, TimeUnit.SECONDS);
            assertEquals(ProcessStatus.STOPPED, ref.status());
            assertEquals(List.of("state NORMAL"), stops);
            assertTrue(handled.isEmpty(), "queued messages are not handled after stop");
            kit.awaitIdle();
            List<ProcessEvent.MessageDropped> dropped = events.assertCount(ProcessEvent.MessageDropped.class, 2);
            assertEquals(
                    List.of("a", "b"), dropped.stream().map(d -> d.message()).toList());
            assertEquals(
                    StopReason.NORMAL,
                    events.awaitEvent(ProcessEvent.Stopped.class).reason());
            assertEquals(StopReason.NORMAL, ref.termination().get(1, TimeUnit.SECONDS));
            ref.stop(StopReason.SHUTDOWN).get(1, TimeUnit.SECONDS);
            assertEquals(1, stops.size(), "onStop runs once");
        }

        @Test
        void aHandlerMayStopItsOwnProcess() throws Exception {
            ProcessRef<String> ref = spawn(new Gate(), new CopyOnWriteArrayList<>());
            ref.send("stop-self");
            assertEquals(StopReason.NORMAL, ref.termination().get(10, TimeUnit.SECONDS));
            assertEquals(ProcessStatus.STOPPED, ref.status());
            assertEquals(List.of("state NORMAL"), stops);
        }

        @Test
        void aStuckHandlerIsInterruptedAfterTheShutdownTimeoutOnTheClock() throws Exception {
            java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
            ProcessSpec<String, String, Void> spec = ProcessSpec.<String, String>named("stuck")
                    .init(() -> "s")
                    .handler((state, msg, tools) -> {
                        entered.countDown();
                        new CompletableFuture<Void>().get(); // blocks until interrupted
                        return state;
                    })
                    .build();
            ProcessRef<String> ref = Processes.spawn(spec, kit.options().withShutdownTimeout(Duration.ofSeconds(2)));
            ref.send("hang");
            assertTrue(entered.await(10, TimeUnit.SECONDS));
            CompletableFuture<Void> stopped = ref.stop();
            clock.advance(Duration.ofMillis(1999));
            assertFalse(stopped.isDone());
            events.assertNone(ProcessEvent.StopTimedOut.class);
            clock.advance(Duration.ofMillis(1));
            stopped.get(10, TimeUnit.SECONDS);
            assertEquals(
                    Duration.ofSeconds(2),
                    events.awaitEvent(ProcessEvent.StopTimedOut.class).waited());
            assertEquals(ProcessStatus.STOPPED, ref.status());
        }

        @Test
        void aPassivatedStopReachesOnStopAndTheStoppedEventWithItsWhy() throws Exception {
            ProcessRef<String> ref = spawn(new Gate(), new CopyOnWriteArrayList<>());
            ref.stop(StopReason.passivated("idle for PT10M")).get(10, TimeUnit.SECONDS);
            assertEquals(List.of("state PASSIVATED (idle for PT10M)"), stops);
            assertEquals(
                    new StopReason.Passivated("idle for PT10M"),
                    events.awaitEvent(ProcessEvent.Stopped.class).reason());
            assertEquals(ProcessStatus.STOPPED, ref.status());
        }

        @Test
        void aPassivatedReasonNeedsAWhy() {
            assertEquals(
                    "why",
                    assertThrows(NullPointerException.class, () -> StopReason.passivated(null))
                            .getMessage());
            assertEquals(
                    "why must not be blank",
                    assertThrows(IllegalArgumentException.class, () -> StopReason.passivated(" "))
                            .getMessage());
        }

        @Test
        void stopRejectsANullReason() {
            ProcessRef<String> ref = spawn(new Gate(), new CopyOnWriteArrayList<>());
            assertEquals(
                    "reason",
                    assertThrows(NullPointerException.class, () -> ref.stop(null))
                            .getMessage());
            ref.stop().join();
        }
    }

    @Nested
    class Events {
        @Test
        void messageHandledCarriesTheTypeTheWaitAndTheHandlingTimeOnTheClock() throws Exception {
            Gate gate = new Gate();
            ProcessRef<String> ref = spawn(gate, new CopyOnWriteArrayList<>());
            ref.send("block");
            gate.awaitEntered();
            ref.send("second");
            clock.advance(Duration.ofMillis(5));
            gate.open();
            kit.awaitIdle();
            List<ProcessEvent.MessageHandled> handled = events.assertCount(ProcessEvent.MessageHandled.class, 2);
            assertEquals(String.class, handled.get(0).messageType());
            assertEquals(Duration.ofMillis(5), handled.get(0).handling());
            assertEquals(Duration.ZERO, handled.get(0).queued());
            assertEquals(Duration.ofMillis(5), handled.get(1).queued());
            assertEquals(Duration.ZERO, handled.get(1).handling());
            assertEquals("life", handled.get(1).name());
            assertEquals(ref.id(), handled.get(1).id());
            assertEquals(clock.now(), handled.get(1).at());
            ref.stop().join();
        }

        @Test
        void aMessageAfterAnIdleSpellIsTimedFromItsOwnStartNotFromTheLastEnd() throws Exception {
            ProcessRef<String> ref = spawn(new Gate(), new CopyOnWriteArrayList<>());
            clock.advance(Duration.ofMillis(1));
            ref.send("first");
            kit.awaitIdle();
            clock.advance(Duration.ofSeconds(1));
            ref.send("second");
            kit.awaitIdle();
            List<ProcessEvent.MessageHandled> handled = events.assertCount(ProcessEvent.MessageHandled.class, 2);
            // Back to back, a message starts when the previous one ended; after an idle spell the
            // previous end is a second old and must not count as this one's handling time.
            assertEquals(Duration.ZERO, handled.get(1).handling());
            assertEquals(Duration.ZERO, handled.get(1).queued());
            assertEquals(clock.now(), handled.get(1).at());
            ref.stop().join();
        }

        @Test
        void startedAndStoppedBracketAProcessLife() throws Exception {
            ProcessRef<String> ref = spawn(new Gate(), new CopyOnWriteArrayList<>());
            ref.stop().get(10, TimeUnit.SECONDS);
            List<?> kinds = events.all().stream().map(Object::getClass).toList();
            assertEquals(List.of(ProcessEvent.Started.class, ProcessEvent.Stopped.class), kinds);
        }

        @Test
        void instrumentationCapturesOnTheSenderAndWrapsTheHandler() throws Exception {
            ThreadLocal<String> traceContext = new ThreadLocal<>();
            List<String> seen = new CopyOnWriteArrayList<>();
            ProcessInstrumentation instrumentation = new ProcessInstrumentation() {
                @Override
                public Object capture(ProcessRef<?> target, Object message) {
                    return traceContext.get();
                }

                @Override
                public Object beforeHandle(ProcessRef<?> process, Object message, Object captured, long queuedNanos) {
                    traceContext.set((String) captured);
                    return "scope-" + captured;
                }

                @Override
                public void afterHandle(Object scope, Throwable error, long handlingNanos) {
                    seen.add(scope + (error == null ? "" : " failed: " + error.getMessage()));
                    traceContext.remove();
                }
            };
            ProcessSpec<String, String, Void> spec = ProcessSpec.<String, String>named("traced")
                    .init(() -> "s")
                    .handler((state, msg, tools) -> {
                        seen.add("handler sees " + traceContext.get());
                        if (msg.equals("fail")) {
                            throw new IllegalStateException("traced failure");
                        }
                        return state;
                    })
                    .build();
            ProcessRef<String> ref = Processes.spawn(spec, kit.options().withInstrumentation(instrumentation));
            traceContext.set("trace-1");
            ref.send("ok");
            traceContext.set("trace-2");
            ref.send("fail");
            traceContext.remove();
            ref.termination().get(10, TimeUnit.SECONDS);
            assertEquals(
                    List.of(
                            "handler sees trace-1",
                            "scope-trace-1",
                            "handler sees trace-2",
                            "scope-trace-2 failed: traced failure"),
                    seen);
        }
    }

    @Nested
    class Threads {
        @Test
        void handlersRunOnThreadsFromTheGivenFactory() throws Exception {
            java.util.concurrent.ThreadFactory named =
                    Thread.ofVirtual().name("custom-drain-", 0).factory();
            List<String> threads = new CopyOnWriteArrayList<>();
            ProcessSpec<String, Void, Void> spec = ProcessSpec.<String, Void>named("placed")
                    .handler((state, msg, tools) -> {
                        threads.add(Thread.currentThread().getName());
                        return null;
                    })
                    .build();
            ProcessRef<String> ref = Processes.spawn(spec, kit.options().withThreadFactory(named));
            ref.send("a");
            events.awaitEvent(ProcessEvent.MessageHandled.class);
            ref.stop().get(10, TimeUnit.SECONDS);
            assertEquals(1, threads.size());
            assertTrue(threads.get(0).startsWith("custom-drain-"), threads.get(0));
        }

        @Test
        void byDefaultHandlersRunOnVirtualThreads() throws Exception {
            List<Boolean> virtual = new CopyOnWriteArrayList<>();
            ProcessSpec<String, Void, Void> spec = ProcessSpec.<String, Void>named("virtual")
                    .handler((state, msg, tools) -> {
                        virtual.add(Thread.currentThread().isVirtual());
                        return null;
                    })
                    .build();
            ProcessRef<String> ref = Processes.spawn(spec, kit.options());
            ref.send("a");
            events.awaitEvent(ProcessEvent.MessageHandled.class);
            ref.stop().get(10, TimeUnit.SECONDS);
            assertEquals(List.of(true), virtual);
        }
    }

    @Nested
    class Validation {
        @Test
        void aBlankNameIsRejectedAtTheBuilder() {
            assertEquals(
                    "name must not be blank",
                    assertThrows(IllegalArgumentException.class, () -> ProcessSpec.named(" "))
                            .getMessage());
            assertEquals(
                    "name",
                    assertThrows(NullPointerException.class, () -> ProcessSpec.named(null))
                            .getMessage());
        }

        @Test
        void aMailboxSmallerThanOneIsRejected() {
            assertEquals(
                    "maxInbox must be >= 1, was 0",
                    assertThrows(
                                    IllegalArgumentException.class,
                                    () -> ProcessSpec.named("x").maxInbox(0))
                            .getMessage());
        }

        @Test
        void aBuilderWithoutAHandlerFailsAtBuild() {
            NullPointerException npe = assertThrows(
                    NullPointerException.class, () -> ProcessSpec.named("x").build());
            assertTrue(npe.getMessage().startsWith("handler"), npe.getMessage());
        }

        @Test
        void aHandwrittenSpecIsValidatedAtSpawn() {
            ProcessSpec<String, Void, Void> tooSmall = new ProcessSpec<>() {
                @Override
                public String name() {
                    return "handwritten";
                }

                @Override
                public Void handle(Void state, String message, Tools<String> tools) {
                    return null;
                }

                @Override
                public int maxInbox() {
                    return 0;
                }
            };
            IllegalArgumentException failure = assertThrows(
                    IllegalArgumentException.class, () -> Processes.spawn(tooSmall, SpawnOptions.of(clock)));
            assertTrue(failure.getMessage().contains("maxInbox"), failure.getMessage());
        }

        @Test
        void nullOptionsAndArgumentsAreRejectedWithTheirNames() {
            assertEquals(
                    "clock",
                    assertThrows(NullPointerException.class, () -> SpawnOptions.of(null))
                            .getMessage());
            assertEquals(
                    "options",
                    assertThrows(
                                    NullPointerException.class,
                                    () -> Processes.spawn(
                                            ProcessSpec.<String, Void>named("x")
                                                    .handler((s, m, t) -> null)
                                                    .build(),
                                            null))
                            .getMessage());
            assertEquals(
                    "handler",
                    assertThrows(
                                    NullPointerException.class,
                                    () -> ProcessSpec.<String, Void>named("x").handler(null))
                            .getMessage());
            assertThrows(
                    IllegalArgumentException.class, () -> SpawnOptions.of(clock).withShutdownTimeout(Duration.ZERO));
        }
    }
}

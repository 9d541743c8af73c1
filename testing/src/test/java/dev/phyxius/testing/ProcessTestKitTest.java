package dev.phyxius.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phyxius.clock.Event;
import dev.phyxius.process.MailboxPolicy;
import dev.phyxius.process.ProcessEvent;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.ProcessStatus;
import dev.phyxius.process.Processes;
import dev.phyxius.process.SpawnOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ProcessTestKitTest {

    final ProcessTestKit kit = ProcessTestKit.create();
    /** What the scripted process handled, as "message@millis". */
    final List<String> handled = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() {
        kit.close();
    }

    /**
     * A process run by a script in its messages: "after:MS:NEXT" schedules NEXT after MS
     * milliseconds, "send:NEXT" sends NEXT to itself, "chain:N" schedules "chain:N-1" due now;
     * every message is recorded with the clock reading.
     */
    ProcessRef<String> scripted() {
        return kit.spawn(ProcessSpec.<String, Void>named("scripted")
                .handler((state, message, tools) -> {
                    handled.add(message + "@" + tools.clock().now().monoNanos() / 1_000_000);
                    String[] parts = message.split(":", 3);
                    switch (parts[0]) {
                        case "after" -> tools.schedule(Duration.ofMillis(Long.parseLong(parts[1])), parts[2]);
                        case "send" -> tools.self().send(parts[1]);
                        case "chain" -> {
                            int left = Integer.parseInt(parts[1]);
                            if (left > 0) {
                                tools.schedule(Duration.ZERO, "chain:" + (left - 1));
                            }
                        }
                        default -> {}
                    }
                    return null;
                })
                .build());
    }

    @Nested
    class AwaitIdle {

        @Test
        void returnsOnlyOnceEveryQueuedMessageIsHandled() {
            ProcessRef<String> ref = scripted();
            for (int i = 0; i < 500; i++) {
                ref.send("m" + i);
            }
            kit.awaitIdle();
            assertEquals(500, handled.size());
        }

        @Test
        void waitsForAChainOfTimersWhoseMessagesScheduleTheNextTimer() {
            ProcessRef<String> ref = scripted();
            // Each handled "chain:n" schedules a timer due now whose message schedules the next.
            ref.send("chain:20");
            kit.awaitIdle();
            assertEquals(21, handled.size(), handled::toString);
            assertEquals("chain:0@0", handled.get(20));
            assertEquals(0, kit.clock().monoNanos(), "running due timers does not move time");
        }

        @Test
        void waitsForMessagesPassedAlongBetweenProcesses() {
            ProcessRef<String> last = scripted();
            ProcessRef<String> middle = kit.spawn(ProcessSpec.<String, Void>named("middle")
                    .handler((state, message, tools) -> {
                        last.send(message + "+middle");
                        return null;
                    })
                    .build());
            ProcessRef<String> first = kit.spawn(ProcessSpec.<String, Void>named("first")
                    .handler((state, message, tools) -> {
                        middle.send(message + "+first");
                        return null;
                    })
                    .build());
            for (int i = 0; i < 50; i++) {
                first.send("m" + i);
            }
            kit.awaitIdle();
            assertEquals(50, handled.size());
            assertEquals("m49+first+middle@0", handled.get(49));
        }

        @Test
        void leavesTimersThatAreDueLaterPending() {
            scripted().send("after:100:late");
            kit.awaitIdle();
            assertEquals(List.of("after:100:late@0"), handled);
            assertEquals(1, kit.clock().pendingTimers());
        }

        @Test
        void failsNamingTheBusyProcessWhenAHandlerNeverFinishes() {
            CountDownLatch release = new CountDownLatch(1);
            ProcessRef<String> stuck = kit.spawn(ProcessSpec.<String, Void>named("stuck")
                    .handler((state, message, tools) -> {
                        release.await();
                        return null;
                    })
                    .build());
            stuck.send("block");
            AssertionError failure = assertThrows(AssertionError.class, () -> kit.awaitIdle(Duration.ofMillis(50)));
            assertTrue(failure.getMessage().contains("busy: [stuck"), failure.getMessage());
            assertTrue(failure.getMessage().contains("event log:"), failure.getMessage());
            release.countDown();
            kit.awaitIdle();
        }
    }

    @Nested
    class Advance {

        @Test
        void runsATimerWhoseMessageSchedulesAnotherTimerWithinTheSameAdvance() {
            scripted().send("after:100:after:100:after:100:done");
            kit.advance(Duration.ofMillis(300));
            assertEquals(
                    List.of(
                            "after:100:after:100:after:100:done@0",
                            "after:100:after:100:done@100",
                            "after:100:done@200",
                            "done@300"),
                    handled);
        }

        @Test
        void leavesTimersDueAfterTheWindowForTheNextAdvance() {
            scripted().send("after:100:after:100:after:100:done");
            kit.advance(Duration.ofMillis(250));
            assertEquals(3, handled.size(), handled::toString);
            kit.advance(Duration.ofMillis(49));
            assertEquals(3, handled.size(), "not a millisecond early");
            kit.advance(Duration.ofMillis(1));
            assertEquals("done@300", handled.get(3));
        }

        @Test
        void endsExactlyAtTheTargetTime() {
            scripted().send("after:70:x");
            kit.advance(Duration.ofMillis(100));
            assertEquals(Duration.ofMillis(100).toNanos(), kit.clock().monoNanos());
            kit.advance(Duration.ZERO);
            assertEquals(Duration.ofMillis(100).toNanos(), kit.clock().monoNanos());
        }

        @Test
        void firstSettlesWhatWasSentBeforeMovingTime() {
            ProcessRef<String> ref = scripted();
            ref.send("after:10:x");
            // The schedule is made by the handler; advance must not move time before it runs.
            kit.advance(Duration.ofMillis(10));
            assertEquals(List.of("after:10:x@0", "x@10"), handled);
        }

        @Test
        void ticksAFixedRateScheduleOncePerPeriod() {
            List<Long> ticks = new CopyOnWriteArrayList<>();
            ProcessRef<String> ref = kit.spawn(ProcessSpec.<String, Void>named("ticker")
                    .handler((state, message, tools) -> {
                        if (message.equals("start")) {
                            tools.scheduleAtFixedRate("tick", Duration.ofSeconds(1), "tick");
                        } else {
                            ticks.add(tools.clock().now().monoNanos() / 1_000_000_000);
                        }
                        return null;
                    })
                    .build());
            ref.send("start");
            kit.advance(Duration.ofSeconds(5));
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L), ticks);
        }

        @Test
        void rejectsANegativeDuration() {
            IllegalArgumentException failure =
                    assertThrows(IllegalArgumentException.class, () -> kit.advance(Duration.ofMillis(-1)));
            assertTrue(failure.getMessage().contains("by"), failure.getMessage());
            assertThrows(NullPointerException.class, () -> kit.advance(null));
        }
    }

    @Nested
    class Events {

        @Test
        void recordsTheLifecycleAndMessagesOfWhatTheKitSpawned() {
            ProcessRef<String> ref = scripted();
            ref.send("hello");
            kit.awaitIdle();
            ref.stop().join();
            assertEquals(1, kit.events().ofType(ProcessEvent.Started.class).size());
            ProcessEvent.MessageHandled handledEvent = kit.events()
                    .assertCount(ProcessEvent.MessageHandled.class, 1)
                    .get(0);
            assertEquals(String.class, handledEvent.messageType());
            assertEquals(
                    ref.id(),
                    kit.events().awaitEvent(ProcessEvent.Stopped.class).id());
        }

        @Test
        void awaitEventFindsAnEventRecordedBeforeTheCall() {
            ProcessRef<String> ref = scripted();
            ProcessEvent.Started started =
                    kit.events().awaitEvent(ProcessEvent.Started.class, e -> e.id().equals(ref.id()));
            assertEquals("scripted", started.name());
        }

        @Test
        void awaitEventFailsWithTheEventLogWhenNothingMatches() {
            scripted();
            AssertionError failure = assertThrows(
                    AssertionError.class,
                    () -> kit.events().awaitEvent(ProcessEvent.Failed.class, e -> true, Duration.ofMillis(20)));
            assertTrue(failure.getMessage().contains("ProcessEvent.Failed"), failure.getMessage());
            assertTrue(failure.getMessage().contains("ProcessEvent.Started[id="), failure.getMessage());
        }

        @Test
        void assertNoneFailsWithTheEventLogWhenSuchAnEventWasRecorded() {
            ProcessRef<String> ref = scripted();
            kit.events().assertNone(ProcessEvent.MessageHandled.class);
            ref.send("hello");
            kit.awaitIdle();
            AssertionError failure = assertThrows(
                    AssertionError.class, () -> kit.events().assertNone(ProcessEvent.MessageHandled.class));
            assertTrue(failure.getMessage().contains("event log:"), failure.getMessage());
            assertTrue(failure.getMessage().contains("#1"), failure.getMessage());
        }

        @Test
        void theDumpListsOneEventPerLineWithItsTime() {
            scripted().send("after:1500:x");
            kit.advance(Duration.ofSeconds(2));
            List<String> lines = kit.events().dump().lines().toList();
            assertEquals(kit.events().all().size(), lines.size());
            assertTrue(lines.get(lines.size() - 1).contains("+1500ms"), lines.toString());
        }

        @Test
        void recordsEventsThatAHandlerEmits() {
            record Audit(dev.phyxius.clock.Timestamp at, String what) implements Event {}
            ProcessRef<String> ref = kit.spawn(ProcessSpec.<String, Void>named("auditing")
                    .handler((state, message, tools) -> {
                        tools.events().emit(new Audit(tools.clock().now(), message));
                        return null;
                    })
                    .build());
            ref.send("login");
            assertEquals("login", kit.events().awaitEvent(Audit.class).what());
        }
    }

    @Nested
    class Teardown {

        ProcessRef<String> failing() {
            return kit.spawn(ProcessSpec.<String, Void>named("failing")
                    .handler((state, message, tools) -> {
                        throw new IllegalStateException("boom on " + message);
                    })
                    .build());
        }

        @Test
        void closeStopsEveryProcessTheKitMade() {
            ProcessRef<String> ref = scripted();
            TestProbe<String> probe = kit.probe("probe");
            kit.close();
            assertEquals(ProcessStatus.STOPPED, ref.status());
            assertEquals(ProcessStatus.STOPPED, probe.status());
            assertThrows(IllegalStateException.class, () -> scripted());
        }

        @Test
        void anUnexpectedFailureFailsTheCheckWithTheErrorAsCause() {
            failing().send("x");
            kit.awaitIdle();
            kit.close();
            AssertionError failure = assertThrows(AssertionError.class, kit::assertNothingUnexpected);
            assertTrue(failure.getMessage().contains("ProcessEvent.Failed failing"), failure.getMessage());
            assertInstanceOf(IllegalStateException.class, failure.getCause());
        }

        @Test
        void aDeclaredFailurePassesTheCheck() {
            kit.expectFailures();
            failing().send("x");
            kit.awaitIdle();
            kit.close();
            kit.assertNothingUnexpected();
        }

        @Test
        void aMessageEvictedFromAFullMailboxFailsTheCheckUnlessDeclared() throws Exception {
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            ProcessRef<String> ref = kit.spawn(ProcessSpec.<String, Void>named("small")
                    .handler((state, message, tools) -> {
                        entered.countDown();
                        release.await();
                        return null;
                    })
                    .maxInbox(1)
                    .mailboxPolicy(MailboxPolicy.DROP_OLDEST)
                    .build());
            ref.send("first");
            // Once "first" is being handled, the next two compete for the one slot.
            assertTrue(entered.await(10, TimeUnit.SECONDS));
            ref.send("second");
            ref.send("third");
            release.countDown();
            kit.awaitIdle();
            AssertionError failure = assertThrows(AssertionError.class, kit::assertNothingUnexpected);
            assertTrue(failure.getMessage().contains("MessageDropped small (EVICTED): second"), failure.getMessage());
            kit.expectDrops();
            kit.assertNothingUnexpected();
        }

        @Test
        void messagesLeftQueuedWhenTheKitStopsAProcessAreNotDrops() {
            ProcessRef<String> sleeper = kit.spawn(ProcessSpec.<String, Void>named("sleeper")
                    .handler((state, message, tools) -> {
                        tools.clock().sleep(Duration.ofSeconds(1));
                        return null;
                    })
                    .build());
            sleeper.send("sleep");
            sleeper.send("queued");
            // The handler sleeps on the controlled clock: close must advance past the shutdown
            // timeout to get it out.
            kit.close();
            assertEquals(ProcessStatus.STOPPED, sleeper.status());
            kit.events()
                    .awaitEvent(
                            ProcessEvent.MessageDropped.class, e -> e.message().equals("queued"));
            kit.assertNothingUnexpected();
        }

        @Test
        void messagesDroppedByAStopTheTestMadeFailTheCheckUnlessDeclared() {
            CountDownLatch release = new CountDownLatch(1);
            ProcessRef<String> ref = kit.spawn(ProcessSpec.<String, Void>named("stopped")
                    .handler((state, message, tools) -> {
                        release.await();
                        return null;
                    })
                    .build());
            ref.send("first");
            ref.send("queued");
            var stopped = ref.stop();
            release.countDown();
            stopped.join();
            AssertionError failure = assertThrows(AssertionError.class, kit::assertNothingUnexpected);
            assertTrue(failure.getMessage().contains("(STOPPED): queued"), failure.getMessage());
            kit.expectDrops();
            kit.assertNothingUnexpected();
        }

        @Test
        void watchTracksAProcessSpawnedWithTheKitsOptions() {
            ProcessRef<String> ref = kit.watch(Processes.spawn(
                    ProcessSpec.<String, Void>named("outside")
                            .handler((state, message, tools) -> {
                                tools.schedule(Duration.ofSeconds(1), "later");
                                return null;
                            })
                            .build(),
                    kit.options()));
            ref.send("now");
            kit.advance(Duration.ofSeconds(1));
            kit.events().assertCount(ProcessEvent.MessageHandled.class, 2);
            kit.close();
            assertEquals(ProcessStatus.STOPPED, ref.status());
        }

        @Test
        void theKitsClockReportsTimerFailuresAsEventsThatFailTheCheck() {
            kit.clock().schedule(Duration.ofSeconds(1), () -> {
                throw new IllegalStateException("timer broke");
            });
            kit.advance(Duration.ofSeconds(1));
            AssertionError failure = assertThrows(AssertionError.class, kit::assertNothingUnexpected);
            assertTrue(failure.getMessage().contains("ClockEvent.TaskFailed"), failure.getMessage());
        }
    }

    @Test
    void theKitsOptionsUseItsClock() {
        assertSame(kit.clock(), kit.options().clock());
        assertTrue(kit.options().events().isPresent());
    }

    @Nested
    class AwaitCondition {

        @Test
        void returnsOnceAConditionNoEventAnnouncesHolds() {
            ProcessRef<String> ref = scripted();
            ref.send("after:5:late");
            // The timer is armed inside the handler, before its MessageHandled is recorded.
            kit.awaitCondition("the timer is armed", () -> kit.clock().pendingTimers() == 1);
            assertEquals(1, kit.clock().pendingTimers());
        }

        @Test
        void failsNamingTheConditionWithTheEventLog() {
            scripted();
            AssertionError failure = assertThrows(
                    AssertionError.class, () -> kit.awaitCondition("pigs fly", () -> false, Duration.ofMillis(20)));
            assertTrue(failure.getMessage().contains("waiting until pigs fly"), failure.getMessage());
            assertTrue(failure.getMessage().contains("ProcessEvent.Started[id="), failure.getMessage());
        }

        @Test
        void namesItsNullArgument() {
            assertEquals(
                    "what",
                    assertThrows(NullPointerException.class, () -> kit.awaitCondition(null, () -> true))
                            .getMessage());
            assertEquals(
                    "condition",
                    assertThrows(NullPointerException.class, () -> kit.awaitCondition("x", null))
                            .getMessage());
            assertEquals(
                    "timeout",
                    assertThrows(NullPointerException.class, () -> kit.awaitCondition("x", () -> true, null))
                            .getMessage());
        }
    }

    @Test
    void whatIsEmittedToTheEventSinkIsRecordedAndCountsAtTeardown() {
        ProcessRef<String> ref = Processes.spawn(
                ProcessSpec.<String, Void>named("outside")
                        .handler((state, message, tools) -> {
                            throw new IllegalStateException(message);
                        })
                        .build(),
                SpawnOptions.of(kit.clock()).withEvents(kit.eventSink()));
        kit.watch(ref).send("boom");
        assertEquals(
                "boom",
                kit.events().awaitEvent(ProcessEvent.Failed.class).error().getMessage());
        assertThrows(AssertionError.class, kit::assertNothingUnexpected, "an undeclared failure");
        kit.expectFailures();
        kit.assertNothingUnexpected();
    }
}

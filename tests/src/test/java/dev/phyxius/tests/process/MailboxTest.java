package dev.phyxius.tests.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phyxius.process.MailboxPolicy;
import dev.phyxius.process.ProcessEvent;
import dev.phyxius.process.ProcessEvent.DropReason;
import dev.phyxius.process.ProcessEvent.RejectReason;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.testing.ControlledClock;
import dev.phyxius.testing.ProcessTestKit;
import dev.phyxius.testing.RecordedEvents;
import dev.phyxius.tests.support.Gate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class MailboxTest {

    final ProcessTestKit kit = ProcessTestKit.create();
    final ControlledClock clock = kit.clock();
    final RecordedEvents events = kit.events();
    final Gate gate = new Gate();
    final List<Integer> handled = new CopyOnWriteArrayList<>();

    /** Blocks on message 0, records every message. */
    ProcessRef<Integer> spawn(int maxInbox, MailboxPolicy policy) {
        ProcessSpec<Integer, Void, Void> spec = ProcessSpec.<Integer, Void>named("box")
                .handler((state, msg, tools) -> {
                    if (msg == 0) {
                        gate.pass();
                    }
                    handled.add(msg);
                    return null;
                })
                .maxInbox(maxInbox)
                .mailboxPolicy(policy)
                .build();
        return kit.spawn(spec);
    }

    @AfterEach
    void tearDown() {
        kit.close();
    }

    /** Waits until the process has handled all it accepted, and checks that this was {@code messages}. */
    void settle(int messages) {
        kit.awaitIdle();
        events.assertCount(ProcessEvent.MessageHandled.class, messages);
    }

    @Nested
    class UnderReject {
        @Test
        void aFullMailboxRefusesTheNewMessageAndReportsIt() throws Exception {
            ProcessRef<Integer> ref = spawn(2, MailboxPolicy.REJECT);
            assertTrue(ref.send(0));
            gate.awaitEntered();
            assertTrue(ref.send(1), "the message in progress does not count against the mailbox");
            assertTrue(ref.send(2));
            assertFalse(ref.send(3));
            ProcessEvent.MessageRejected rejected = events.awaitEvent(ProcessEvent.MessageRejected.class);
            assertEquals(3, rejected.message());
            assertEquals(RejectReason.MAILBOX_FULL, rejected.reason());
            gate.open();
            settle(3);
            assertEquals(List.of(0, 1, 2), handled);
            assertTrue(ref.send(4), "room again once the queue drained");
            settle(4);
            ref.stop().join();
        }

        @Test
        void aNullMessageIsRefusedWithAnExceptionNamingIt() {
            ProcessRef<Integer> ref = spawn(2, MailboxPolicy.REJECT);
            NullPointerException npe = assertThrows(NullPointerException.class, () -> ref.send(null));
            assertEquals("message", npe.getMessage());
            ref.stop().join();
        }
    }

    @Nested
    class MailboxSize {
        @Test
        void countsTheQueuedMessagesButNotTheOneInProgress() throws Exception {
            ProcessRef<Integer> ref = spawn(4, MailboxPolicy.REJECT);
            assertEquals(0, ref.mailboxSize());
            assertTrue(ref.send(0));
            gate.awaitEntered();
            assertEquals(0, ref.mailboxSize(), "the message in progress has left the mailbox");
            ref.send(1);
            ref.send(2);
            assertEquals(2, ref.mailboxSize());
            gate.open();
            settle(3);
            assertEquals(0, ref.mailboxSize());
            ref.stop().join();
        }

        @Test
        void isZeroOnceAStopHasReportedTheQueuedMessages() throws Exception {
            ProcessRef<Integer> ref = spawn(4, MailboxPolicy.DROP_OLDEST);
            ref.send(0);
            gate.awaitEntered();
            ref.send(1);
            ref.send(2);
            assertEquals(2, ref.mailboxSize());
            var stopped = ref.stop();
            gate.open();
            stopped.join();
            assertEquals(0, ref.mailboxSize());
            List<ProcessEvent.MessageDropped> dropped = events.assertCount(ProcessEvent.MessageDropped.class, 2);
            assertEquals(
                    List.of(1, 2),
                    dropped.stream().map(ProcessEvent.MessageDropped::message).toList());
            assertTrue(dropped.stream().allMatch(d -> d.reason() == DropReason.STOPPED), dropped::toString);
        }
    }

    @Nested
    class UnderDropOldest {
        @Test
        void aFullMailboxEvictsTheOldestAndAcceptsTheNew() throws Exception {
            ProcessRef<Integer> ref = spawn(2, MailboxPolicy.DROP_OLDEST);
            assertTrue(ref.send(0));
            gate.awaitEntered();
            assertTrue(ref.send(1));
            assertTrue(ref.send(2));
            assertTrue(ref.send(3), "drop-oldest always accepts");
            ProcessEvent.MessageDropped dropped = events.awaitEvent(ProcessEvent.MessageDropped.class);
            assertEquals(1, dropped.message());
            assertEquals(DropReason.EVICTED, dropped.reason());
            gate.open();
            settle(3);
            assertEquals(List.of(0, 2, 3), handled);
            ref.stop().join();
        }
    }

    @Nested
    class SendWithTimeout {
        @Test
        void waitsForRoomAndSucceedsOnceTheHandlerMovesOn() throws Exception {
            ProcessRef<Integer> ref = spawn(1, MailboxPolicy.REJECT);
            ref.send(0);
            gate.awaitEntered();
            assertTrue(ref.send(1));
            AtomicBoolean accepted = new AtomicBoolean();
            Thread producer = Thread.ofVirtual().start(() -> {
                try {
                    accepted.set(ref.send(2, Duration.ofSeconds(5)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            kit.awaitCondition(
                    "the producer waits",
                    () -> producer.getState() == Thread.State.WAITING
                            || producer.getState() == Thread.State.TIMED_WAITING);
            assertFalse(accepted.get());
            gate.open();
            producer.join(TimeUnit.SECONDS.toMillis(10));
            assertTrue(accepted.get());
            settle(3);
            assertEquals(List.of(0, 1, 2), handled);
            events.assertNone(ProcessEvent.MessageRejected.class);
            ref.stop().join();
        }

        @Test
        void givesUpWhenTheTimeoutRunsOutOnTheProcessClock() throws Exception {
            ProcessRef<Integer> ref = spawn(1, MailboxPolicy.REJECT);
            ref.send(0);
            gate.awaitEntered();
            assertTrue(ref.send(1));
            AtomicBoolean done = new AtomicBoolean();
            AtomicBoolean accepted = new AtomicBoolean(true);
            Thread producer = Thread.ofVirtual().start(() -> {
                try {
                    accepted.set(ref.send(2, Duration.ofMillis(100)));
                    done.set(true);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            kit.awaitCondition("the producer waits, on the clock", () -> clock.pendingTimers() >= 1);
            clock.advance(Duration.ofMillis(99));
            assertFalse(done.get());
            clock.advance(Duration.ofMillis(1));
            producer.join(TimeUnit.SECONDS.toMillis(10));
            assertTrue(done.get());
            assertFalse(accepted.get());
            ProcessEvent.MessageRejected rejected = events.awaitEvent(ProcessEvent.MessageRejected.class);
            assertEquals(2, rejected.message());
            assertEquals(RejectReason.MAILBOX_FULL, rejected.reason());
            gate.open();
            ref.stop().join();
        }
    }
}

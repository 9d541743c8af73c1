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
import dev.phyxius.process.Processes;
import dev.phyxius.process.SpawnOptions;
import dev.phyxius.testing.ControlledClock;
import dev.phyxius.tests.support.EventLog;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class MailboxTest {

    final ControlledClock clock = ControlledClock.create();
    final EventLog events = new EventLog();
    final Blocker blocker = new Blocker();
    final List<Integer> handled = new CopyOnWriteArrayList<>();

    /** Blocks on message 0, records every message. */
    ProcessRef<Integer> spawn(int maxInbox, MailboxPolicy policy) {
        ProcessSpec<Integer, Void, Void> spec = ProcessSpec.<Integer, Void>named("box")
                .handler((state, msg, tools) -> {
                    if (msg == 0) {
                        blocker.block();
                    }
                    handled.add(msg);
                    return null;
                })
                .maxInbox(maxInbox)
                .mailboxPolicy(policy)
                .build();
        return Processes.spawn(spec, SpawnOptions.of(clock).withEvents(events));
    }

    @Nested
    class UnderReject {
        @Test
        void aFullMailboxRefusesTheNewMessageAndReportsIt() throws Exception {
            ProcessRef<Integer> ref = spawn(2, MailboxPolicy.REJECT);
            assertTrue(ref.send(0));
            blocker.awaitEntered();
            assertTrue(ref.send(1), "the message in progress does not count against the mailbox");
            assertTrue(ref.send(2));
            assertFalse(ref.send(3));
            ProcessEvent.MessageRejected rejected = events.await(ProcessEvent.MessageRejected.class);
            assertEquals(3, rejected.message());
            assertEquals(RejectReason.MAILBOX_FULL, rejected.reason());
            blocker.release();
            events.await(ProcessEvent.MessageHandled.class, 3);
            assertEquals(List.of(0, 1, 2), handled);
            assertTrue(ref.send(4), "room again once the queue drained");
            events.await(ProcessEvent.MessageHandled.class, 4);
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
            blocker.awaitEntered();
            assertEquals(0, ref.mailboxSize(), "the message in progress has left the mailbox");
            ref.send(1);
            ref.send(2);
            assertEquals(2, ref.mailboxSize());
            blocker.release();
            events.await(ProcessEvent.MessageHandled.class, 3);
            assertEquals(0, ref.mailboxSize());
            ref.stop().join();
        }

        @Test
        void isZeroOnceAStopHasReportedTheQueuedMessages() throws Exception {
            ProcessRef<Integer> ref = spawn(4, MailboxPolicy.DROP_OLDEST);
            ref.send(0);
            blocker.awaitEntered();
            ref.send(1);
            ref.send(2);
            assertEquals(2, ref.mailboxSize());
            var stopped = ref.stop();
            blocker.release();
            stopped.join();
            assertEquals(0, ref.mailboxSize());
            assertEquals(2, events.count(ProcessEvent.MessageDropped.class));
        }
    }

    @Nested
    class UnderDropOldest {
        @Test
        void aFullMailboxEvictsTheOldestAndAcceptsTheNew() throws Exception {
            ProcessRef<Integer> ref = spawn(2, MailboxPolicy.DROP_OLDEST);
            assertTrue(ref.send(0));
            blocker.awaitEntered();
            assertTrue(ref.send(1));
            assertTrue(ref.send(2));
            assertTrue(ref.send(3), "drop-oldest always accepts");
            ProcessEvent.MessageDropped dropped = events.await(ProcessEvent.MessageDropped.class);
            assertEquals(1, dropped.message());
            assertEquals(DropReason.EVICTED, dropped.reason());
            blocker.release();
            events.await(ProcessEvent.MessageHandled.class, 3);
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
            blocker.awaitEntered();
            assertTrue(ref.send(1));
            AtomicBoolean accepted = new AtomicBoolean();
            Thread producer = Thread.ofVirtual().start(() -> {
                try {
                    accepted.set(ref.send(2, Duration.ofSeconds(5)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            EventLog.until("the producer waits", () -> producer.getState() == Thread.State.WAITING
                    || producer.getState() == Thread.State.TIMED_WAITING);
            assertFalse(accepted.get());
            blocker.release();
            producer.join(TimeUnit.SECONDS.toMillis(10));
            assertTrue(accepted.get());
            events.await(ProcessEvent.MessageHandled.class, 3);
            assertEquals(List.of(0, 1, 2), handled);
            assertEquals(0, events.count(ProcessEvent.MessageRejected.class));
            ref.stop().join();
        }

        @Test
        void givesUpWhenTheTimeoutRunsOutOnTheProcessClock() throws Exception {
            ProcessRef<Integer> ref = spawn(1, MailboxPolicy.REJECT);
            ref.send(0);
            blocker.awaitEntered();
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
            EventLog.until("the producer waits", () -> clock.pendingTimers() >= 1);
            clock.advance(Duration.ofMillis(99));
            assertFalse(done.get());
            clock.advance(Duration.ofMillis(1));
            producer.join(TimeUnit.SECONDS.toMillis(10));
            assertTrue(done.get());
            assertFalse(accepted.get());
            assertEquals(2, events.await(ProcessEvent.MessageRejected.class).message());
            blocker.release();
            ref.stop().join();
        }
    }
}

package dev.phyxius.tests.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phyxius.process.ProcessEvent;
import dev.phyxius.process.ProcessInstrumentation;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.Processes;
import dev.phyxius.process.Reply;
import dev.phyxius.process.SpawnOptions;
import dev.phyxius.supervisor.Supervisor;
import dev.phyxius.supervisor.SupervisorOptions;
import dev.phyxius.testing.ControlledClock;
import dev.phyxius.testing.ProcessTestKit;
import dev.phyxius.testing.RecordedEvents;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link SpawnOptions#withTimingSample}: some messages timed, every one counted, and every hook
 * call still made.
 */
@Timeout(30)
class TimingSampleTest {

    static final int SENDERS = 4;
    static final int PER_SENDER = 2_000;

    final ProcessTestKit kit = ProcessTestKit.create();
    final ControlledClock clock = kit.clock();
    final RecordedEvents events = kit.events();

    @AfterEach
    void tearDown() {
        kit.close();
    }

    sealed interface Msg {}

    record Work(int n) implements Msg {}

    record Boom() implements Msg {}

    record Count(Reply<Integer> reply) implements Msg {}

    static ProcessSpec<Msg, Integer, Void> counter() {
        return ProcessSpec.<Msg, Integer>named("sampled")
                .init(() -> 0)
                .maxInbox(100_000)
                .handler((count, msg, tools) -> switch (msg) {
                    case Work w -> count + 1;
                    case Boom b -> throw new IllegalStateException("boom");
                    case Count c -> {
                        c.reply().send(count);
                        yield count;
                    }
                })
                .build();
    }

    /** Counts the hook calls and how many of each side saw a measured duration. */
    static final class Hook implements ProcessInstrumentation {
        final int sample;
        final boolean everyMessage;
        final AtomicInteger captures = new AtomicInteger();
        final AtomicInteger before = new AtomicInteger();
        final AtomicInteger beforeTimed = new AtomicInteger();
        final AtomicInteger after = new AtomicInteger();
        final AtomicInteger afterTimed = new AtomicInteger();
        final AtomicInteger mismatched = new AtomicInteger();

        Hook(int sample) {
            this(sample, true);
        }

        Hook(int sample, boolean everyMessage) {
            this.sample = sample;
            this.everyMessage = everyMessage;
        }

        @Override
        public int timingSample() {
            return sample;
        }

        @Override
        public boolean hooksEveryMessage() {
            return everyMessage;
        }

        @Override
        public Object capture(ProcessRef<?> target, Object message) {
            captures.incrementAndGet();
            return message; // travels with the message, checked in beforeHandle
        }

        @Override
        public Object beforeHandle(ProcessRef<?> process, Object message, Object captured, long queuedNanos) {
            before.incrementAndGet();
            if (captured != message) {
                mismatched.incrementAndGet();
            }
            if (queuedNanos >= 0) {
                beforeTimed.incrementAndGet();
            } else if (queuedNanos != -1) {
                mismatched.incrementAndGet();
            }
            return queuedNanos >= 0 ? Boolean.TRUE : Boolean.FALSE;
        }

        @Override
        public void afterHandle(Object scope, Throwable error, long handlingNanos) {
            after.incrementAndGet();
            if (handlingNanos >= 0) {
                afterTimed.incrementAndGet();
            }
            // A message is timed on both sides or on neither.
            if ((handlingNanos >= 0) != Boolean.TRUE.equals(scope)) {
                mismatched.incrementAndGet();
            }
        }
    }

    /** Sends PER_SENDER messages from each of SENDERS threads, then waits for all to be handled. */
    static void sendFromManyThreads(ProcessRef<Msg> ref) throws Exception {
        List<CompletableFuture<Integer>> lasts = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < SENDERS; s++) {
            CompletableFuture<Integer> last = new CompletableFuture<>();
            lasts.add(last);
            threads.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < PER_SENDER; i++) {
                    assertTrue(ref.send(new Work(i)));
                }
                // Handled after every message of this sender: its sends are in order.
                ref.<Integer>ask(Count::new).whenComplete((v, e) -> {
                    if (e != null) {
                        last.completeExceptionally(e);
                    } else {
                        last.complete(v);
                    }
                });
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        for (CompletableFuture<Integer> last : lasts) {
            last.get(20, TimeUnit.SECONDS);
        }
    }

    /** Waits for a condition that the process's thread makes true after a reply was sent. */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.onSpinWait();
        }
    }

    @Test
    void aSampleTimesSomeMessagesAndCountsEveryOne() throws Exception {
        Hook hook = new Hook(1);
        ProcessRef<Msg> ref = Processes.spawn(
                counter(),
                SpawnOptions.of(clock)
                        .withEvents(kit.eventSink())
                        .withInstrumentation(hook)
                        .withTimingSample(16));
        sendFromManyThreads(ref);

        int total = SENDERS * PER_SENDER + SENDERS; // the work and one ask per sender
        // The count and the hooks run after the reply is sent: wait for the last of them.
        await("every afterHandle", () -> hook.after.get() == total);
        assertEquals(total, ref.handledCount());
        assertEquals(total, hook.before.get());
        // Every message reached both hooks; the timed ones, and only they, had durations.
        assertEquals(hook.beforeTimed.get(), hook.afterTimed.get());
        assertEquals(0, hook.mismatched.get());
        int timed = hook.afterTimed.get();
        // One in 16 of 8,004 is about 500; the draw is random, so allow for it (sd ~ 22).
        assertTrue(timed > 300 && timed < 700, "timed " + timed + " of " + total);
        // The events are exactly the timed messages.
        await(
                "an event per timed message",
                () -> events.ofType(ProcessEvent.MessageHandled.class).size() == timed);
        assertEquals(SENDERS * PER_SENDER, ref.<Integer>ask(Count::new).get(5, TimeUnit.SECONDS));
    }

    @Test
    void anInstrumentationThatWantsOnlyTimedMessagesIsCalledForThoseAlone() throws Exception {
        Hook hook = new Hook(16, false);
        ProcessRef<Msg> ref = Processes.spawn(
                counter(), SpawnOptions.of(clock).withEvents(kit.eventSink()).withInstrumentation(hook));
        sendFromManyThreads(ref);
        int total = SENDERS * PER_SENDER + SENDERS;
        // A message's hooks and event come before the next message's handler: once every message
        // is counted, only the last one's may be outstanding, and then before != after or the
        // events lag behind.
        await(
                "the last message's hooks and event",
                () -> ref.handledCount() == total
                        && hook.before.get() == hook.after.get()
                        && events.ofType(ProcessEvent.MessageHandled.class).size() == hook.after.get());

        int timed = hook.after.get();
        assertTrue(timed > 300 && timed < 700, "timed " + timed + " of " + total);
        // Called for the timed messages only, with their capture and their durations.
        assertEquals(timed, hook.captures.get());
        assertEquals(timed, hook.beforeTimed.get());
        assertEquals(timed, hook.afterTimed.get());
        assertEquals(0, hook.mismatched.get());
    }

    @Test
    void combinedWithOneThatWantsEveryMessageBothAreCalledForEvery() throws Exception {
        Hook timedOnly = new Hook(16, false);
        Hook every = new Hook(16, true);
        ProcessInstrumentation combined = ProcessInstrumentation.combine(every, timedOnly);
        assertTrue(combined.hooksEveryMessage());
        assertTrue(
                !ProcessInstrumentation.combine(timedOnly, new Hook(16, false)).hooksEveryMessage());
        ProcessRef<Msg> ref = Processes.spawn(counter(), SpawnOptions.of(clock).withInstrumentation(combined));
        sendFromManyThreads(ref);
        int total = SENDERS * PER_SENDER + SENDERS;
        await("every afterHandle", () -> timedOnly.after.get() == total && every.after.get() == total);
        assertEquals(total, timedOnly.captures.get());
        assertEquals(timedOnly.afterTimed.get(), every.afterTimed.get());
        assertEquals(0, timedOnly.mismatched.get() + every.mismatched.get());
    }

    @Test
    void withoutASampleEveryMessageIsTimed() throws Exception {
        Hook hook = new Hook(1);
        ProcessRef<Msg> ref = Processes.spawn(
                counter(), SpawnOptions.of(clock).withEvents(kit.eventSink()).withInstrumentation(hook));
        sendFromManyThreads(ref);

        int total = SENDERS * PER_SENDER + SENDERS;
        events.awaitEvents(ProcessEvent.MessageHandled.class, total);
        assertEquals(total, ref.handledCount());
        assertEquals(total, hook.beforeTimed.get());
        assertEquals(total, hook.afterTimed.get());
        assertEquals(0, hook.mismatched.get());
    }

    @Test
    void theInstrumentationAsksForASampleAndTheOptionsOverruleIt() throws Exception {
        Hook rare = new Hook(Integer.MAX_VALUE); // about one message in two billion
        ProcessRef<Msg> asked = Processes.spawn(
                counter(), SpawnOptions.of(clock).withEvents(kit.eventSink()).withInstrumentation(rare));
        for (int i = 0; i < 500; i++) {
            asked.send(new Work(i));
        }
        assertEquals(500, asked.<Integer>ask(Count::new).get(5, TimeUnit.SECONDS));
        await("every afterHandle", () -> rare.after.get() == 501);
        assertEquals(0, rare.afterTimed.get());

        Hook overruled = new Hook(Integer.MAX_VALUE);
        ProcessRef<Msg> every = Processes.spawn(
                counter(),
                SpawnOptions.of(clock)
                        .withEvents(kit.eventSink())
                        .withInstrumentation(overruled)
                        .withTimingSample(1));
        for (int i = 0; i < 500; i++) {
            every.send(new Work(i));
        }
        assertEquals(500, every.<Integer>ask(Count::new).get(5, TimeUnit.SECONDS));
        events.awaitEvents(ProcessEvent.MessageHandled.class, 501, e -> e.id().equals(every.id()));
        assertEquals(501, overruled.afterTimed.get());
    }

    @Test
    void theCountLeavesOutFailedMessagesAndGoesOnAcrossRestarts() throws Exception {
        try (Supervisor supervisor = new Supervisor(SupervisorOptions.of(clock).withEvents(kit.eventSink()))) {
            ProcessRef<Msg> ref = supervisor.spawn(counter());
            ref.send(new Work(1));
            ref.send(new Boom());
            events.awaitEvent(ProcessEvent.Restarted.class);
            ref.send(new Work(2));
            // The new life starts from 0: it counted one message; the ref handled that and the first.
            assertEquals(1, ref.<Integer>ask(Count::new).get(5, TimeUnit.SECONDS));
            await("the Count counted", () -> ref.handledCount() >= 3);
            assertEquals(3, ref.handledCount(), "two Work and the Count; not the Boom");
        }
    }

    @Test
    void aSampleBelowOneIsRefusedByName() {
        SpawnOptions<Void> options = SpawnOptions.of(clock);
        assertEquals(OptionalInt.empty(), options.timingSample());
        assertEquals(OptionalInt.of(16), options.withTimingSample(16).timingSample());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> options.withTimingSample(0));
        assertTrue(e.getMessage().contains("oneIn"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> options.withTimingSample(-3));
    }
}

package dev.phyxius.tests.observability;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.phyxius.clock.Clock;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.Processes;
import dev.phyxius.process.SpawnOptions;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Without an event sink or an instrumentation, sending and handling a message allocates nothing
 * but the mailbox's node for it. Measured with the JVM's exact per-thread allocation counters
 * ({@code com.sun.management.ThreadMXBean}), not with a profiler or a timing.
 *
 * <p>What is measured, separately:
 * <ul>
 *   <li><b>send</b>: the bytes the sending thread allocates for {@value #MESSAGES} sends of one
 *       shared message object into a mailbox large enough to take them all (no refusal, no
 *       wait);</li>
 *   <li><b>handle</b>: the bytes every platform thread allocates (a virtual thread's allocations
 *       count on its carrier) while the process handles those messages in one go: its handler
 *       was held while they were sent, so the drain never runs dry and never starts a new
 *       thread in between.</li>
 * </ul>
 * Each is taken as the best of several rounds after a warm-up, so that JIT compilation and
 * unrelated threads (the test harness, JFR, GC bookkeeping) cannot make it fail; an allocation
 * per message shows in every round.
 *
 * <p>The bound: a send may allocate one mailbox node (an object with two references: 24 bytes
 * with compressed pointers, computed below from the running JVM's flags) plus less than the
 * smallest Java object (16 bytes, or 8 with compact headers), and handling less than that
 * smallest object per message. So a second object per send, or any object per handled message,
 * fails the test. If a mailbox redesign drops the node, {@link #nodeBytes()} is the one number
 * to change.
 */
@Timeout(120)
class UninstrumentedAllocationTest {

    static final int MESSAGES = 200_000;
    static final int ROUNDS = 8;
    static final Object HOLD = new Object();
    static final Object TICK = new Object();

    final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** One round's counts: a fresh process, its handler held, MESSAGES sends, then the drain. */
    record Round(double sendBytesPerMessage, double handleBytesPerMessage) {}

    /** Where a check allocates one object per message on purpose, to show the bound catches it. */
    static volatile Object escape;

    @Test
    void aPlainSendAllocatesOnlyTheMailboxNodeAndHandlingAllocatesNothingPerMessage() throws Exception {
        Round best = best(false, false);
        int node = nodeBytes();
        int smallest = smallestObjectBytes();
        String figures = describe(best);
        assertTrue(
                best.sendBytesPerMessage() < node + smallest,
                "a send allocates more than its mailbox node: " + figures);
        assertTrue(best.handleBytesPerMessage() < smallest, "handling allocates per message: " + figures);
    }

    @Test
    void theBoundsCatchOneObjectMorePerSendAndOnePerHandledMessage() throws Exception {
        // The same measurement with a fresh message object per send, and a handler that keeps
        // one object per message: each exceeds its bound, so the test above can fail.
        Round best = best(true, true);
        assertTrue(best.sendBytesPerMessage() >= nodeBytes() + smallestObjectBytes(), describe(best));
        assertTrue(best.handleBytesPerMessage() >= smallestObjectBytes(), describe(best));
    }

    Round best(boolean freshMessages, boolean handlerAllocates) throws Exception {
        assertTrue(
                threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "this JVM cannot count allocated bytes per thread");
        double bestSend = Double.MAX_VALUE;
        double bestHandle = Double.MAX_VALUE;
        for (int round = 0; round < ROUNDS; round++) {
            Round r = round(freshMessages, handlerAllocates);
            if (round >= 2) { // the first rounds warm up the JIT
                bestSend = Math.min(bestSend, r.sendBytesPerMessage());
                bestHandle = Math.min(bestHandle, r.handleBytesPerMessage());
            }
        }
        return new Round(bestSend, bestHandle);
    }

    static String describe(Round round) {
        return String.format(
                "send %.2f bytes/message (node %d), handle %.2f bytes/message (smallest object %d)",
                round.sendBytesPerMessage(), nodeBytes(), round.handleBytesPerMessage(), smallestObjectBytes());
    }

    Round round(boolean freshMessages, boolean handlerAllocates) throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        ProcessSpec<Object, long[], Void> spec = ProcessSpec.<Object, long[]>named("allocation")
                .init(() -> new long[1])
                .handler((count, message, tools) -> {
                    if (message == HOLD) {
                        entered.countDown();
                        release.await();
                    } else {
                        if (handlerAllocates) {
                            escape = new Object();
                        }
                        if (++count[0] == MESSAGES) {
                            done.countDown();
                        }
                    }
                    return null; // state unchanged: the array is mutated in place
                })
                .maxInbox(MESSAGES + 16)
                .build();
        ProcessRef<Object> ref = Processes.spawn(spec, SpawnOptions.of(Clock.system()));
        try {
            ref.send(HOLD);
            if (!entered.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("the handler never started");
            }

            long sendBefore = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < MESSAGES; i++) {
                if (!ref.send(freshMessages ? new Object() : TICK)) {
                    throw new AssertionError("send " + i + " was refused");
                }
            }
            long sendBytes = threads.getCurrentThreadAllocatedBytes() - sendBefore;

            Map<Long, Long> before = platformThreadAllocations();
            release.countDown();
            if (!done.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("the messages were not handled in time");
            }
            long handleBytes = allocatedSince(before);
            return new Round((double) sendBytes / MESSAGES, (double) handleBytes / MESSAGES);
        } finally {
            release.countDown();
            ref.stop().join();
        }
    }

    /** Bytes allocated so far by every live platform thread (carriers included), by id. */
    Map<Long, Long> platformThreadAllocations() {
        Map<Long, Long> allocated = new HashMap<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            long bytes = threads.getThreadAllocatedBytes(thread.threadId());
            if (bytes >= 0) {
                allocated.put(thread.threadId(), bytes);
            }
        }
        return allocated;
    }

    /** Bytes allocated since {@code before}; a thread that started since counts whole. */
    long allocatedSince(Map<Long, Long> before) {
        long total = 0;
        for (Map.Entry<Long, Long> now : platformThreadAllocations().entrySet()) {
            total += now.getValue() - before.getOrDefault(now.getKey(), 0L);
        }
        return total;
    }

    /** The size of an object with two reference fields, such as the mailbox node, on this JVM. */
    static int nodeBytes() {
        int reference = flag("UseCompressedOops", true) ? 4 : 8;
        return align(headerBytes() + 2 * reference);
    }

    /** The size of an object without fields. */
    static int smallestObjectBytes() {
        return align(headerBytes());
    }

    static int headerBytes() {
        if (flag("UseCompactObjectHeaders", false)) {
            return 8;
        }
        return flag("UseCompressedClassPointers", true) ? 12 : 16;
    }

    static int align(int bytes) {
        int alignment = Integer.parseInt(option("ObjectAlignmentInBytes", "8"));
        return (bytes + alignment - 1) / alignment * alignment;
    }

    static boolean flag(String name, boolean absent) {
        return Boolean.parseBoolean(option(name, Boolean.toString(absent)));
    }

    /** A HotSpot flag's value, or {@code absent} on a JVM that does not have the flag. */
    static String option(String name, String absent) {
        try {
            return ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .getVMOption(name)
                    .getValue();
        } catch (IllegalArgumentException noSuchFlag) {
            return absent;
        }
    }
}

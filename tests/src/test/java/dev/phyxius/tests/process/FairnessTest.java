package dev.phyxius.tests.process;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phyxius.clock.Clock;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.Processes;
import dev.phyxius.process.SpawnOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * No process keeps a carrier thread to itself: with more endless workers than carriers, a
 * process that gets one message still handles it. Without the drains' time slices (a yield after
 * 100 us of carrier time), the endless ones would hold every carrier for good and the message
 * would never be handled. Also run in CI on a single carrier thread.
 */
@Timeout(30)
class FairnessTest {

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<ProcessRef<?>> spawned = new ArrayList<>();
    private final int hogs = Runtime.getRuntime().availableProcessors() + 1;

    @AfterEach
    void stopAll() {
        running.set(false);
        for (ProcessRef<?> ref : spawned) {
            ref.stop().orTimeout(10, TimeUnit.SECONDS).join();
        }
    }

    private <M> ProcessRef<M> spawn(ProcessSpec<M, Void, Void> spec) {
        ProcessRef<M> ref = Processes.spawn(spec, SpawnOptions.of(Clock.system()));
        spawned.add(ref);
        return ref;
    }

    /** Handles one message of its endless stream: it sends itself the next one. */
    private ProcessRef<String> endlessStream(String name) {
        ProcessRef<String> ref = spawn(ProcessSpec.<String, Void>named(name)
                .handler((state, message, tools) -> {
                    if (running.get()) {
                        tools.self().send("again");
                    }
                    return null;
                })
                .build());
        ref.send("start");
        return ref;
    }

    private void aLoneMessageIsStillHandled() throws InterruptedException {
        CountDownLatch handled = new CountDownLatch(1);
        ProcessRef<CountDownLatch> quiet = spawn(ProcessSpec.<CountDownLatch, Void>named("quiet")
                .handler((state, latch, tools) -> {
                    latch.countDown();
                    return null;
                })
                .build());
        quiet.send(handled);
        assertTrue(handled.await(10, TimeUnit.SECONDS), "a process with one message got a carrier");
    }

    @Test
    void processesWithEndlessStreamsOfMessagesLeaveCarriersForOthers() throws Exception {
        for (int i = 0; i < hogs; i++) {
            endlessStream("endless-" + i);
        }
        aLoneMessageIsStillHandled();
    }

    @Test
    void chainsOfProcessesWakingEachOtherOnOneThreadLeaveCarriersForOthers() throws Exception {
        // Each pair passes a ball back and forth forever: every hop wakes the idle partner, which
        // then runs on the thread of the one that woke it.
        for (int i = 0; i < hogs; i++) {
            ProcessRef<?>[] partner = new ProcessRef<?>[1];
            ProcessSpec<String, Void, Void> player = ProcessSpec.<String, Void>named("player-" + i)
                    .handler((state, ball, tools) -> {
                        if (running.get()) {
                            @SuppressWarnings("unchecked")
                            ProcessRef<String> other = (ProcessRef<String>) partner[0];
                            other.send(ball);
                        }
                        return null;
                    })
                    .build();
            ProcessRef<String> ping = spawn(player);
            partner[0] = ping;
            ProcessRef<?>[] back = new ProcessRef<?>[] {ping};
            ProcessRef<String> pong = spawn(ProcessSpec.<String, Void>named("partner-" + i)
                    .handler((state, ball, tools) -> {
                        if (running.get()) {
                            @SuppressWarnings("unchecked")
                            ProcessRef<String> other = (ProcessRef<String>) back[0];
                            other.send(ball);
                        }
                        return null;
                    })
                    .build());
            partner[0] = pong;
            ping.send("ball");
        }
        aLoneMessageIsStillHandled();
    }
}

package dev.phyxius.examples;

import dev.phyxius.clock.Clock;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.Processes;
import dev.phyxius.process.SpawnOptions;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/** Example 4: a heartbeat from self-scheduled messages, cancelled when the process stops. */
public final class HeartbeatExample {

    sealed interface Msg {}

    record Beat() implements Msg {}

    private HeartbeatExample() {}

    static ProcessSpec<Msg, Integer, Void> heartbeat(Duration every, CountDownLatch beats) {
        return ProcessSpec.<Msg, Integer>named("heartbeat")
                .init(() -> 0)
                .handler((count, msg, tools) -> {
                    System.out.printf(
                            "heartbeat %d at %s%n",
                            count + 1, tools.clock().now().wall());
                    beats.countDown();
                    tools.schedule("beat", every, new Beat()); // keyed: one pending beat at most
                    return count + 1;
                })
                .build();
    }

    /**
     * Runs the example.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted while waiting for the beats
     */
    public static void main(String[] args) throws InterruptedException {
        CountDownLatch beats = new CountDownLatch(3);
        ProcessRef<Msg> ref =
                Processes.spawn(heartbeat(Duration.ofMillis(200), beats), SpawnOptions.of(Clock.system()));
        ref.send(new Beat());
        beats.await();
        ref.stop().join();
    }
}

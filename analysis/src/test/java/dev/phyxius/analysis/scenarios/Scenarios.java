package dev.phyxius.analysis.scenarios;

import dev.phyxius.clock.Clock;
import dev.phyxius.observability.PhyxiusObservability;
import dev.phyxius.observability.jfr.PhyxiusFlightRecording;
import dev.phyxius.process.ProcessEvent;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.Processes;
import dev.phyxius.process.SpawnOptions;
import dev.phyxius.supervisor.Backoff;
import dev.phyxius.supervisor.SupervisionStrategy;
import dev.phyxius.supervisor.Supervisor;
import dev.phyxius.supervisor.SupervisorOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;

/**
 * Real recordings of incidents with known answers, for the report's and the rules' tests. Each
 * scenario runs real processes in this JVM under a recording made with the JDK's {@code profile}
 * settings and the shipped {@code phyxius-profile.jfc}, then dumps it.
 *
 * <ul>
 *   <li>{@code slow}: a handler that takes 60 ms; 10 messages queued behind a held first one,
 *       so its mailbox holds 10 (seen by a {@code ProcessStatistics} period) and then drains
 *       slowly;</li>
 *   <li>{@code crashy}: a supervised child that fails on every message, restarted 3 times
 *       (no backoff, at most 3 in a minute), then given up on;</li>
 *   <li>{@code locked}: a handler on a platform thread that waits 80 ms for a monitor another
 *       thread holds;</li>
 *   <li>{@code pinned}: a handler that blocks 60 ms while pinned (in a class initializer on
 *       JDK 24 and later, inside {@code synchronized} before);</li>
 *   <li>{@code gc}: a handler that runs a full GC ({@code System.gc()});</li>
 *   <li>{@code small}: a mailbox of 2 behind a held handler: 3 sends refused, 2 dropped by the
 *       stop.</li>
 * </ul>
 * The scenario blocks on purpose (that is what is recorded); it waits for what it needs with
 * latches and the JFR stream, never with a sleep.
 */
public final class Scenarios {

    /** How long the slow handler takes. */
    public static final Duration SLOW = Duration.ofMillis(60);

    private Scenarios() {}

    /** Records every scenario into {@code file}. */
    public static Path recordAll(Path file) throws Exception {
        Map<String, String> settings =
                new HashMap<>(Configuration.getConfiguration("profile").getSettings());
        settings.putAll(PhyxiusFlightRecording.profileConfiguration().getSettings());
        settings.put("dev.phyxius.ProcessStatistics#period", "50 ms");
        LinkedBlockingQueue<ProcessEvent.Restarted> restarts = new LinkedBlockingQueue<>();
        PhyxiusObservability observability = PhyxiusObservability.builder()
                .jfr(true)
                .forwardTo(event -> {
                    if (event instanceof ProcessEvent.Restarted restarted) {
                        restarts.add(restarted);
                    }
                })
                .build();
        try (Recording recording = new Recording(settings);
                RecordingStream statistics = new RecordingStream()) {
            LinkedBlockingQueue<RecordedEvent> seen = new LinkedBlockingQueue<>();
            statistics.enable("dev.phyxius.ProcessStatistics").withPeriod(Duration.ofMillis(50));
            statistics.onEvent("dev.phyxius.ProcessStatistics", seen::add);
            recording.start();
            statistics.startAsync();

            slow(observability, seen);
            crashLoop(observability, restarts);
            monitor(observability);
            pinned(observability);
            gc(observability);
            refusals(observability);

            recording.stop();
            recording.dump(file);
        }
        return file;
    }

    /** A process whose handler does what {@code work} says; the state counts messages. */
    public static ProcessRef<Runnable> spawn(
            PhyxiusObservability observability, String name, int maxInbox, SpawnOptions<Void> options) {
        ProcessSpec<Runnable, Integer, Void> spec = ProcessSpec.<Runnable, Integer>named(name)
                .init(() -> 0)
                .handler((count, work, tools) -> {
                    work.run();
                    return count + 1;
                })
                .maxInbox(maxInbox)
                .build();
        return Processes.spawn(spec, observability.apply(options));
    }

    static void slow(PhyxiusObservability observability, LinkedBlockingQueue<RecordedEvent> seen) throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(11);
        ProcessRef<Runnable> slow = spawn(observability, "slow", 1024, SpawnOptions.of(Clock.system()));
        slow.send(() -> {
            entered.countDown();
            await(release);
            done.countDown();
        });
        await(entered);
        for (int i = 0; i < 10; i++) {
            slow.send(new SlowJob(done));
        }
        awaitStatistics(seen, e -> "slow".equals(e.getString("processName")) && e.getLong("mailboxSize") == 10);
        release.countDown();
        await(done);
        slow.stop().join();
    }

    /** The slow message type: its class name shows in "the slowest messages by type". */
    public record SlowJob(CountDownLatch done) implements Runnable {
        @Override
        public void run() {
            busy(SLOW);
            done.countDown();
        }
    }

    static void crashLoop(PhyxiusObservability observability, LinkedBlockingQueue<ProcessEvent.Restarted> restarts)
            throws Exception {
        try (Supervisor supervisor = new Supervisor(observability.apply(SupervisorOptions.of(Clock.system())
                .withStrategy(SupervisionStrategy.oneForOne()
                        .withMaxRestarts(3, Duration.ofMinutes(1))
                        .withBackoff(Backoff.none()))))) {
            ProcessSpec<Runnable, Integer, Void> spec = ProcessSpec.<Runnable, Integer>named("crashy")
                    .init(() -> 0)
                    .handler((count, work, tools) -> {
                        throw new IllegalStateException("crash " + count);
                    })
                    .build();
            ProcessRef<Runnable> crashy = supervisor.spawn(spec);
            for (int i = 0; i < 4; i++) {
                // Each message fails the current life; the next is sent once the restart is done.
                if (!crashy.send(() -> {})) {
                    throw new IllegalStateException("crashy refused message " + i);
                }
                if (i < 3 && restarts.poll(10, TimeUnit.SECONDS) == null) {
                    throw new IllegalStateException("restart " + (i + 1) + " never came");
                }
            }
            crashy.termination().get(10, TimeUnit.SECONDS);
        }
    }

    static void monitor(PhyxiusObservability observability) throws Exception {
        Object lock = new Object();
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        Thread holder = Thread.ofPlatform().name("lock-holder").start(() -> {
            synchronized (lock) {
                held.countDown();
                busy(Duration.ofMillis(80));
            }
        });
        await(held);
        // A platform thread: JFR records monitor waits of platform threads (a virtual thread
        // that waits unmounts, and is not recorded).
        ProcessRef<Runnable> locked = spawn(
                observability,
                "locked",
                16,
                SpawnOptions.of(Clock.system())
                        .withThreadFactory(
                                Thread.ofPlatform().name("locked-drain").factory()));
        locked.send(() -> {
            synchronized (lock) {
                done.countDown();
            }
        });
        await(done);
        holder.join();
        locked.stop().join();
    }

    static void pinned(PhyxiusObservability observability) throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        ProcessRef<Runnable> pinned = spawn(observability, "pinned", 16, SpawnOptions.of(Clock.system()));
        pinned.send(() -> {
            if (Runtime.version().feature() >= 24) {
                PinsInItsInitializer.touch();
            } else {
                synchronized (Scenarios.class) {
                    sleep(Duration.ofMillis(60));
                }
            }
            done.countDown();
        });
        await(done);
        pinned.stop().join();
    }

    /** Blocks 60 ms in its class initializer, which pins a virtual thread on every JDK. */
    static final class PinsInItsInitializer {
        static {
            sleep(Duration.ofMillis(60));
        }

        static void touch() {
            // initializing the class is the point
        }
    }

    static void gc(PhyxiusObservability observability) throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        ProcessRef<Runnable> gc = spawn(observability, "gc", 16, SpawnOptions.of(Clock.system()));
        gc.send(() -> {
            System.gc();
            done.countDown();
        });
        await(done);
        gc.stop().join();
    }

    static void refusals(PhyxiusObservability observability) throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ProcessRef<Runnable> small = spawn(observability, "small", 2, SpawnOptions.of(Clock.system()));
        small.send(() -> {
            entered.countDown();
            await(release);
        });
        await(entered);
        int refused = 0;
        for (int i = 0; i < 5; i++) {
            refused += small.send(() -> {}) ? 0 : 1;
        }
        if (refused != 3) {
            throw new IllegalStateException("expected 3 refusals, got " + refused);
        }
        var stop = small.stop();
        release.countDown();
        stop.join();
    }

    private static void awaitStatistics(LinkedBlockingQueue<RecordedEvent> seen, Predicate<RecordedEvent> match)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (RecordedEvent e; (e = seen.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) != null; ) {
            if (match.test(e)) {
                return;
            }
        }
        throw new IllegalStateException("no matching ProcessStatistics in 20 s");
    }

    public static void await(CountDownLatch latch) {
        try {
            if (!latch.await(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException("scenario stuck");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Real time spent working (park may return early, so it loops to the deadline). */
    public static void busy(Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        for (long left = duration.toNanos(); left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.phyxius.tests.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phyxius.observability.PhyxiusObservability;
import dev.phyxius.process.ProcessEvent;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.Processes;
import dev.phyxius.process.Reply;
import dev.phyxius.process.SpawnOptions;
import dev.phyxius.testing.ControlledClock;
import dev.phyxius.testing.ProcessTestKit;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The timing sample through the backends: exact counts in meters and in ProcessStatistics, a
 * sample in the timers and in the JFR MessageHandled events.
 */
@Timeout(60)
class TimingSampleObservabilityTest {

    static final int MESSAGES = 3_000;

    @TempDir
    Path dir;

    final ProcessTestKit kit = ProcessTestKit.create();
    final ControlledClock clock = kit.clock();

    @AfterEach
    void tearDown() {
        kit.close();
    }

    sealed interface Msg {}

    record Work() implements Msg {}

    record Done(Reply<Integer> reply) implements Msg {}

    static ProcessSpec<Msg, Integer, Void> worker(String name) {
        return ProcessSpec.<Msg, Integer>named(name)
                .init(() -> 0)
                .maxInbox(100_000)
                .handler((count, msg, tools) -> switch (msg) {
                    case Work w -> count + 1;
                    case Done d -> {
                        d.reply().send(count);
                        yield count;
                    }
                })
                .build();
    }

    /** Sends the work and one ask; returns the process's count once the ask was answered. */
    static int work(ProcessRef<Msg> ref, int messages) throws Exception {
        for (int i = 0; i < messages; i++) {
            assertTrue(ref.send(new Work()));
        }
        return ref.<Integer>ask(Done::new).get(10, TimeUnit.SECONDS);
    }

    @Test
    void metersCountEveryMessageAndTimeTheSample() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        PhyxiusObservability observability = PhyxiusObservability.builder()
                .meterRegistry(registry)
                .timingSample(16)
                .build();
        ProcessRef<Msg> ref = Processes.spawn(worker("metered"), observability.apply(SpawnOptions.of(clock)));
        assertEquals(MESSAGES, work(ref, MESSAGES));
        ref.stop().join(); // every count final, and the process's count moves to the name's total

        FunctionCounter handled = registry.get("phyxius.process.messages")
                .tags("process", "metered", "outcome", "handled")
                .functionCounter();
        assertEquals(MESSAGES + 1, handled.count(), "every message, exactly, though few were timed");
        Timer handling = registry.get("phyxius.process.handling")
                .tags("process", "metered")
                .timer();
        Timer waited = registry.get("phyxius.process.mailbox.wait")
                .tags("process", "metered")
                .timer();
        // One in 16 of 3,001 is about 188 (sd ~ 13).
        assertTrue(handling.count() > 100 && handling.count() < 300, "timed " + handling.count());
        assertEquals(handling.count(), waited.count());
    }

    @Test
    void metersTimeEveryMessageByDefault() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        PhyxiusObservability observability =
                PhyxiusObservability.builder().meterRegistry(registry).build();
        ProcessRef<Msg> ref = Processes.spawn(worker("every"), observability.apply(SpawnOptions.of(clock)));
        assertEquals(MESSAGES, work(ref, MESSAGES));
        ref.stop().join();
        Timer handling = registry.get("phyxius.process.handling")
                .tags("process", "every")
                .timer();
        assertEquals(MESSAGES + 1, handling.count());
    }

    @Test
    void typeTagsNeedEveryMessageAndSaySo() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> PhyxiusObservability.builder()
                        .meterRegistry(new SimpleMeterRegistry())
                        .tagMessageTypes()
                        .timingSample(8)
                        .build());
        assertTrue(
                e.getMessage().contains("tagMessageTypes") && e.getMessage().contains("timingSample"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> PhyxiusObservability.builder().timingSample(0));
    }

    @Test
    void onlyTracingIsCalledForEveryMessage() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        assertFalse(PhyxiusObservability.builder()
                .jfr(true)
                .build()
                .instrumentation()
                .hooksEveryMessage());
        assertFalse(PhyxiusObservability.builder()
                .meterRegistry(registry)
                .timingSample(16)
                .build()
                .instrumentation()
                .hooksEveryMessage());
        assertFalse(PhyxiusObservability.builder()
                .meterRegistry(registry)
                .jfr(true)
                .build()
                .instrumentation()
                .hooksEveryMessage());
        assertTrue(PhyxiusObservability.builder()
                .tracing(true)
                .jfr(true)
                .build()
                .instrumentation()
                .hooksEveryMessage());
    }

    @Test
    void anApplicationSinkGetsEveryMessageUnlessASampleWasChosen() throws Exception {
        PhyxiusObservability jfr = PhyxiusObservability.builder().jfr(true).build();
        ProcessRef<Msg> ref = Processes.spawn(
                worker("own-sink"), jfr.apply(SpawnOptions.of(clock).withEvents(kit.eventSink())));
        work(ref, 500);
        kit.events().awaitEvents(ProcessEvent.MessageHandled.class, 501);

        PhyxiusObservability sampled =
                PhyxiusObservability.builder().jfr(true).timingSample(1_000_000).build();
        ProcessRef<Msg> quiet = Processes.spawn(
                worker("own-sink-sampled"), sampled.apply(SpawnOptions.of(clock).withEvents(kit.eventSink())));
        work(quiet, 500);
        ref.stop().join();
        quiet.stop().join();
        assertTrue(
                kit.events()
                                .ofType(ProcessEvent.MessageHandled.class, e -> e.id().equals(quiet.id()))
                                .size()
                        < 5,
                "a chosen sample applies to the application's sink too");
    }

    @Test
    void aRecordingCountsEveryMessageAndRecordsTheTimedSample() throws Exception {
        PhyxiusObservability observability =
                PhyxiusObservability.builder().jfr(true).build();
        ProcessRef<Msg> ref = Processes.spawn(worker("recorded"), observability.apply(SpawnOptions.of(clock)));

        AtomicLong streamed = new AtomicLong();
        try (Recording recording = new Recording();
                RecordingStream stream = new RecordingStream()) {
            recording.enable("dev.phyxius.MessageHandled").withThreshold(Duration.ZERO);
            recording.enable("dev.phyxius.ProcessStatistics").withPeriod(Duration.ofMillis(50));
            stream.enable("dev.phyxius.ProcessStatistics").withPeriod(Duration.ofMillis(50));
            stream.onEvent("dev.phyxius.ProcessStatistics", e -> {
                if ("recorded".equals(e.getString("processName"))) {
                    streamed.addAndGet(e.getLong("handled"));
                }
            });
            recording.start();
            stream.startAsync();
            assertEquals(MESSAGES, work(ref, MESSAGES));
            // Waits for the periods to report the work (an event's arrival, not a sleep).
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (streamed.get() < MESSAGES + 1 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            recording.stop();
            Path file = dir.resolve("sampled.jfr");
            recording.dump(file);
            List<RecordedEvent> all = RecordingFile.readAllEvents(file);
            List<RecordedEvent> handled = all.stream()
                    .filter(e -> e.getEventType().getName().equals("dev.phyxius.MessageHandled"))
                    .filter(e -> "recorded".equals(e.getString("processName")))
                    .toList();
            long reported = all.stream()
                    .filter(e -> e.getEventType().getName().equals("dev.phyxius.ProcessStatistics"))
                    .filter(e -> "recorded".equals(e.getString("processName")))
                    .mapToLong(e -> e.getLong("handled"))
                    .sum();

            assertEquals(MESSAGES + 1, reported, "exactly what was handled");
            // The default sample for JFR alone is one in 16: about 188 of 3,001 (sd ~ 13).
            assertTrue(handled.size() > 100 && handled.size() < 300, "events: " + handled.size());
            assertTrue(
                    handled.stream()
                            .allMatch(e -> e.getDuration("queued").toNanos() >= 0
                                    && e.getDuration("handling").toNanos() >= 0),
                    "a recorded message was timed");
        } finally {
            ref.stop().join();
        }
    }
}

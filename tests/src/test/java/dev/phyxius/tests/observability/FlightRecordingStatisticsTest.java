package dev.phyxius.tests.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phyxius.observability.PhyxiusObservability;
import dev.phyxius.observability.events.ObservabilityEvent;
import dev.phyxius.process.ProcessEvent;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.Processes;
import dev.phyxius.process.SpawnOptions;
import dev.phyxius.testing.ControlledClock;
import dev.phyxius.testing.ProcessTestKit;
import dev.phyxius.testing.RecordedEvents;
import dev.phyxius.tests.support.Gate;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.junit5.OpenTelemetryExtension;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The periodic ProcessStatistics event, trace ids in the events, and the name limit, read back from files. */
@Timeout(60)
class FlightRecordingStatisticsTest {

    @RegisterExtension
    static final OpenTelemetryExtension otel = OpenTelemetryExtension.create();

    @TempDir
    Path dir;

    final ProcessTestKit kit = ProcessTestKit.create();
    final ControlledClock clock = kit.clock();
    final RecordedEvents events = kit.events();

    @AfterEach
    void tearDown() {
        kit.close();
    }

    ProcessRef<String> spawn(PhyxiusObservability observability, String name, Gate gate) {
        ProcessSpec<String, String, Void> spec = ProcessSpec.<String, String>named(name)
                .init(() -> "state")
                .handler((state, msg, tools) -> {
                    switch (msg) {
                        case "hold" -> gate.pass();
                        case "boom" -> throw new IllegalStateException("boom");
                        default -> {}
                    }
                    return state;
                })
                .build();
        return Processes.spawn(spec, observability.apply(SpawnOptions.of(clock)));
    }

    /**
     * Streams ProcessStatistics of {@code name} (for waiting, without sleeping) while a recording
     * writes the same events to a file, which is what the assertions read.
     */
    final class Statistics implements AutoCloseable {
        final Recording recording = new Recording();
        final RecordingStream stream = new RecordingStream();
        final LinkedBlockingQueue<RecordedEvent> seen = new LinkedBlockingQueue<>();

        Statistics(String name) {
            recording.enable("dev.phyxius.ProcessStatistics").withPeriod(Duration.ofMillis(50));
            stream.enable("dev.phyxius.ProcessStatistics").withPeriod(Duration.ofMillis(50));
            stream.onEvent("dev.phyxius.ProcessStatistics", e -> {
                if (name.equals(e.getString("processName"))) {
                    seen.add(e);
                }
            });
            recording.start();
            stream.startAsync();
        }

        /** Waits for a period whose event matches. */
        RecordedEvent await(Predicate<RecordedEvent> match) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            for (RecordedEvent e; (e = seen.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) != null; ) {
                if (match.test(e)) {
                    return e;
                }
            }
            throw new AssertionError("no matching ProcessStatistics event in 20 s");
        }

        List<RecordedEvent> fromFile(String name) throws Exception {
            recording.stop();
            Path file = dir.resolve("statistics.jfr");
            recording.dump(file);
            return RecordingFile.readAllEvents(file).stream()
                    .filter(e -> e.getEventType().getName().equals("dev.phyxius.ProcessStatistics"))
                    .filter(e -> name.equals(e.getString("processName")))
                    .toList();
        }

        @Override
        public void close() {
            stream.close();
            recording.close();
        }
    }

    @Test
    void eachPeriodReportsLiveProcessesMailboxesAndWhatWasHandledAndFailedSinceTheLastPeriod() throws Exception {
        PhyxiusObservability observability = PhyxiusObservability.builder()
                .jfr(true)
                .forwardTo(kit.eventSink())
                .build();
        Gate gate = new Gate();
        try (Statistics statistics = new Statistics("stats")) {
            ProcessRef<String> held = spawn(observability, "stats", gate);
            ProcessRef<String> other = spawn(observability, "stats", new Gate());
            statistics.await(e -> e.getInt("liveProcesses") == 2);
            held.send("hold");
            gate.awaitEntered();
            for (int i = 0; i < 4; i++) {
                held.send("queued");
            }
            other.send("boom");
            other.termination().join();
            ProcessEvent.Failed failed = events.awaitEvent(ProcessEvent.Failed.class);
            assertEquals(other.id(), failed.id());
            assertEquals("boom", failed.error().getMessage());
            statistics.await(e -> e.getLong("mailboxSize") == 4 && e.getInt("liveProcesses") == 1);
            gate.open();
            List<ProcessEvent.MessageHandled> handled =
                    events.awaitEvents(ProcessEvent.MessageHandled.class, 5, e -> e.id().equals(held.id()));
            assertTrue(
                    handled.stream().allMatch(e -> e.name().equals("stats") && e.messageType() == String.class),
                    handled::toString);
            statistics.await(e -> e.getLong("mailboxSize") == 0 && e.getInt("liveProcesses") == 1);
            held.stop().join();
            statistics.await(e -> e.getInt("liveProcesses") == 0);

            List<RecordedEvent> recorded = statistics.fromFile("stats");
            assertEquals(
                    5, recorded.stream().mapToLong(e -> e.getLong("handled")).sum(), "hold and the 4 queued");
            assertEquals(
                    1, recorded.stream().mapToLong(e -> e.getLong("failed")).sum());
            assertTrue(
                    recorded.stream().anyMatch(e -> e.getLong("mailboxSize") == 4 && e.getInt("maxMailboxSize") == 4),
                    recorded::toString);
        }
    }

    @Test
    void aNameWithNoLiveProcessIsReportedOnceMoreAndThenNoLonger() throws Exception {
        PhyxiusObservability observability = PhyxiusObservability.builder()
                .jfr(true)
                .forwardTo(kit.eventSink())
                .build();
        try (Statistics statistics = new Statistics("brief")) {
            ProcessRef<String> ref = spawn(observability, "brief", new Gate());
            ref.send("work");
            ProcessEvent.MessageHandled handled = events.awaitEvent(ProcessEvent.MessageHandled.class);
            assertEquals(ref.id(), handled.id());
            assertEquals("brief", handled.name());
            ref.stop().join();
            RecordedEvent last = statistics.await(e -> e.getInt("liveProcesses") == 0);
            // Two more periods of other names: "brief" is not among them.
            try (Statistics marker = new Statistics("marker")) {
                ProcessRef<String> m = spawn(observability, "marker", new Gate());
                marker.await(e -> true);
                marker.await(e -> true);
                m.stop().join();
            }
            List<RecordedEvent> recorded = statistics.fromFile("brief");
            assertEquals(
                    1,
                    recorded.stream()
                            .filter(e -> e.getInt("liveProcesses") == 0)
                            .count(),
                    () -> "after " + last + ": " + recorded);
        }
    }

    @Test
    void processEventsRaisedInsideATracedHandlerCarryItsTraceAndSpanIds() throws Exception {
        PhyxiusObservability observability = PhyxiusObservability.builder()
                .openTelemetry(otel.getOpenTelemetry())
                .jfr(true)
                .forwardTo(kit.eventSink())
                .build();
        Gate gate = new Gate();
        ProcessRef<String> full = spawn(observability, "full", gate);
        ProcessSpec<String, String, Void> forwarding = ProcessSpec.<String, String>named("forwarder")
                .handler((state, msg, tools) -> {
                    full.send(msg); // refused: the target's one place is taken
                    return state;
                })
                .build();
        Path file = dir.resolve("traced.jfr");
        ProcessRef<String> forwarder;
        try (Recording recording = new Recording()) {
            recording.enable("dev.phyxius.MessageHandled");
            recording.enable("dev.phyxius.MessageRejected");
            recording.start();
            full.send("hold");
            gate.awaitEntered();
            forwarder = Processes.spawn(forwarding, observability.apply(SpawnOptions.of(clock)));
            for (int i = 0; i < 1024; i++) {
                full.send("fill"); // the default mailbox holds 1,024
            }
            Span request = otel.getOpenTelemetry()
                    .getTracer("app")
                    .spanBuilder("request")
                    .startSpan();
            try (Scope ignored = request.makeCurrent()) {
                forwarder.send("traced");
            } finally {
                request.end();
            }
            forwarder.send("untraced");
            List<ProcessEvent.MessageHandled> forwarded =
                    events.awaitEvents(ProcessEvent.MessageHandled.class, 2, e -> e.id().equals(forwarder.id()));
            assertTrue(forwarded.stream().allMatch(e -> e.name().equals("forwarder")), forwarded::toString);
            List<ProcessEvent.MessageRejected> refused = events.ofType(ProcessEvent.MessageRejected.class);
            assertEquals(
                    List.of("traced", "untraced"),
                    refused.stream().map(ProcessEvent.MessageRejected::message).toList(),
                    "each forwarded message was refused by the full target");
            assertTrue(
                    refused.stream()
                            .allMatch(e ->
                                    e.id().equals(full.id()) && e.reason() == ProcessEvent.RejectReason.MAILBOX_FULL),
                    refused::toString);
            gate.open();
            recording.stop();
            recording.dump(file);
        }
        SpanData span = otel.getSpans().stream()
                .filter(s -> s.getName().equals("process forwarder"))
                .findFirst()
                .orElseThrow();
        List<RecordedEvent> recorded = RecordingFile.readAllEvents(file);
        List<RecordedEvent> handled = recorded.stream()
                .filter(e -> e.getEventType().getName().equals("dev.phyxius.MessageHandled"))
                .filter(e -> forwarder.id().value().equals(e.getString("processId")))
                .sorted(java.util.Comparator.comparing(RecordedEvent::getStartTime))
                .toList();
        assertEquals(2, handled.size());
        assertEquals(span.getTraceId(), handled.get(0).getString("traceId"));
        assertEquals(span.getSpanId(), handled.get(0).getString("spanId"));
        assertNull(handled.get(1).getString("traceId"), "an untraced message has no trace id");
        assertNull(handled.get(1).getString("spanId"));
        List<RecordedEvent> rejected = recorded.stream()
                .filter(e -> e.getEventType().getName().equals("dev.phyxius.MessageRejected"))
                .filter(e -> full.id().value().equals(e.getString("processId")))
                .toList();
        assertEquals(2, rejected.size(), recorded::toString);
        assertTrue(
                rejected.stream()
                        .anyMatch(e -> span.getSpanId().equals(e.getString("spanId"))
                                && span.getTraceId().equals(e.getString("traceId"))),
                "the refusal inside the traced handler carries the handler's span");
        full.stop().join();
        forwarder.stop().join();
    }

    @Test
    void withoutTracingNoEventCarriesTraceIds() throws Exception {
        PhyxiusObservability observability = PhyxiusObservability.builder()
                .jfr(true)
                .forwardTo(kit.eventSink())
                .build();
        Path file = dir.resolve("untraced.jfr");
        ProcessRef<String> ref;
        try (Recording recording = new Recording()) {
            recording.enable("dev.phyxius.MessageHandled");
            recording.start();
            ref = spawn(observability, "untraced", new Gate());
            Span request = otel.getOpenTelemetry()
                    .getTracer("app")
                    .spanBuilder("request")
                    .startSpan();
            try (Scope ignored = request.makeCurrent()) {
                ref.send("work");
            } finally {
                request.end();
            }
            assertEquals(
                    "untraced",
                    events.awaitEvent(ProcessEvent.MessageHandled.class).name());
            recording.stop();
            recording.dump(file);
        }
        RecordedEvent handled = RecordingFile.readAllEvents(file).stream()
                .filter(e -> ref.id().value().equals(e.getString("processId")))
                .findFirst()
                .orElseThrow();
        assertNull(handled.getString("traceId"));
        ref.stop().join();
    }

    @Test
    void namesBeyondTheLimitShareTheOtherRowAndTheLimitIsRecordedOnce() throws Exception {
        PhyxiusObservability observability = PhyxiusObservability.builder()
                .jfr(true)
                .maxProcessNames(2)
                .forwardTo(kit.eventSink())
                .build();
        Path file = dir.resolve("limit.jfr");
        try (Recording recording = new Recording();
                Statistics statistics = new Statistics("_other")) {
            recording.enable("dev.phyxius.ProcessNameLimitReached");
            recording.start();
            List<ProcessRef<String>> refs = new java.util.ArrayList<>();
            for (int i = 0; i < 5; i++) {
                refs.add(spawn(observability, "tenant-" + i, new Gate()));
            }
            statistics.await(e -> e.getInt("liveProcesses") == 3);
            refs.forEach(ref -> ref.stop().join());
            recording.stop();
            recording.dump(file);
        }
        List<RecordedEvent> limits = RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals("dev.phyxius.ProcessNameLimitReached"))
                .toList();
        assertEquals(1, limits.size(), limits::toString);
        assertEquals("jfr", limits.get(0).getString("backend"));
        assertEquals("tenant-2", limits.get(0).getString("processName"));
        assertEquals(2, limits.get(0).getInt("limit"));
        ObservabilityEvent.ProcessNameLimitReached reported = events.assertCount(
                        ObservabilityEvent.ProcessNameLimitReached.class, 1)
                .getFirst();
        assertEquals("jfr", reported.backend());
        assertEquals("tenant-2", reported.processName());
        assertEquals(2, reported.limit());
    }
}

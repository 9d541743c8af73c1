package dev.phyxius.tests.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phyxius.clock.EventSink;
import dev.phyxius.observability.PhyxiusObservability;
import dev.phyxius.process.ProcessEvent;
import dev.phyxius.process.ProcessInstrumentation;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.Processes;
import dev.phyxius.process.SpawnOptions;
import dev.phyxius.process.StopReason;
import dev.phyxius.testing.ControlledClock;
import dev.phyxius.testing.ProcessTestKit;
import dev.phyxius.testing.RecordedEvents;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.junit5.OpenTelemetryExtension;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class PhyxiusObservabilityTest {

    @RegisterExtension
    static final OpenTelemetryExtension otel = OpenTelemetryExtension.create();

    final ProcessTestKit kit = ProcessTestKit.create();
    final ControlledClock clock = kit.clock();
    final RecordedEvents events = kit.events();

    @AfterEach
    void tearDown() {
        kit.close();
    }

    ProcessRef<String> spawn(String name, SpawnOptions<Void> options) {
        ProcessSpec<String, String, Void> spec = ProcessSpec.<String, String>named(name)
                .handler((state, msg, tools) -> state)
                .build();
        return Processes.spawn(spec, options);
    }

    @Nested
    class Apply {
        @Test
        void withNoBackendOnlyTheSinkIsSetAndTheInstrumentationDoesNothing() {
            PhyxiusObservability observability =
                    PhyxiusObservability.builder().forwardTo(kit.eventSink()).build();
            SpawnOptions<Void> options = observability.apply(SpawnOptions.of(clock));

            assertTrue(options.instrumentation().isEmpty(), "no instrumentation, so sends pay nothing for it");
            ProcessInstrumentation none = observability.instrumentation();
            assertNull(none.capture(null, "message"));
            assertNull(none.beforeHandle(null, "message", null, 0L));
            ProcessRef<String> ref = spawn("plain", options);
            ref.send("hello");
            ProcessEvent.MessageHandled handled = events.awaitEvent(ProcessEvent.MessageHandled.class);
            assertEquals(ref.id(), handled.id(), "the forwarded sink gets the process's events");
            assertEquals("plain", handled.name());
            assertEquals(String.class, handled.messageType());
            ref.stop().join();
        }

        @Test
        void withEveryBackendOffAndNoSinkTheOptionsAreReturnedUnchanged() {
            PhyxiusObservability off = PhyxiusObservability.builder().build();
            SpawnOptions<Void> options = SpawnOptions.of(clock);
            assertTrue(off.apply(options) == options, "no sink and no instrumentation: sends create no events");
            dev.phyxius.supervisor.SupervisorOptions supervisorOptions =
                    dev.phyxius.supervisor.SupervisorOptions.of(clock);
            assertTrue(off.apply(supervisorOptions) == supervisorOptions);
        }

        @Test
        void keepsTheSinkTheOptionsAlreadyHadSoBothGetEveryEvent() {
            try (ProcessTestKit mine = ProcessTestKit.create()) { // records what the options' own sink gets
                PhyxiusObservability observability = PhyxiusObservability.builder()
                        .forwardTo(kit.eventSink())
                        .build();
                ProcessRef<String> ref =
                        spawn("both", observability.apply(SpawnOptions.of(clock).withEvents(mine.eventSink())));
                ref.send("hello");
                assertEquals(
                        ref.id(),
                        events.awaitEvent(ProcessEvent.MessageHandled.class)
                                .id()); // before the stop, which would drop it
                ref.stop().join();

                assertEquals(
                        ref.id(), events.awaitEvent(ProcessEvent.Stopped.class).id());
                assertEquals(
                        ref.id(),
                        mine.events().awaitEvent(ProcessEvent.Stopped.class).id());
                assertEquals(
                        List.of(
                                ProcessEvent.Started.class,
                                ProcessEvent.MessageHandled.class,
                                ProcessEvent.Stopped.class),
                        events.all().stream().map(Object::getClass).toList());
                assertEquals(events.all(), mine.events().all(), "both sinks got every event, the same ones");
            }
        }

        @Test
        void keepsAnInstrumentationTheOptionsAlreadyHadAndWrapsOursInIt() {
            List<String> seen = new CopyOnWriteArrayList<>();
            ProcessInstrumentation mine = new ProcessInstrumentation() {
                @Override
                public Object capture(ProcessRef<?> target, Object message) {
                    return "captured " + message;
                }

                @Override
                public Object beforeHandle(ProcessRef<?> process, Object message, Object captured, long queuedNanos) {
                    // Ours runs inside: no span of the observability is current yet.
                    seen.add(captured + ", span valid: "
                            + Span.current().getSpanContext().isValid());
                    return "scope " + message;
                }

                @Override
                public void afterHandle(Object scope, Throwable error, long handlingNanos) {
                    seen.add("after " + scope);
                }
            };
            PhyxiusObservability observability = PhyxiusObservability.builder()
                    .openTelemetry(otel.getOpenTelemetry())
                    .startTracesFor(name -> true)
                    .forwardTo(kit.eventSink())
                    .build();
            SpawnOptions<Void> options =
                    observability.apply(SpawnOptions.of(clock).withInstrumentation(mine));
            ProcessRef<String> ref = spawn("wrapped", options);
            ref.send("hello");
            assertEquals(
                    "wrapped",
                    events.awaitEvent(ProcessEvent.MessageHandled.class).name());
            ref.stop().join();

            assertEquals(List.of("captured hello, span valid: false", "after scope hello"), seen);
            assertEquals(
                    1,
                    otel.getSpans().stream()
                            .filter(s -> s.getName().equals("process wrapped"))
                            .count(),
                    otel.getSpans()::toString);
        }

        @Test
        void aSinkThatThrowsKeepsNoEventFromTheOthers() {
            EventSink broken = event -> {
                throw new IllegalStateException("broken sink");
            };
            PhyxiusObservability observability =
                    PhyxiusObservability.builder().jfr(true).forwardTo(broken).build();
            ProcessRef<String> ref = spawn("broken", observability.apply(kit.options()));
            ref.send("hello");
            assertEquals(
                    ref.id(),
                    events.awaitEvent(ProcessEvent.MessageHandled.class).id()); // before the stop, which would drop it
            ref.stop().join();

            assertEquals(
                    StopReason.NORMAL,
                    events.awaitEvent(ProcessEvent.Stopped.class).reason());
            assertEquals(
                    List.of(ProcessEvent.Started.class, ProcessEvent.MessageHandled.class, ProcessEvent.Stopped.class),
                    events.all().stream().map(Object::getClass).toList(),
                    "the options' sink missed nothing");
        }
    }

    @Nested
    class Build {
        @Test
        void tracingOptionsWithoutTracingFailNamingTheOption() {
            IllegalArgumentException link = assertThrows(
                    IllegalArgumentException.class,
                    () -> PhyxiusObservability.builder().linkToSenderSpan().build());
            assertTrue(link.getMessage().startsWith("linkToSenderSpan needs tracing"), link.getMessage());
            IllegalArgumentException start = assertThrows(
                    IllegalArgumentException.class,
                    () -> PhyxiusObservability.builder()
                            .startTracesFor(name -> true)
                            .build());
            assertTrue(start.getMessage().startsWith("startTracesFor needs tracing"), start.getMessage());
        }

        @Test
        void nullArgumentsAreRejectedByName() {
            PhyxiusObservability.Builder builder = PhyxiusObservability.builder();
            assertEquals(
                    "openTelemetry",
                    assertThrows(NullPointerException.class, () -> builder.openTelemetry(null))
                            .getMessage());
            assertEquals(
                    "registry",
                    assertThrows(NullPointerException.class, () -> builder.meterRegistry(null))
                            .getMessage());
            assertEquals(
                    "sink",
                    assertThrows(NullPointerException.class, () -> builder.forwardTo(null))
                            .getMessage());
            assertEquals(
                    "processNames",
                    assertThrows(NullPointerException.class, () -> builder.startTracesFor(null))
                            .getMessage());
            assertEquals(
                    "options",
                    assertThrows(
                                    NullPointerException.class,
                                    () -> builder.build().apply((SpawnOptions<Void>) null))
                            .getMessage());
            assertEquals(
                    "options",
                    assertThrows(
                                    NullPointerException.class,
                                    () -> builder.build().apply((dev.phyxius.supervisor.SupervisorOptions) null))
                            .getMessage());
        }

        @Test
        void tracingCanBeTurnedOffAgain() {
            PhyxiusObservability observability = PhyxiusObservability.builder()
                    .openTelemetry(otel.getOpenTelemetry())
                    .tracing(false)
                    .build();
            assertTrue(observability
                    .apply(SpawnOptions.of(clock))
                    .instrumentation()
                    .isEmpty());
        }
    }

    @Nested
    class TracingAndJfrTogether {
        @TempDir
        Path dir;

        @Test
        void aTracedMessageGetsBothItsSpanAndItsJfrEvent() throws Exception {
            PhyxiusObservability observability = PhyxiusObservability.builder()
                    .openTelemetry(otel.getOpenTelemetry())
                    .jfr(true)
                    .forwardTo(kit.eventSink())
                    .build();
            Path file = dir.resolve("both.jfr");
            ProcessRef<String> ref;
            try (Recording recording = new Recording()) {
                recording.enable("dev.phyxius.MessageHandled");
                recording.start();
                ref = spawn("together", observability.apply(SpawnOptions.of(clock)));
                Span request = otel.getOpenTelemetry()
                        .getTracer("app")
                        .spanBuilder("request")
                        .startSpan();
                try (Scope ignored = request.makeCurrent()) {
                    ref.send("traced");
                } finally {
                    request.end();
                }
                ref.send("untraced");
                assertTrue(
                        events.awaitEvents(ProcessEvent.MessageHandled.class, 2).stream()
                                .allMatch(e -> e.id().equals(ref.id())),
                        events::dump);
                recording.stop();
                recording.dump(file);
            }
            ref.stop().join();

            List<SpanData> spans = otel.getSpans().stream()
                    .filter(s -> s.getName().equals("process together"))
                    .toList();
            assertEquals(1, spans.size(), otel.getSpans()::toString);
            List<RecordedEvent> handled = RecordingFile.readAllEvents(file).stream()
                    .filter(e -> e.getEventType().getName().equals("dev.phyxius.MessageHandled"))
                    .filter(e -> ref.id().value().equals(e.getString("processId")))
                    .toList();
            assertEquals(2, handled.size());
        }
    }
}

package dev.phyxius.tests.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phyxius.observability.PhyxiusObservability;
import dev.phyxius.process.ProcessEvent;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.Processes;
import dev.phyxius.process.Reply;
import dev.phyxius.process.SpawnOptions;
import dev.phyxius.process.StopReason;
import dev.phyxius.testing.ControlledClock;
import dev.phyxius.testing.ProcessTestKit;
import dev.phyxius.testing.RecordedEvents;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.junit5.OpenTelemetryExtension;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(30)
class TracingTest {

    @RegisterExtension
    static final OpenTelemetryExtension otel = OpenTelemetryExtension.create();

    sealed interface Msg {}

    record Work(String secret) implements Msg {}

    record Fail() implements Msg {}

    record Ask(Reply<String> reply) implements Msg {}

    final ProcessTestKit kit = ProcessTestKit.create();
    final ControlledClock clock = kit.clock();
    final RecordedEvents events = kit.events();
    final Tracer appTracer = otel.getOpenTelemetry().getTracer("app");
    /** What the handler saw as the current span, one entry per message. */
    final List<SpanContext> currentInHandler = new CopyOnWriteArrayList<>();

    final List<ProcessRef<?>> spawned = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopAll() {
        spawned.forEach(ref -> ref.stop().join());
        kit.close();
    }

    /** A process whose handler records the current span and starts one span of its own. */
    ProcessRef<Msg> spawn(String name, Function<PhyxiusObservability.Builder, PhyxiusObservability.Builder> config) {
        PhyxiusObservability observability = config.apply(PhyxiusObservability.builder()
                        .openTelemetry(otel.getOpenTelemetry())
                        .forwardTo(kit.eventSink()))
                .build();
        ProcessSpec<Msg, Integer, Void> spec = ProcessSpec.<Msg, Integer>named(name)
                .init(() -> 0)
                .handler((state, msg, tools) -> {
                    currentInHandler.add(Span.current().getSpanContext());
                    switch (msg) {
                        case Work w ->
                            appTracer.spanBuilder("inside handler").startSpan().end();
                        case Fail f -> throw new IllegalStateException("handler failed");
                        case Ask a -> a.reply().send("answer");
                    }
                    return state + 1;
                })
                .build();
        ProcessRef<Msg> ref = Processes.spawn(spec, observability.apply(SpawnOptions.of(clock)));
        spawned.add(ref);
        return ref;
    }

    ProcessRef<Msg> spawn(String name) {
        return spawn(name, b -> b);
    }

    /** Sends inside a sampled "request" span and returns that span's context. */
    SpanContext sendInRequest(ProcessRef<Msg> ref, Msg msg) {
        Span request = appTracer.spanBuilder("request").startSpan();
        try (Scope ignored = request.makeCurrent()) {
            assertTrue(ref.send(msg));
        } finally {
            request.end();
        }
        return request.getSpanContext();
    }

    /** Waits until {@code ref} has handled one message of each of {@code types}, and checks that it was those, in order. */
    void awaitHandled(ProcessRef<?> ref, Class<?>... types) {
        List<ProcessEvent.MessageHandled> handled =
                events.awaitEvents(ProcessEvent.MessageHandled.class, types.length, e -> e.id().equals(ref.id()));
        assertEquals(
                List.of(types),
                handled.stream().map(ProcessEvent.MessageHandled::messageType).toList());
        assertTrue(handled.stream().allMatch(e -> e.name().equals(ref.name())), handled::toString);
    }

    SpanData span(String name) {
        List<SpanData> found =
                otel.getSpans().stream().filter(s -> s.getName().equals(name)).toList();
        assertEquals(1, found.size(), () -> "spans named '" + name + "': " + otel.getSpans());
        return found.get(0);
    }

    static String attribute(SpanData span, String key) {
        return span.getAttributes().get(AttributeKey.stringKey(key));
    }

    @Test
    void aTracedMessageGetsAConsumerSpanNamedAfterTheProcessWithMessagingAttributes() {
        ProcessRef<Msg> ref = spawn("orders");
        sendInRequest(ref, new Work("s3cr3t"));
        awaitHandled(ref, Work.class);

        SpanData span = span("process orders");
        assertEquals(SpanKind.CONSUMER, span.getKind());
        assertEquals(
                Map.of(
                        "messaging.system", "phyxius",
                        "messaging.operation.name", "process",
                        "messaging.operation.type", "process",
                        "messaging.destination.name", "orders",
                        "phyxius.process.id", ref.id().value(),
                        "phyxius.message.type", "Work"),
                stringAttributes(span));
        assertEquals(StatusCode.UNSET, span.getStatus().getStatusCode());
    }

    @Test
    void noAttributeCarriesTheMessageContents() {
        ProcessRef<Msg> ref = spawn("orders");
        sendInRequest(ref, new Work("s3cr3t"));
        awaitHandled(ref, Work.class);

        for (SpanData span : otel.getSpans()) {
            span.getAttributes()
                    .forEach((key, value) ->
                            assertFalse(String.valueOf(value).contains("s3cr3t"), () -> key + " leaks the message"));
        }
    }

    @Test
    void aSpanStartedInTheHandlerIsAChildOfTheMessageSpanWhichIsAChildOfTheSender() {
        ProcessRef<Msg> ref = spawn("orders");
        SpanContext request = sendInRequest(ref, new Work("x"));
        awaitHandled(ref, Work.class);

        SpanData message = span("process orders");
        SpanData inside = span("inside handler");
        assertEquals(request.getTraceId(), message.getTraceId());
        assertEquals(request.getSpanId(), message.getParentSpanId());
        assertEquals(message.getTraceId(), inside.getTraceId());
        assertEquals(message.getSpanId(), inside.getParentSpanId());
        assertEquals(message.getSpanContext(), currentInHandler.get(0));
    }

    @Test
    void anAskCarriesTheAskersContextAcrossTheMailbox() {
        ProcessRef<Msg> ref = spawn("orders");
        Span request = appTracer.spanBuilder("request").startSpan();
        try (Scope ignored = request.makeCurrent()) {
            assertEquals("answer", ref.<String>ask(Ask::new).join());
        } finally {
            request.end();
        }
        awaitHandled(ref, Ask.class);

        assertEquals(
                request.getSpanContext().getSpanId(), span("process orders").getParentSpanId());
    }

    @Test
    void anUntracedMessageGetsNoSpanAndTheHandlerSeesNoSpan() {
        ProcessRef<Msg> ref = spawn("orders");
        assertTrue(ref.send(new Work("x")));
        awaitHandled(ref, Work.class);

        assertEquals(
                List.of("inside handler"),
                otel.getSpans().stream().map(SpanData::getName).toList());
        assertFalse(currentInHandler.get(0).isValid());
        assertNull(
                PhyxiusObservability.builder()
                        .openTelemetry(otel.getOpenTelemetry())
                        .build()
                        .instrumentation()
                        .capture(ref, new Work("x")),
                "capture outside any span");
    }

    @Test
    void theProcessThreadDoesNotKeepAMessagesContextForTheNextMessage() {
        ProcessRef<Msg> ref = spawn("orders");
        sendInRequest(ref, new Work("traced"));
        assertTrue(ref.send(new Work("untraced")));
        awaitHandled(ref, Work.class, Work.class);

        assertTrue(currentInHandler.get(0).isValid());
        assertFalse(currentInHandler.get(1).isValid());
    }

    @Test
    void linkModeStartsANewTraceThatLinksToTheSendersSpan() {
        ProcessRef<Msg> ref = spawn("orders", PhyxiusObservability.Builder::linkToSenderSpan);
        SpanContext request = sendInRequest(ref, new Work("x"));
        awaitHandled(ref, Work.class);

        SpanData message = span("process orders");
        assertNotEquals(request.getTraceId(), message.getTraceId());
        assertFalse(message.getParentSpanContext().isValid());
        assertEquals(
                List.of(request),
                message.getLinks().stream().map(link -> link.getSpanContext()).toList());
        assertEquals(message.getSpanId(), span("inside handler").getParentSpanId());
    }

    @Test
    void aProcessChosenToStartTracesGetsARootSpanForAnUntracedMessage() {
        ProcessRef<Msg> chosen = spawn("ingest", b -> b.startTracesFor(name -> name.equals("ingest")));
        ProcessRef<Msg> other = spawn("orders", b -> b.startTracesFor(name -> name.equals("ingest")));
        assertTrue(chosen.send(new Work("x")));
        assertTrue(other.send(new Work("x")));
        awaitHandled(chosen, Work.class);
        awaitHandled(other, Work.class);

        SpanData root = span("process ingest");
        assertFalse(root.getParentSpanContext().isValid());
        assertTrue(otel.getSpans().stream().noneMatch(s -> s.getName().equals("process orders")));
    }

    @Test
    void aThrowingHandlerEndsItsSpanWithErrorStatusErrorTypeAndTheException() {
        ProcessRef<Msg> ref = spawn("orders");
        sendInRequest(ref, new Fail());
        ProcessEvent.Failed failedEvent = events.awaitEvent(ProcessEvent.Failed.class);
        assertEquals(ref.id(), failedEvent.id());
        assertEquals("handler failed", failedEvent.error().getMessage());

        SpanData span = span("process orders");
        assertEquals(StatusCode.ERROR, span.getStatus().getStatusCode());
        assertEquals(IllegalStateException.class.getName(), attribute(span, "error.type"));
        EventData exception = span.getEvents().stream()
                .filter(e -> e.getName().equals("exception"))
                .findFirst()
                .orElseThrow();
        assertEquals(
                IllegalStateException.class.getName(),
                exception.getAttributes().get(AttributeKey.stringKey("exception.type")));
    }

    @Test
    void spawningInsideASpanAddsAStartedSpanEventToIt() {
        Span request = appTracer.spanBuilder("request").startSpan();
        ProcessRef<Msg> ref;
        try (Scope ignored = request.makeCurrent()) {
            ref = spawn("orders");
        } finally {
            request.end();
        }

        List<EventData> spanEvents = span("request").getEvents();
        assertEquals(
                List.of("phyxius.process.started"),
                spanEvents.stream().map(EventData::getName).toList());
        assertEquals("orders", spanEvents.get(0).getAttributes().get(AttributeKey.stringKey("phyxius.process.name")));
        assertEquals(
                ref.id().value(), spanEvents.get(0).getAttributes().get(AttributeKey.stringKey("phyxius.process.id")));
    }

    @Test
    void aStopOutsideAnySpanBecomesAShortSpanOnlyForAProcessChosenToStartTraces() {
        // Stopped is emitted on the process's own thread, where no request span is current.
        ProcessRef<Msg> chosen = spawn("ingest", b -> b.startTracesFor(name -> name.equals("ingest")));
        ProcessRef<Msg> other = spawn("orders", b -> b.startTracesFor(name -> name.equals("ingest")));
        other.stop().join();
        chosen.stop().join();
        List<ProcessEvent.Stopped> stops = events.awaitEvents(ProcessEvent.Stopped.class, 2);
        assertEquals(
                java.util.Set.of(other.id(), chosen.id()),
                stops.stream().map(ProcessEvent.Stopped::id).collect(java.util.stream.Collectors.toSet()));
        assertTrue(stops.stream().allMatch(e -> e.reason() == StopReason.NORMAL), stops::toString);

        SpanData stopped = span("phyxius.process.stopped");
        assertEquals(SpanKind.INTERNAL, stopped.getKind());
        assertEquals("ingest", attribute(stopped, "phyxius.process.name"));
        assertEquals(chosen.id().value(), attribute(stopped, "phyxius.process.id"));
        assertEquals("normal", attribute(stopped, "phyxius.stop.reason"));
    }

    @Test
    void aFailureOutsideAnySpanBecomesAShortErrorSpanOnlyForAProcessChosenToStartTraces() {
        ProcessRef<Msg> chosen = spawn("ingest", b -> b.startTracesFor(name -> name.equals("ingest")));
        ProcessRef<Msg> other = spawn("orders", b -> b.startTracesFor(name -> name.equals("ingest")));
        assertTrue(other.send(new Fail()));
        assertEquals(
                "handler failed",
                events.awaitEvent(ProcessEvent.Failed.class, e -> e.id().equals(other.id()))
                        .error()
                        .getMessage());
        assertTrue(chosen.send(new Fail()));
        assertEquals(
                "handler failed",
                events.awaitEvent(ProcessEvent.Failed.class, e -> e.id().equals(chosen.id()))
                        .error()
                        .getMessage());

        SpanData failed = span("phyxius.process.failed");
        assertEquals(SpanKind.INTERNAL, failed.getKind());
        assertEquals(StatusCode.ERROR, failed.getStatus().getStatusCode());
        assertEquals("ingest", attribute(failed, "phyxius.process.name"));
        assertEquals(IllegalStateException.class.getName(), attribute(failed, "error.type"));
    }

    @Test
    void tracingWithoutAnOpenTelemetryUsesTheGlobalOne() {
        // OpenTelemetryExtension registers its SDK as GlobalOpenTelemetry for this class.
        PhyxiusObservability observability = PhyxiusObservability.builder()
                .tracing(true)
                .forwardTo(kit.eventSink())
                .build();
        ProcessSpec<Msg, Integer, Void> spec = ProcessSpec.<Msg, Integer>named("global")
                .init(() -> 0)
                .handler((state, msg, tools) -> state)
                .build();
        ProcessRef<Msg> ref = Processes.spawn(spec, observability.apply(SpawnOptions.of(clock)));
        spawned.add(ref);
        sendInRequest(ref, new Work("x"));
        awaitHandled(ref, Work.class);

        assertEquals(SpanKind.CONSUMER, span("process global").getKind());
    }

    private static Map<String, String> stringAttributes(SpanData span) {
        Map<String, String> map = new java.util.HashMap<>();
        span.getAttributes().forEach((key, value) -> map.put(key.getKey(), String.valueOf(value)));
        return map;
    }
}

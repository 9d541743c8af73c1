package dev.phyxius.tests.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phyxius.observability.PhyxiusObservability;
import dev.phyxius.process.ProcessEvent;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.Processes;
import dev.phyxius.process.SpawnOptions;
import dev.phyxius.supervisor.ChildOptions;
import dev.phyxius.supervisor.SupervisionStrategy;
import dev.phyxius.supervisor.Supervisor;
import dev.phyxius.supervisor.SupervisorAction;
import dev.phyxius.supervisor.SupervisorEvent;
import dev.phyxius.supervisor.SupervisorOptions;
import dev.phyxius.testing.ControlledClock;
import dev.phyxius.testing.ProcessTestKit;
import dev.phyxius.testing.RecordedEvents;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.junit5.OpenTelemetryExtension;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A child that fails twice under a strategy allowing one restart: one restart, then a give-up. */
@Timeout(30)
class SupervisorObservabilityTest {

    @RegisterExtension
    static final OpenTelemetryExtension otel = OpenTelemetryExtension.create();

    @TempDir
    Path dir;

    final ProcessTestKit kit = ProcessTestKit.create();
    final ControlledClock clock = kit.clock();
    final RecordedEvents events = kit.events();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final PhyxiusObservability observability = PhyxiusObservability.builder()
            .openTelemetry(otel.getOpenTelemetry())
            .startTracesFor(name -> name.equals("flaky"))
            .meterRegistry(registry)
            .jfr(true)
            .forwardTo(kit.eventSink())
            .build();
    final Supervisor supervisor = new Supervisor(observability.apply(SupervisorOptions.of(clock)
            .withStrategy(SupervisionStrategy.oneForOne().withMaxRestarts(1, Duration.ofMinutes(1)))));

    @AfterEach
    void stopSupervisor() {
        supervisor.close();
        kit.close();
    }

    static ProcessSpec<String, String, Void> flaky() {
        return ProcessSpec.<String, String>named("flaky")
                .init(() -> "state")
                .handler((state, msg, tools) -> {
                    if (msg.equals("boom")) {
                        throw new IllegalStateException("boom");
                    }
                    return state;
                })
                .build();
    }

    /** Fails the child, waits for its restart, fails it again and waits for the give-up. */
    void failTwice(ProcessRef<String> child) {
        child.send("boom");
        ProcessEvent.Restarted restarted = events.awaitEvent(ProcessEvent.Restarted.class);
        assertEquals(child.id(), restarted.id());
        assertEquals("flaky", restarted.name());
        child.send("boom");
        SupervisorEvent.GaveUp gaveUp = events.awaitEvent(SupervisorEvent.GaveUp.class);
        assertEquals(child.id(), gaveUp.child());
        assertEquals(supervisor.id(), gaveUp.supervisor());
        assertEquals(1, gaveUp.restarts());
        assertEquals(Duration.ofMinutes(1), gaveUp.within());
    }

    @Test
    void aChildSpawnedByTheSupervisorGetsAMessageSpanInEveryLife() {
        ProcessRef<String> child = supervisor.spawn(flaky());
        child.send("hello");
        assertEquals(
                child.id(), events.awaitEvent(ProcessEvent.MessageHandled.class).id());
        child.send("boom");
        assertEquals(child.id(), events.awaitEvent(ProcessEvent.Restarted.class).id());
        child.send("again");
        List<ProcessEvent.MessageHandled> handled = events.awaitEvents(ProcessEvent.MessageHandled.class, 2);
        assertEquals(
                List.of(child.id(), child.id()),
                handled.stream().map(ProcessEvent.MessageHandled::id).toList(),
                "one message handled in each life, behind the same ref");
        assertEquals(
                "boom",
                events.assertCount(ProcessEvent.Failed.class, 1)
                        .getFirst()
                        .error()
                        .getMessage());

        List<SpanData> spans = otel.getSpans().stream()
                .filter(s -> s.getName().equals("process flaky"))
                .toList();
        assertEquals(3, spans.size(), otel.getSpans().toString());
        assertTrue(spans.stream().allMatch(s -> s.getKind() == SpanKind.CONSUMER));
        assertEquals(
                1,
                spans.stream()
                        .filter(s -> s.getStatus().getStatusCode() == StatusCode.ERROR)
                        .count());
    }

    @Test
    void giveUpsRestartsAndFailuresAreCountedUnderTheChildsName() {
        ProcessRef<String> child = supervisor.spawn(flaky());
        failTwice(child);
        List<ProcessEvent.Failed> failures = events.awaitEvents(ProcessEvent.Failed.class, 2);
        assertTrue(
                failures.stream()
                        .allMatch(f -> f.id().equals(child.id())
                                && f.error().getMessage().equals("boom")),
                failures::toString);
        child.termination().join(); // given up: it ends for good, and is no longer live

        assertEquals(
                1.0,
                registry.get("phyxius.process.giveups")
                        .tags("process", "flaky")
                        .counter()
                        .count());
        assertEquals(
                1.0,
                registry.get("phyxius.process.restarts")
                        .tags("process", "flaky")
                        .counter()
                        .count());
        assertEquals(
                2.0,
                registry.get("phyxius.process.failures")
                        .tags("process", "flaky")
                        .counter()
                        .count());
        assertEquals(
                0.0,
                registry.get("phyxius.process.live")
                        .tags("process", "flaky")
                        .gauge()
                        .value());
    }

    @Test
    void aRestartAndAGiveUpAreRecordedInJfrWithTheChildNamedAttemptBackoffAndWindow() throws Exception {
        Path file = dir.resolve("supervisor.jfr");
        ProcessRef<String> child;
        try (Recording recording = new Recording()) {
            recording.enable("dev.phyxius.SupervisorRestart");
            recording.enable("dev.phyxius.SupervisorGaveUp");
            recording.enable("dev.phyxius.ProcessRestarted");
            recording.start();
            child = supervisor.spawn(flaky());
            failTwice(child);
            recording.stop();
            recording.dump(file);
        }

        List<RecordedEvent> recorded = RecordingFile.readAllEvents(file);
        RecordedEvent gaveUp = recorded.stream()
                .filter(e -> e.getEventType().getName().equals("dev.phyxius.SupervisorGaveUp"))
                .filter(e -> child.id().value().equals(e.getString("childId")))
                .findFirst()
                .orElseThrow();
        assertEquals("flaky", gaveUp.getString("childName"));
        assertEquals(supervisor.id().value(), gaveUp.getString("supervisorId"));
        assertEquals(1, gaveUp.getInt("restarts"));
        assertEquals(Duration.ofMinutes(1), gaveUp.getDuration("within"));
        assertEquals(List.of("Phyxius", "Supervisor"), gaveUp.getEventType().getCategoryNames());
        SupervisorEvent.RestartScheduled scheduled =
                events.ofType(SupervisorEvent.RestartScheduled.class).get(0);
        List<RecordedEvent> restarts = recorded.stream()
                .filter(e -> e.getEventType().getName().equals("dev.phyxius.SupervisorRestart"))
                .filter(e -> child.id().value().equals(e.getString("childId")))
                .toList();
        assertEquals(1, restarts.size(), recorded::toString);
        RecordedEvent restart = restarts.get(0);
        assertEquals("flaky", restart.getString("childName"));
        assertEquals(supervisor.id().value(), restart.getString("supervisorId"));
        assertEquals(1, restart.getInt("attempt"));
        assertEquals(scheduled.delay(), restart.getDuration("delay"));
        assertEquals(List.of("Phyxius", "Supervisor"), restart.getEventType().getCategoryNames());
        assertTrue(recorded.stream()
                .anyMatch(e -> e.getEventType().getName().equals("dev.phyxius.ProcessRestarted")
                        && child.id().value().equals(e.getString("processId"))));
    }

    @Test
    void aGiveUpOutsideAnySpanBecomesAnErrorSpanForAChildChosenToStartTraces() {
        ProcessRef<String> child = supervisor.spawn(flaky());
        failTwice(child);

        SpanData gaveUp = otel.getSpans().stream()
                .filter(s -> s.getName().equals("phyxius.supervisor.gave_up"))
                .findFirst()
                .orElseThrow(() -> new AssertionError(otel.getSpans().toString()));
        assertEquals(SpanKind.INTERNAL, gaveUp.getKind());
        assertEquals(StatusCode.ERROR, gaveUp.getStatus().getStatusCode());
        assertEquals("flaky", gaveUp.getAttributes().get(AttributeKey.stringKey("phyxius.process.name")));
        assertEquals(child.id().value(), gaveUp.getAttributes().get(AttributeKey.stringKey("phyxius.process.id")));
        assertEquals(
                supervisor.id().value(), gaveUp.getAttributes().get(AttributeKey.stringKey("phyxius.supervisor.id")));
        assertEquals(1L, gaveUp.getAttributes().get(AttributeKey.longKey("phyxius.supervisor.restarts")));
    }

    @Test
    void anAdoptedChildKeepsItsMessageSpansAcrossARestart() {
        // A supervisor cannot instrument the children it spawns; an adopted child keeps the
        // instrumentation it was spawned with, in every life.
        ProcessRef<String> child = Processes.spawn(flaky(), observability.apply(SpawnOptions.of(clock)));
        supervisor.supervise(child, SupervisorAction.RESTART);
        child.send("boom");
        assertEquals(child.id(), events.awaitEvent(ProcessEvent.Restarted.class).id());
        Span request =
                otel.getOpenTelemetry().getTracer("app").spanBuilder("request").startSpan();
        try (Scope ignored = request.makeCurrent()) {
            child.send("after restart");
        } finally {
            request.end();
        }
        ProcessEvent.MessageHandled afterRestart = events.awaitEvent(ProcessEvent.MessageHandled.class);
        assertEquals(child.id(), afterRestart.id());
        assertEquals("flaky", afterRestart.name());

        SpanData handled = otel.getSpans().stream()
                .filter(s ->
                        s.getName().equals("process flaky") && s.getStatus().getStatusCode() == StatusCode.UNSET)
                .findFirst()
                .orElseThrow(() -> new AssertionError(otel.getSpans().toString()));
        assertEquals(request.getSpanContext().getSpanId(), handled.getParentSpanId());
    }

    @Test
    void anEscalationIsRecordedInJfrAndAsAnErrorSpanNamedAfterTheChild() throws Exception {
        Supervisor nested = new Supervisor(observability.apply(SupervisorOptions.of(clock)));
        supervisor.supervise(nested);
        Path file = dir.resolve("escalation.jfr");
        ProcessRef<String> child;
        try (Recording recording = new Recording()) {
            recording.enable("dev.phyxius.SupervisorEscalated");
            recording.start();
            child = nested.spawn(flaky(), ChildOptions.defaults().withAction(SupervisorAction.ESCALATE));
            child.send("boom");
            SupervisorEvent.Escalated escalatedEvent = events.awaitEvent(SupervisorEvent.Escalated.class);
            assertEquals(child.id(), escalatedEvent.child());
            assertEquals(nested.id(), escalatedEvent.supervisor());
            assertEquals(supervisor.id(), escalatedEvent.parent());
            assertEquals("boom", escalatedEvent.error().getMessage());
            recording.stop();
            recording.dump(file);
        }

        RecordedEvent escalated = RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals("dev.phyxius.SupervisorEscalated"))
                .filter(e -> child.id().value().equals(e.getString("childId")))
                .findFirst()
                .orElseThrow();
        assertEquals("flaky", escalated.getString("childName"));
        assertEquals(nested.id().value(), escalated.getString("supervisorId"));
        assertEquals(supervisor.id().value(), escalated.getString("parentId"));
        assertEquals(IllegalStateException.class.getName(), escalated.getString("errorType"));
        SpanData span = otel.getSpans().stream()
                .filter(s -> s.getName().equals("phyxius.supervisor.escalated"))
                .findFirst()
                .orElseThrow(() -> new AssertionError(otel.getSpans().toString()));
        assertEquals(StatusCode.ERROR, span.getStatus().getStatusCode());
        assertEquals(
                supervisor.id().value(),
                span.getAttributes().get(AttributeKey.stringKey("phyxius.supervisor.parent.id")));
    }
}

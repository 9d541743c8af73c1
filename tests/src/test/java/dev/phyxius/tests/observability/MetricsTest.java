package dev.phyxius.tests.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phyxius.observability.PhyxiusObservability;
import dev.phyxius.observability.micrometer.PhyxiusMetrics;
import dev.phyxius.process.MailboxPolicy;
import dev.phyxius.process.ProcessEvent;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.Processes;
import dev.phyxius.process.SpawnOptions;
import dev.phyxius.process.StopReason;
import dev.phyxius.supervisor.SupervisionStrategy;
import dev.phyxius.supervisor.Supervisor;
import dev.phyxius.supervisor.SupervisorEvent;
import dev.phyxius.supervisor.SupervisorOptions;
import dev.phyxius.testing.ControlledClock;
import dev.phyxius.testing.ProcessTestKit;
import dev.phyxius.testing.RecordedEvents;
import dev.phyxius.tests.support.Gate;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class MetricsTest {

    final ProcessTestKit kit = ProcessTestKit.create();
    final ControlledClock clock = kit.clock();
    final RecordedEvents events = kit.events();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final PhyxiusObservability observability = PhyxiusObservability.builder()
            .meterRegistry(registry)
            .forwardTo(kit.eventSink())
            .build();
    final Gate gate = new Gate();

    @AfterEach
    void tearDown() {
        kit.close();
    }

    /** "hold" waits at the gate, "work" takes 5 ms on the clock, "boom" throws. */
    ProcessRef<String> spawn(String name, int maxInbox, MailboxPolicy policy) {
        ProcessSpec<String, String, Void> spec = ProcessSpec.<String, String>named(name)
                .init(() -> "state")
                .handler((state, msg, tools) -> {
                    switch (msg) {
                        case "hold" -> gate.pass();
                        case "work" -> clock.advance(Duration.ofMillis(5));
                        case "boom" -> throw new IllegalStateException("boom");
                        default -> {}
                    }
                    return state;
                })
                .maxInbox(maxInbox)
                .mailboxPolicy(policy)
                .build();
        return Processes.spawn(spec, observability.apply(SpawnOptions.of(clock)));
    }

    ProcessRef<String> spawn(String name) {
        return spawn(name, 16, MailboxPolicy.REJECT);
    }

    double count(String meter, String... tags) {
        return registry.get(meter).tags(tags).counter().count();
    }

    @Test
    void countsHandledMessagesAndTimesHandlingAndMailboxWaitOnTheProcessClock() throws Exception {
        ProcessRef<String> ref = spawn("worker");
        ref.send("hold");
        gate.awaitEntered();
        ref.send("work"); // enqueued at 0 ms
        clock.advance(Duration.ofMillis(3));
        gate.open(); // "hold" ran 3 ms; "work" waited 3 ms, then runs 5 ms
        List<ProcessEvent.MessageHandled> handled = events.awaitEvents(ProcessEvent.MessageHandled.class, 2);
        assertEquals(
                List.of("worker", "worker"),
                handled.stream().map(ProcessEvent.MessageHandled::name).toList());
        assertEquals(
                List.of(Duration.ofMillis(3), Duration.ofMillis(5)),
                handled.stream().map(ProcessEvent.MessageHandled::handling).toList());
        assertEquals(
                List.of(Duration.ZERO, Duration.ofMillis(3)),
                handled.stream().map(ProcessEvent.MessageHandled::queued).toList());

        assertEquals(
                2.0, count("phyxius.process.messages", "process", "worker", "outcome", "handled", "reason", "none"));
        var handling = registry.get("phyxius.process.handling")
                .tags("process", "worker")
                .timer();
        assertEquals(2, handling.count());
        assertEquals(8.0, handling.totalTime(TimeUnit.MILLISECONDS));
        assertEquals(5.0, handling.max(TimeUnit.MILLISECONDS));
        var waited = registry.get("phyxius.process.mailbox.wait")
                .tags("process", "worker")
                .timer();
        assertEquals(2, waited.count());
        assertEquals(3.0, waited.totalTime(TimeUnit.MILLISECONDS));
        ref.stop().join();
    }

    @Test
    void countsFailuresByExceptionAndTheMessageWhoseHandlerThrewAsFailed() {
        ProcessRef<String> ref = spawn("worker");
        ref.send("boom");
        ProcessEvent.Failed failed = events.awaitEvent(ProcessEvent.Failed.class);
        assertEquals("worker", failed.name());
        assertEquals(ref.id(), failed.id());
        assertInstanceOf(IllegalStateException.class, failed.error());
        assertEquals("boom", failed.error().getMessage());

        assertEquals(1.0, count("phyxius.process.failures", "process", "worker", "exception", "IllegalStateException"));
        assertEquals(
                1.0, count("phyxius.process.messages", "process", "worker", "outcome", "failed", "reason", "none"));
    }

    @Test
    void theLiveGaugeCountsProcessesFromTheirStartToTheirEnd() {
        ProcessRef<String> first = spawn("worker");
        ProcessRef<String> second = spawn("worker");
        var live =
                registry.get("phyxius.process.live").tags("process", "worker").gauge();
        assertEquals(2.0, live.value());

        first.stop().join();
        ProcessEvent.Stopped stopped = events.awaitEvent(ProcessEvent.Stopped.class);
        assertEquals(first.id(), stopped.id());
        assertEquals(StopReason.NORMAL, stopped.reason());
        assertEquals(1.0, live.value());

        second.send("boom");
        second.termination().join(); // completes once the process is detached
        assertEquals(0.0, live.value());
    }

    @Test
    void countsMessagesDroppedByAStopAndByEvictionWithTheirReason() throws Exception {
        ProcessRef<String> stopped = spawn("stopped");
        stopped.send("hold");
        gate.awaitEntered();
        stopped.send("queued");
        CompletableFuture<Void> stop = stopped.stop();
        gate.open();
        stop.join();
        assertEquals(
                StopReason.NORMAL, events.awaitEvent(ProcessEvent.Stopped.class).reason());
        ProcessEvent.MessageDropped droppedByStop =
                events.assertCount(ProcessEvent.MessageDropped.class, 1).getFirst();
        assertEquals("queued", droppedByStop.message());
        assertEquals(ProcessEvent.DropReason.STOPPED, droppedByStop.reason());
        assertEquals(
                1.0,
                count("phyxius.process.messages", "process", "stopped", "outcome", "dropped", "reason", "stopped"));

        Gate evictionGate = new Gate();
        ProcessSpec<String, String, Void> spec = ProcessSpec.<String, String>named("evicting")
                .handler((state, msg, tools) -> {
                    if (msg.equals("hold")) {
                        evictionGate.pass();
                    }
                    return state;
                })
                .maxInbox(1)
                .mailboxPolicy(MailboxPolicy.DROP_OLDEST)
                .build();
        ProcessRef<String> evicting = Processes.spawn(spec, observability.apply(SpawnOptions.of(clock)));
        evicting.send("hold");
        evictionGate.awaitEntered();
        evicting.send("oldest");
        evicting.send("newest"); // evicts "oldest"
        evictionGate.open();
        events.awaitEvents(ProcessEvent.MessageHandled.class, 2, e -> e.name().equals("evicting"));
        ProcessEvent.MessageDropped evicted = events.awaitEvent(
                ProcessEvent.MessageDropped.class, e -> e.name().equals("evicting"));
        assertEquals("oldest", evicted.message());
        assertEquals(ProcessEvent.DropReason.EVICTED, evicted.reason());
        assertEquals(
                1.0,
                count("phyxius.process.messages", "process", "evicting", "outcome", "dropped", "reason", "evicted"));
        evicting.stop().join();
    }

    @Test
    void countsRejectedSendsWithTheirReason() throws Exception {
        ProcessRef<String> ref = spawn("small", 1, MailboxPolicy.REJECT);
        ref.send("hold");
        gate.awaitEntered();
        assertTrue(ref.send("fits"));
        assertFalse(ref.send("full"));
        gate.open();
        ref.stop().join();
        assertFalse(ref.send("late"));

        assertEquals(
                1.0,
                count("phyxius.process.messages", "process", "small", "outcome", "rejected", "reason", "mailbox_full"));
        assertEquals(
                1.0,
                count(
                        "phyxius.process.messages",
                        "process",
                        "small",
                        "outcome",
                        "rejected",
                        "reason",
                        "not_accepting"));
    }

    @Test
    void processesThatShareANameShareTheirMetersAndNoMeterIsTaggedWithAnId() {
        ProcessRef<String> first = spawn("twin");
        ProcessRef<String> second = spawn("twin");
        first.send("work");
        second.send("work");
        List<ProcessEvent.MessageHandled> handled = events.awaitEvents(ProcessEvent.MessageHandled.class, 2);
        assertEquals(
                Set.of(first.id(), second.id()),
                handled.stream().map(ProcessEvent.MessageHandled::id).collect(Collectors.toSet()),
                "one message handled by each twin");
        assertTrue(handled.stream().allMatch(e -> e.name().equals("twin")), handled::toString);

        assertEquals(2.0, count("phyxius.process.messages", "process", "twin", "outcome", "handled"));
        List<String> ids = List.of(first.id().value(), second.id().value());
        for (Meter meter : registry.getMeters()) {
            for (Tag tag : meter.getId().getTags()) {
                assertFalse(ids.contains(tag.getValue()), () -> meter.getId() + " is tagged with a process id");
            }
        }
        first.stop().join();
        second.stop().join();
    }

    @Test
    void aProcessThatHandlesAMessageRegistersTheMetersTheReadmeListsWithTheirTags() {
        ProcessRef<String> ref = spawn("worker");
        ref.send("work");
        ProcessEvent.MessageHandled handled = events.awaitEvent(ProcessEvent.MessageHandled.class);
        assertEquals("worker", handled.name());
        assertEquals(String.class, handled.messageType());
        assertEquals(Duration.ofMillis(5), handled.handling());

        // One line per meter: name, type, tag keys; the README's table says the same.
        assertEquals(
                List.of(
                        "phyxius.process.handling TIMER [process]",
                        "phyxius.process.live GAUGE [process]",
                        "phyxius.process.mailbox.size GAUGE [process]",
                        "phyxius.process.mailbox.wait TIMER [process]",
                        "phyxius.process.messages COUNTER [outcome, process, reason]"),
                registry.getMeters().stream()
                        .map(MetricsTest::describe)
                        .distinct()
                        .sorted()
                        .toList());
        ref.stop().join();
    }

    @Test
    void failuresRestartsAndGiveUpsAddTheirCountersUnderTheProcessName() {
        kitlessSupervisedCrashLoop();
        assertEquals(
                List.of(
                        "phyxius.process.failures COUNTER [exception, process]",
                        "phyxius.process.giveups COUNTER [process]",
                        "phyxius.process.restarts COUNTER [process]"),
                registry.getMeters().stream()
                        .map(MetricsTest::describe)
                        .filter(line ->
                                line.contains("failures") || line.contains("restarts") || line.contains("giveups"))
                        .distinct()
                        .sorted()
                        .toList());
        assertEquals(1.0, count("phyxius.process.restarts", "process", "crashy"));
        assertEquals(1.0, count("phyxius.process.giveups", "process", "crashy"));
        assertEquals(2.0, count("phyxius.process.failures", "process", "crashy", "exception", "IllegalStateException"));
    }

    /** A child allowed one restart fails twice: one restart, then a give-up. */
    private void kitlessSupervisedCrashLoop() {
        try (Supervisor supervisor = new Supervisor(observability.apply(SupervisorOptions.of(clock)
                .withStrategy(SupervisionStrategy.oneForOne().withMaxRestarts(1, Duration.ofMinutes(1)))))) {
            ProcessRef<String> child = supervisor.spawn(ProcessSpec.<String, String>named("crashy")
                    .init(() -> "state")
                    .handler((state, msg, tools) -> {
                        throw new IllegalStateException("crash");
                    })
                    .build());
            child.send("boom");
            assertEquals(
                    child.id(), events.awaitEvent(ProcessEvent.Restarted.class).id());
            child.send("boom");
            SupervisorEvent.GaveUp gaveUp = events.awaitEvent(SupervisorEvent.GaveUp.class);
            assertEquals(child.id(), gaveUp.child());
            assertEquals(1, gaveUp.restarts());
            assertEquals(
                    List.of("crash", "crash"),
                    events.awaitEvents(ProcessEvent.Failed.class, 2).stream()
                            .map(failed -> failed.error().getMessage())
                            .toList());
        }
    }

    static String describe(Meter meter) {
        return meter.getId().getName() + " " + meter.getId().getType() + " "
                + meter.getId().getTags().stream().map(Tag::getKey).sorted().toList();
    }

    @Test
    void aMeterBinderBindsToOneRegistryOnly() {
        PhyxiusMetrics metrics = PhyxiusMetrics.create();
        metrics.bindTo(registry);
        metrics.bindTo(registry); // binding the same registry again changes nothing
        assertThrows(IllegalStateException.class, () -> metrics.bindTo(new SimpleMeterRegistry()));
    }

    @Test
    void metricsCountFromTheMomentTheyAreBound() {
        PhyxiusMetrics metrics = PhyxiusMetrics.create();
        ProcessSpec<String, String, Void> spec = ProcessSpec.<String, String>named("late")
                .handler((state, msg, tools) -> state)
                .build();
        ProcessRef<String> ref = Processes.spawn(spec, SpawnOptions.of(clock).withEvents(event -> {
            metrics.emit(event);
            kit.eventSink().emit(event);
        }));
        ref.send("before");
        assertEquals(
                "late", events.awaitEvent(ProcessEvent.MessageHandled.class).name());
        metrics.bindTo(registry);
        ref.send("after");
        assertEquals(
                List.of(ref.id(), ref.id()),
                events.awaitEvents(ProcessEvent.MessageHandled.class, 2).stream()
                        .map(ProcessEvent.MessageHandled::id)
                        .toList(),
                "both messages were handled, one before the binding");
        ref.stop().join();

        assertEquals(1.0, count("phyxius.process.messages", "process", "late", "outcome", "handled"));
    }
}

package dev.phyxius.tests.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phyxius.observability.PhyxiusObservability;
import dev.phyxius.observability.jfr.PhyxiusFlightRecording;
import dev.phyxius.process.ProcessEvent;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.Processes;
import dev.phyxius.process.SpawnOptions;
import dev.phyxius.process.StopReason;
import dev.phyxius.testing.ControlledClock;
import dev.phyxius.testing.ProcessTestKit;
import dev.phyxius.testing.RecordedEvents;
import dev.phyxius.tests.support.Gate;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import jdk.jfr.EventType;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class FlightRecordingTest {

    static final List<String> EVENTS = List.of(
            "dev.phyxius.MessageHandled",
            "dev.phyxius.MessageDropped",
            "dev.phyxius.MessageRejected",
            "dev.phyxius.ProcessStarted",
            "dev.phyxius.ProcessRestarted",
            "dev.phyxius.ProcessFailed",
            "dev.phyxius.ProcessStopped");

    @TempDir
    Path dir;

    final ProcessTestKit kit = ProcessTestKit.create();
    final ControlledClock clock = kit.clock();
    final RecordedEvents events = kit.events();
    final PhyxiusObservability observability =
            PhyxiusObservability.builder().jfr(true).forwardTo(kit.eventSink()).build();
    final Gate gate = new Gate();
    final Recording recording = new Recording();

    @AfterEach
    void closeRecording() {
        recording.close();
        kit.close();
    }

    /** "hold" waits at the gate, "work" takes 5 ms on the clock, "boom" throws. */
    ProcessRef<String> spawn(String name) {
        ProcessSpec<String, String, Void> spec = ProcessSpec.<String, String>named(name)
                .init(() -> "state")
                .handler((state, msg, tools) -> {
                    switch (msg) {
                        case "hold" -> gate.pass();
                        case "work" -> clock.advance(Duration.ofMillis(5));
                        case "boom" -> throw new IllegalStateException("boom");
                        case "slow" -> slowWork(Duration.ofMillis(100));
                        default -> {}
                    }
                    return state;
                })
                .maxInbox(1)
                .build();
        return Processes.spawn(spec, observability.apply(SpawnOptions.of(clock)));
    }

    /** Work that takes real time (park may return early, so it loops to the deadline). */
    static void slowWork(Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        for (long left = duration.toNanos(); left > 0; left = deadline - System.nanoTime()) {
            java.util.concurrent.locks.LockSupport.parkNanos(left);
        }
    }

    void start() {
        EVENTS.forEach(recording::enable);
        recording.start();
    }

    /** The recorded Phyxius events of one process, in the order they ended. */
    List<RecordedEvent> stopAndRead(ProcessRef<?> ref) throws Exception {
        recording.stop();
        Path file = dir.resolve("recording.jfr");
        recording.dump(file);
        return RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().startsWith("dev.phyxius."))
                .filter(e -> ref.id().value().equals(e.getString("processId")))
                .sorted(Comparator.comparing(RecordedEvent::getEndTime))
                .toList();
    }

    static List<String> names(List<RecordedEvent> recorded) {
        return recorded.stream().map(e -> e.getEventType().getName()).toList();
    }

    static RecordedEvent only(List<RecordedEvent> recorded, String name) {
        List<RecordedEvent> found = recorded.stream()
                .filter(e -> e.getEventType().getName().equals(name))
                .toList();
        assertEquals(1, found.size(), () -> name + " in " + names(recorded));
        return found.get(0);
    }

    @Test
    void messageHandledCarriesNameIdTypeAndTheClockMeasuredMailboxAndHandlingTimes() throws Exception {
        start();
        ProcessRef<String> ref = spawn("jfr-worker");
        ref.send("hold");
        gate.awaitEntered();
        ref.send("work"); // enqueued at 0 ms
        clock.advance(Duration.ofMillis(3));
        gate.open(); // "work" waited 3 ms, then runs 5 ms
        ProcessEvent.MessageHandled reported =
                events.awaitEvents(ProcessEvent.MessageHandled.class, 2).get(1);
        assertEquals("jfr-worker", reported.name());
        assertEquals(Duration.ofMillis(3), reported.queued());
        assertEquals(Duration.ofMillis(5), reported.handling());
        List<RecordedEvent> recorded = stopAndRead(ref);

        List<RecordedEvent> handled = recorded.stream()
                .filter(e -> e.getEventType().getName().equals("dev.phyxius.MessageHandled"))
                .toList();
        assertEquals(2, handled.size(), () -> names(recorded).toString());
        RecordedEvent work = handled.get(1);
        assertEquals("jfr-worker", work.getString("processName"));
        assertEquals(String.class.getName(), work.getClass("messageType").getName());
        assertEquals(Duration.ofMillis(3), work.getDuration("queued"));
        assertEquals(Duration.ofMillis(5), work.getDuration("handling"));
        assertEquals(
                reported.id().value(), work.getString("processId"), "the JFR event says what the process event says");
        assertNull(work.getString("errorType"));
        assertEquals(Duration.ofMillis(3), handled.get(0).getDuration("handling"));
        ref.stop().join();
    }

    @Test
    void aFailingHandlerIsRecordedAsAHandledMessageWithItsErrorTypeAndAsAProcessFailure() throws Exception {
        start();
        ProcessRef<String> ref = spawn("jfr-failing");
        ref.send("boom");
        ProcessEvent.Failed failed = events.awaitEvent(ProcessEvent.Failed.class);
        assertEquals("jfr-failing", failed.name());
        assertEquals(IllegalStateException.class, failed.error().getClass());
        assertEquals("boom", failed.error().getMessage());
        List<RecordedEvent> recorded = stopAndRead(ref);

        assertEquals(
                List.of(
                        "dev.phyxius.ProcessStarted",
                        "dev.phyxius.MessageHandled",
                        "dev.phyxius.MessageDropped",
                        "dev.phyxius.ProcessFailed"),
                names(recorded));
        assertEquals(
                IllegalStateException.class.getName(),
                only(recorded, "dev.phyxius.MessageHandled").getString("errorType"));
        assertEquals(
                IllegalStateException.class.getName(),
                only(recorded, "dev.phyxius.ProcessFailed").getString("errorType"));
        assertEquals(
                "HANDLER_FAILED", only(recorded, "dev.phyxius.MessageDropped").getString("reason"));
    }

    @Test
    void lifecycleDropsAndRejectionsAreRecordedWithTheirReasons() throws Exception {
        start();
        ProcessRef<String> ref = spawn("jfr-lifecycle");
        ref.send("hold");
        gate.awaitEntered();
        assertTrue(ref.send("queued"));
        assertFalse(ref.send("full")); // maxInbox 1
        CompletableFuture<Void> stop = ref.stop();
        gate.open();
        stop.join();
        ProcessEvent.Stopped stopped = events.awaitEvent(ProcessEvent.Stopped.class);
        assertEquals(ref.id(), stopped.id());
        assertEquals(StopReason.NORMAL, stopped.reason());
        ProcessEvent.MessageRejected full =
                events.assertCount(ProcessEvent.MessageRejected.class, 1).getFirst();
        assertEquals("full", full.message());
        assertEquals(ProcessEvent.RejectReason.MAILBOX_FULL, full.reason());
        ProcessEvent.MessageDropped queued =
                events.assertCount(ProcessEvent.MessageDropped.class, 1).getFirst();
        assertEquals("queued", queued.message());
        assertEquals(ProcessEvent.DropReason.STOPPED, queued.reason());
        List<RecordedEvent> recorded = stopAndRead(ref);

        RecordedEvent started = only(recorded, "dev.phyxius.ProcessStarted");
        assertEquals("jfr-lifecycle", started.getString("processName"));
        RecordedEvent rejected = only(recorded, "dev.phyxius.MessageRejected");
        assertEquals("MAILBOX_FULL", rejected.getString("reason"));
        assertEquals(String.class.getName(), rejected.getClass("messageType").getName());
        assertEquals("STOPPED", only(recorded, "dev.phyxius.MessageDropped").getString("reason"));
        assertEquals("NORMAL", only(recorded, "dev.phyxius.ProcessStopped").getString("reason"));
    }

    @Test
    void messageHandledSpansTheHandlerSoAThresholdKeepsOnlySlowMessages() throws Exception {
        recording.enable("dev.phyxius.MessageHandled").withThreshold(Duration.ofMillis(20));
        recording.start();
        ProcessRef<String> ref = spawn("jfr-threshold");
        ref.send("work"); // 5 ms on the controlled clock, microseconds in real time
        assertEquals(
                Duration.ofMillis(5),
                events.awaitEvent(ProcessEvent.MessageHandled.class).handling());
        ref.send("slow"); // the workload itself is slow: 100 ms of real time
        assertEquals(
                Duration.ZERO,
                events.awaitEvents(ProcessEvent.MessageHandled.class, 2).get(1).handling(),
                "the clock does not move while the slow message runs");
        List<RecordedEvent> recorded = stopAndRead(ref);

        RecordedEvent slow = only(recorded, "dev.phyxius.MessageHandled");
        assertEquals(Duration.ZERO, slow.getDuration("handling"), "the clock-measured field of the slow message");
        assertTrue(slow.getDuration().compareTo(Duration.ofMillis(100)) >= 0, slow::toString);
        ref.stop().join();
    }

    @Test
    void noEventIsBegunWhenNoRecordingWantsIt() {
        ProcessRef<String> ref = spawn("jfr-idle");
        assertNull(PhyxiusFlightRecording.create().beforeHandle(ref, "message", null, 0L));
        ref.stop().join();
    }

    /** Every Phyxius JFR event, with its category path; the README's table lists the same. */
    static final java.util.Map<String, List<String>> CATEGORIES = java.util.Map.ofEntries(
            java.util.Map.entry("dev.phyxius.MessageHandled", List.of("Phyxius", "Process")),
            java.util.Map.entry("dev.phyxius.MessageDropped", List.of("Phyxius", "Process")),
            java.util.Map.entry("dev.phyxius.MessageRejected", List.of("Phyxius", "Process")),
            java.util.Map.entry("dev.phyxius.ProcessStarted", List.of("Phyxius", "Process")),
            java.util.Map.entry("dev.phyxius.ProcessRestarted", List.of("Phyxius", "Process")),
            java.util.Map.entry("dev.phyxius.ProcessFailed", List.of("Phyxius", "Process")),
            java.util.Map.entry("dev.phyxius.ProcessStopped", List.of("Phyxius", "Process")),
            java.util.Map.entry("dev.phyxius.ProcessStatistics", List.of("Phyxius", "Process")),
            java.util.Map.entry("dev.phyxius.SupervisorRestart", List.of("Phyxius", "Supervisor")),
            java.util.Map.entry("dev.phyxius.SupervisorGaveUp", List.of("Phyxius", "Supervisor")),
            java.util.Map.entry("dev.phyxius.SupervisorEscalated", List.of("Phyxius", "Supervisor")),
            java.util.Map.entry("dev.phyxius.KeyedActivated", List.of("Phyxius", "Keyed")),
            java.util.Map.entry("dev.phyxius.KeyedActivationFailed", List.of("Phyxius", "Keyed")),
            java.util.Map.entry("dev.phyxius.KeyedEvicted", List.of("Phyxius", "Keyed")),
            java.util.Map.entry("dev.phyxius.KeyedPassivated", List.of("Phyxius", "Keyed")),
            java.util.Map.entry("dev.phyxius.KeyedGaveUp", List.of("Phyxius", "Keyed")),
            java.util.Map.entry("dev.phyxius.KeyedMessageDropped", List.of("Phyxius", "Keyed")),
            java.util.Map.entry("dev.phyxius.KeyedMessageRejected", List.of("Phyxius", "Keyed")),
            java.util.Map.entry("dev.phyxius.KeyedGroupStopped", List.of("Phyxius", "Keyed")),
            java.util.Map.entry("dev.phyxius.ProcessNameLimitReached", List.of("Phyxius", "Observability")));

    @Test
    void everyEventHasALabelADescriptionAndACategoryPathForMissionControlAndNoStackTrace() {
        PhyxiusFlightRecording.create(); // registers the periodic event
        spawn("jfr-metadata").stop().join(); // loads the others
        java.util.Map<String, EventType> registered = new java.util.TreeMap<>();
        for (EventType type : jdk.jfr.FlightRecorder.getFlightRecorder().getEventTypes()) {
            if (type.getName().startsWith("dev.phyxius.")) {
                registered.put(type.getName(), type);
            }
        }
        // Event classes register when first loaded: load every one through its name.
        for (String name : CATEGORIES.keySet()) {
            registered.computeIfAbsent(name, FlightRecordingTest::loadEventType);
        }
        assertEquals(new java.util.TreeSet<>(CATEGORIES.keySet()), registered.keySet());
        for (EventType type : registered.values()) {
            assertEquals(CATEGORIES.get(type.getName()), type.getCategoryNames(), type.getName());
            assertTrue(type.getLabel() != null && !type.getLabel().isBlank(), type.getName());
            assertTrue(type.getDescription() != null && !type.getDescription().isBlank(), type.getName());
            type.getFields().forEach(field -> {
                assertTrue(field.getLabel() != null, type.getName() + "." + field.getName());
                assertTrue(
                        field.getDescription() != null
                                || List.of("startTime", "duration", "eventThread")
                                        .contains(field.getName()),
                        type.getName() + "." + field.getName() + " has no description");
            });
            // A periodic event has no stackTrace setting at all; every other one defaults to false.
            assertTrue(
                    type.getSettingDescriptors().stream()
                            .filter(setting -> setting.getName().equals("stackTrace"))
                            .allMatch(setting -> setting.getDefaultValue().equals("false")),
                    type.getName() + " records a stack trace");
        }
    }

    @Test
    void theShippedSettingsNameEveryEventAndKeepOnlySlowMessagesOrEveryMessageForAProfile() {
        java.util.Map<String, String> production =
                PhyxiusFlightRecording.configuration().getSettings();
        java.util.Map<String, String> profile =
                PhyxiusFlightRecording.profileConfiguration().getSettings();
        for (String event : CATEGORIES.keySet()) {
            assertEquals("true", production.get(event + "#enabled"), event + " in phyxius.jfc");
            assertEquals("true", profile.get(event + "#enabled"), event + " in phyxius-profile.jfc");
        }
        assertEquals("10 ms", production.get("dev.phyxius.MessageHandled#threshold"));
        assertEquals("10 s", production.get("dev.phyxius.ProcessStatistics#period"));
        assertEquals("0 ms", profile.get("dev.phyxius.MessageHandled#threshold"));
        assertEquals("1 s", profile.get("dev.phyxius.ProcessStatistics#period"));
        assertEquals("5 ms", profile.get("jdk.VirtualThreadPinned#threshold"));
        assertEquals("Phyxius", PhyxiusFlightRecording.configuration().getLabel());
    }

    @Test
    void aRecordingWithTheShippedSettingsKeepsTheSlowMessageAndNotTheFastOne() throws Exception {
        try (Recording shipped = new Recording(PhyxiusFlightRecording.configuration())) {
            shipped.start();
            ProcessRef<String> ref = spawn("jfc-threshold");
            ref.send("work"); // microseconds of real time
            assertEquals(
                    "jfc-threshold",
                    events.awaitEvent(ProcessEvent.MessageHandled.class).name());
            ref.send("slow"); // 100 ms of real time (the mailbox holds one message)
            assertEquals(
                    List.of(ref.id(), ref.id()),
                    events.awaitEvents(ProcessEvent.MessageHandled.class, 2).stream()
                            .map(ProcessEvent.MessageHandled::id)
                            .toList(),
                    "both messages were handled");
            shipped.stop();
            Path file = dir.resolve("shipped.jfr");
            shipped.dump(file);
            List<RecordedEvent> handled = RecordingFile.readAllEvents(file).stream()
                    .filter(e -> e.getEventType().getName().equals("dev.phyxius.MessageHandled"))
                    .filter(e -> ref.id().value().equals(e.getString("processId")))
                    .toList();
            assertEquals(1, handled.size(), handled::toString);
            assertTrue(handled.get(0).getDuration().compareTo(Duration.ofMillis(100)) >= 0);
            ref.stop().join();
        }
    }

    static EventType loadEventType(String name) {
        String simple = name.substring("dev.phyxius.".length());
        try {
            Class<?> type = Class.forName("dev.phyxius.observability.jfr." + simple + "Event");
            return EventType.getEventType(type.asSubclass(jdk.jfr.Event.class));
        } catch (ClassNotFoundException e) {
            throw new AssertionError("no event class for " + name, e);
        }
    }
}

package dev.phyxius.tests.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phyxius.observability.PhyxiusObservability;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.supervisor.KeyedEvent;
import dev.phyxius.supervisor.KeyedOptions;
import dev.phyxius.supervisor.KeyedProcesses;
import dev.phyxius.supervisor.SendResult;
import dev.phyxius.supervisor.SupervisionStrategy;
import dev.phyxius.testing.ControlledClock;
import dev.phyxius.testing.ProcessTestKit;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.junit5.OpenTelemetryExtension;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A keyed group's events become meters tagged by group (never by key), {@code dev.phyxius.Keyed*}
 * JFR events and {@code phyxius.keyed.*} spans, through {@code PhyxiusObservability.apply}.
 */
@Timeout(30)
class KeyedObservabilityTest {

    @RegisterExtension
    static final OpenTelemetryExtension otel = OpenTelemetryExtension.create();

    static final List<String> KEYED_EVENTS = List.of(
            "dev.phyxius.KeyedActivated",
            "dev.phyxius.KeyedActivationFailed",
            "dev.phyxius.KeyedEvicted",
            "dev.phyxius.KeyedPassivated",
            "dev.phyxius.KeyedGaveUp",
            "dev.phyxius.KeyedMessageDropped",
            "dev.phyxius.KeyedMessageRejected",
            "dev.phyxius.KeyedGroupStopped");

    @TempDir
    Path dir;

    final ProcessTestKit kit = ProcessTestKit.create();

    @AfterEach
    void closeKit() {
        kit.close();
        LOADS.clear();
    }

    /** Opened by the test once a message waits for "broken" to load. */
    static final java.util.concurrent.ConcurrentHashMap<String, CountDownLatch> LOADS =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** A cart per key: "broken" cannot load (once the test let it try), "boom" fails the handler. */
    static ProcessSpec<String, String, Void> cart(String key) {
        return ProcessSpec.<String, String>named("cart")
                .init(() -> {
                    if (key.equals("broken")) {
                        LOADS.computeIfAbsent(key, k -> new CountDownLatch(1)).await();
                        throw new IllegalStateException("no cart for " + key);
                    }
                    return key;
                })
                .handler((state, msg, tools) -> {
                    if (msg.equals("boom")) {
                        throw new IllegalStateException("boom");
                    }
                    return state;
                })
                .build();
    }

    /**
     * Every keyed event at least once, in a known order, on a test kit (so that time moves only
     * when the processes are at rest): a, b and c come to life (c evicts a, the least recently
     * used of three with at most two), b and c passivate idle, "broken" fails to activate (its
     * message dropped, the next refused while quarantined), d is given up on, the group stops and
     * refuses e. The keys' processes run under kit supervisors that carry the observability too.
     * {@code afterEviction} runs once a is gone and b and c are live.
     */
    void scenario(PhyxiusObservability observability, Runnable afterEviction) {
        kit.expectFailures();
        KeyedProcesses<String, String> group = kit.keyed(
                "carts",
                KeyedObservabilityTest::cart,
                observability.apply(kit.keyedOptions()
                        .withSupervisors(strategy -> kit.supervisor(
                                observability.apply(kit.supervisorOptions()).withStrategy(strategy)))
                        .withIdleTimeout(Duration.ofMinutes(1))
                        .withMaxLiveKeys(2)
                        .withStrategy(SupervisionStrategy.oneForOne().withMaxRestarts(1, Duration.ofMinutes(1)))
                        .withQuarantine(Duration.ofSeconds(30))));
        group.send("a", "add");
        group.send("b", "add");
        kit.awaitIdle();
        group.send("c", "add");
        kit.awaitIdle();
        kit.events().assertCount(KeyedEvent.Passivated.class, 1);
        afterEviction.run();

        kit.advance(Duration.ofMinutes(1));
        kit.events().assertCount(KeyedEvent.Passivated.class, 3);

        CountDownLatch load = LOADS.computeIfAbsent("broken", k -> new CountDownLatch(1));
        group.send("broken", "add"); // waits for the load, which then fails: dropped
        load.countDown();
        kit.awaitIdle();
        kit.events().assertCount(KeyedEvent.MessageDropped.class, 1);
        assertEquals(SendResult.GIVEN_UP, group.offer("broken", "add"));

        group.send("d", "boom");
        group.send("d", "boom"); // the second failure in the window gives up
        kit.awaitIdle();
        kit.events().assertCount(KeyedEvent.GaveUp.class, 1);

        group.stop().join();
        assertEquals(SendResult.STOPPED, group.offer("e", "add"));
        kit.events().assertCount(KeyedEvent.MessageRejected.class, 2);
    }

    @Test
    void metersCountEachKeyedEventByGroupAndABoundedReasonAndGaugeTheLiveKeys() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        PhyxiusObservability observability =
                PhyxiusObservability.builder().meterRegistry(registry).build();
        scenario(
                observability,
                () -> assertEquals(
                        2.0,
                        registry.get("phyxius.keyed.live")
                                .tag("group", "carts")
                                .gauge()
                                .value(),
                        "b and c are live, a was evicted"));

        assertEquals(4.0, count(registry, "phyxius.keyed.activations", "outcome", "activated"));
        assertEquals(1.0, count(registry, "phyxius.keyed.activations", "outcome", "failed"));
        assertEquals(1.0, count(registry, "phyxius.keyed.passivations", "cause", "evicted"));
        assertEquals(2.0, count(registry, "phyxius.keyed.passivations", "cause", "idle"));
        assertEquals(
                1.0,
                registry.get("phyxius.keyed.evictions")
                        .tag("group", "carts")
                        .counter()
                        .count());
        assertEquals(
                1.0,
                registry.get("phyxius.keyed.giveups")
                        .tag("group", "carts")
                        .counter()
                        .count());
        assertEquals(
                1.0,
                registry.get("phyxius.keyed.messages")
                        .tags("group", "carts", "outcome", "dropped", "reason", "activation_failed")
                        .counter()
                        .count());
        assertEquals(
                1.0,
                registry.get("phyxius.keyed.messages")
                        .tags("group", "carts", "outcome", "rejected", "reason", "given_up")
                        .counter()
                        .count());
        assertEquals(
                1.0,
                registry.get("phyxius.keyed.messages")
                        .tags("group", "carts", "outcome", "rejected", "reason", "stopped")
                        .counter()
                        .count());
        assertEquals(
                0.0,
                registry.get("phyxius.keyed.live").tag("group", "carts").gauge().value());
        // The keys' processes are observed as processes of their own name.
        assertEquals(
                3.0,
                registry.get("phyxius.process.messages")
                        .tags("process", "cart", "outcome", "handled")
                        .counter()
                        .count());
    }

    @Test
    void theLiveGaugeFollowsALifeEndedByHandAndTheGroupsStop() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        PhyxiusObservability observability =
                PhyxiusObservability.builder().meterRegistry(registry).build();
        KeyedProcesses<String, String> group = kit.keyed(
                "carts",
                KeyedObservabilityTest::cart,
                observability.apply(kit.keyedOptions()
                        .withSupervisors(strategy -> kit.supervisor(
                                observability.apply(kit.supervisorOptions()).withStrategy(strategy)))));
        group.send("a", "add");
        group.send("b", "add");
        group.send("c", "add");
        kit.awaitIdle();
        assertEquals(
                3.0,
                registry.get("phyxius.keyed.live").tag("group", "carts").gauge().value());

        group.ref("a").stop().join(); // no keyed event: the process's own Stopped tells
        kit.awaitIdle();
        assertEquals(
                2.0,
                registry.get("phyxius.keyed.live").tag("group", "carts").gauge().value());

        group.stop().join();
        assertEquals(
                0.0,
                registry.get("phyxius.keyed.live").tag("group", "carts").gauge().value());
        assertEquals(3.0, count(registry, "phyxius.keyed.activations", "outcome", "activated"));
    }

    @Test
    void noKeyedMeterIsTaggedWithAKeySoSeriesStayBoundedByGroupAndReason() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        scenario(PhyxiusObservability.builder().meterRegistry(registry).build(), () -> {});

        Map<String, Set<String>> tagKeys = new TreeMap<>();
        Set<String> tagValues = new TreeSet<>();
        for (Meter meter : registry.getMeters()) {
            if (meter.getId().getName().startsWith("phyxius.keyed.")) {
                tagKeys.computeIfAbsent(meter.getId().getName(), name -> new TreeSet<>())
                        .addAll(meter.getId().getTags().stream()
                                .map(Tag::getKey)
                                .toList());
                meter.getId().getTags().forEach(tag -> tagValues.add(tag.getValue()));
            }
        }
        assertEquals(
                Map.of(
                        "phyxius.keyed.activations", Set.of("group", "outcome"),
                        "phyxius.keyed.passivations", Set.of("group", "cause"),
                        "phyxius.keyed.evictions", Set.of("group"),
                        "phyxius.keyed.giveups", Set.of("group"),
                        "phyxius.keyed.messages", Set.of("group", "outcome", "reason"),
                        "phyxius.keyed.live", Set.of("group")),
                tagKeys);
        for (String key : List.of("a", "b", "c", "d", "e", "broken")) {
            assertTrue(!tagValues.contains(key), () -> "a key became a tag value: " + tagValues);
        }
    }

    @Test
    void theReadmesKeyedMeterTableListsEveryKeyedMeterWithItsTypeAndTags() throws Exception {
        Set<String> documented = new TreeSet<>();
        for (List<String> row : ReadmeTablesTest.table("#### Keyed group meters")) {
            documented.add(ReadmeTablesTest.code(row.get(0)).get(0) + " "
                    + row.get(1).toUpperCase(Locale.ROOT) + " "
                    + ReadmeTablesTest.code(row.get(2)).stream().sorted().toList());
        }
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        scenario(PhyxiusObservability.builder().meterRegistry(registry).build(), () -> {});
        Set<String> registered = new TreeSet<>();
        registry.getMeters().stream()
                .filter(meter -> meter.getId().getName().startsWith("phyxius.keyed."))
                .forEach(meter -> registered.add(
                        meter.getId().getName() + " " + meter.getId().getType() + " "
                                + meter.getId().getTags().stream()
                                        .map(Tag::getKey)
                                        .sorted()
                                        .toList()));
        assertEquals(documented, registered);
    }

    @Test
    void groupsBeyondTheNameLimitAreCountedUnderOther() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        PhyxiusObservability observability = PhyxiusObservability.builder()
                .meterRegistry(registry)
                .maxProcessNames(1)
                .build();
        for (String name : List.of("first", "second", "third")) {
            KeyedProcesses<String, String> group = KeyedProcesses.create(
                    name,
                    KeyedObservabilityTest::cart,
                    observability.apply(
                            KeyedOptions.of(ControlledClock.create()).withEvents(kit.eventSink())));
            group.stop().join();
            group.offer("x", "refused");
        }
        kit.events().awaitEvents(KeyedEvent.MessageRejected.class, 3);
        assertEquals(
                1.0,
                registry.get("phyxius.keyed.messages")
                        .tags("group", "first", "reason", "stopped")
                        .counter()
                        .count());
        assertEquals(
                2.0,
                registry.get("phyxius.keyed.messages")
                        .tags("group", "_other", "reason", "stopped")
                        .counter()
                        .count());
    }

    @Test
    void jfrRecordsEveryKeyedEventWithItsGroupKeyCauseAndReason() throws Exception {
        PhyxiusObservability observability =
                PhyxiusObservability.builder().jfr(true).build();
        List<RecordedEvent> recorded;
        try (Recording recording = new Recording()) {
            KEYED_EVENTS.forEach(recording::enable);
            recording.start();
            scenario(observability, () -> {});
            recording.stop();
            Path file = dir.resolve("keyed.jfr");
            recording.dump(file);
            recorded = RecordingFile.readAllEvents(file).stream()
                    .filter(e -> e.getEventType().getName().startsWith("dev.phyxius.Keyed"))
                    .filter(e -> "carts".equals(e.getString("groupName")))
                    .toList();
        }
        Map<String, List<RecordedEvent>> byType = recorded.stream()
                .collect(Collectors.groupingBy(e -> e.getEventType().getName()));
        assertEquals(new TreeSet<>(KEYED_EVENTS), new TreeSet<>(byType.keySet()));

        assertEquals(Set.of("a", "b", "c", "d"), values(byType.get("dev.phyxius.KeyedActivated"), "key"));
        assertEquals(
                Set.of("carts/a", "carts/b", "carts/c", "carts/d"),
                values(byType.get("dev.phyxius.KeyedActivated"), "processId"));

        RecordedEvent evicted = only(byType, "dev.phyxius.KeyedEvicted");
        assertEquals("a", evicted.getString("key"));
        assertEquals(3, evicted.getInt("liveKeys"));
        assertEquals(2, evicted.getInt("maxLiveKeys"));

        Map<String, String> causes = byType.get("dev.phyxius.KeyedPassivated").stream()
                .collect(Collectors.toMap(e -> e.getString("key"), e -> e.getString("cause")));
        assertEquals(Map.of("a", "EVICTED", "b", "IDLE", "c", "IDLE"), causes);
        assertEquals(
                Set.of("idle for PT1M"),
                byType.get("dev.phyxius.KeyedPassivated").stream()
                        .filter(e -> e.getString("cause").equals("IDLE"))
                        .map(e -> e.getString("reason"))
                        .collect(Collectors.toSet()));

        RecordedEvent failed = only(byType, "dev.phyxius.KeyedActivationFailed");
        assertEquals("broken", failed.getString("key"));
        assertEquals(IllegalStateException.class.getName(), failed.getString("errorType"));

        RecordedEvent gaveUp = only(byType, "dev.phyxius.KeyedGaveUp");
        assertEquals("carts/d", gaveUp.getString("processId"));
        assertEquals(Duration.ofSeconds(30), gaveUp.getDuration("quarantine"));

        RecordedEvent dropped = only(byType, "dev.phyxius.KeyedMessageDropped");
        assertEquals("ACTIVATION_FAILED", dropped.getString("reason"));
        assertEquals(String.class.getName(), dropped.getClass("messageType").getName());

        assertEquals(Set.of("GIVEN_UP", "STOPPED"), values(byType.get("dev.phyxius.KeyedMessageRejected"), "reason"));
        assertEquals(1, byType.get("dev.phyxius.KeyedGroupStopped").size());
    }

    @Test
    void spansNameTheGroupAndCauseOutsideARequestAndAttachToTheSendersSpanInside() {
        PhyxiusObservability observability = PhyxiusObservability.builder()
                .openTelemetry(otel.getOpenTelemetry())
                .startTracesFor("carts"::equals)
                .build();
        scenario(observability, () -> {});

        AttributeKey<String> group = AttributeKey.stringKey("phyxius.keyed.group");
        List<SpanData> activated = spans("phyxius.keyed.activated");
        assertEquals(4, activated.size());
        assertEquals(
                Set.of("carts/a", "carts/b", "carts/c", "carts/d"),
                activated.stream()
                        .map(s -> s.getAttributes().get(AttributeKey.stringKey("phyxius.process.id")))
                        .collect(Collectors.toSet()));
        assertTrue(activated.stream()
                .allMatch(s -> "carts".equals(s.getAttributes().get(group))));
        assertEquals(
                List.of("evicted", "idle", "idle"),
                spans("phyxius.keyed.passivated").stream()
                        .map(s -> s.getAttributes().get(AttributeKey.stringKey("phyxius.keyed.cause")))
                        .sorted()
                        .toList());
        SpanData evicted = spans("phyxius.keyed.evicted").get(0);
        assertEquals(3L, evicted.getAttributes().get(AttributeKey.longKey("phyxius.keyed.live_keys")));
        assertEquals(
                StatusCode.ERROR,
                spans("phyxius.keyed.gave_up").get(0).getStatus().getStatusCode());
        assertEquals(
                StatusCode.ERROR,
                spans("phyxius.keyed.activation_failed").get(0).getStatus().getStatusCode());
        assertEquals(1, spans("phyxius.keyed.group.stopped").size());
        // The key's processes are named "cart", not chosen by startTracesFor: no spans of theirs.
        assertTrue(otel.getSpans().stream().noneMatch(s -> s.getName().startsWith("phyxius.process.")));
    }

    @Test
    void aRefusalInsideATracedRequestIsAnEventOfTheRequestsSpan() {
        PhyxiusObservability observability = PhyxiusObservability.builder()
                .openTelemetry(otel.getOpenTelemetry())
                .build();
        KeyedProcesses<String, String> group = KeyedProcesses.create(
                "carts",
                KeyedObservabilityTest::cart,
                observability.apply(KeyedOptions.of(ControlledClock.create()).withEvents(kit.eventSink())));
        group.stop().join();
        Span request =
                otel.getOpenTelemetry().getTracer("app").spanBuilder("checkout").startSpan();
        try (Scope ignored = request.makeCurrent()) {
            assertEquals(SendResult.STOPPED, group.offer("alice", "add"));
        } finally {
            request.end();
        }

        SpanData checkout = spans("checkout").get(0);
        EventData refusal = checkout.getEvents().stream()
                .filter(e -> e.getName().equals("phyxius.keyed.message.rejected"))
                .findFirst()
                .orElseThrow();
        assertEquals("carts", refusal.getAttributes().get(AttributeKey.stringKey("phyxius.keyed.group")));
        assertEquals("stopped", refusal.getAttributes().get(AttributeKey.stringKey("phyxius.keyed.reason")));
        assertEquals("String", refusal.getAttributes().get(AttributeKey.stringKey("phyxius.message.type")));
        // Without startTracesFor, nothing outside the request became a span.
        assertEquals(
                List.of("checkout"),
                otel.getSpans().stream().map(SpanData::getName).toList());
    }

    @Test
    void withEveryBackendOffApplyReturnsTheKeyedOptionsThemselves() {
        KeyedOptions<Object> options = KeyedOptions.of(ControlledClock.create());
        assertSame(options, PhyxiusObservability.builder().build().apply(options));
    }

    static double count(SimpleMeterRegistry registry, String name, String tag, String value) {
        return registry.get(name).tags("group", "carts", tag, value).counter().count();
    }

    static List<SpanData> spans(String name) {
        return otel.getSpans().stream().filter(s -> s.getName().equals(name)).toList();
    }

    static Set<String> values(List<RecordedEvent> recorded, String field) {
        return recorded.stream().map(e -> e.getString(field)).collect(Collectors.toSet());
    }

    static RecordedEvent only(Map<String, List<RecordedEvent>> byType, String name) {
        List<RecordedEvent> found = byType.get(name);
        assertEquals(1, found.size(), () -> name + ": " + found);
        return found.get(0);
    }
}

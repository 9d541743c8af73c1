package dev.phyxius.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phyxius.clock.Clock;
import dev.phyxius.clock.Event;
import dev.phyxius.process.ProcessEvent;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.StopReason;
import dev.phyxius.supervisor.KeyedEvent;
import dev.phyxius.supervisor.KeyedOptions;
import dev.phyxius.supervisor.SupervisionStrategy;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** One or two members on the real in-process cluster, one behaviour per test. */
@ExtendWith(KafkaCluster.Extension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class FeedTest {

    private static final Duration WITHIN = Duration.ofSeconds(60);

    /** What a test's handler does with a record; may throw. */
    @FunctionalInterface
    interface Handler {
        void handle(String member, ConsumerRecord<String, String> record) throws Exception;
    }

    private KafkaCluster cluster;
    private final List<KafkaKeyedProcesses<String, String>> members = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Event> events = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Event> groupEvents = new ConcurrentLinkedQueue<>();
    private final Map<String, List<String>> handled = new ConcurrentHashMap<>();
    private String group;

    @BeforeEach
    void setUp(KafkaCluster cluster) {
        this.cluster = cluster;
        this.group = KafkaCluster.unique("group");
    }

    @AfterEach
    void stopMembers() {
        for (KafkaKeyedProcesses<String, String> member : members) {
            member.stop().orTimeout(60, TimeUnit.SECONDS).join();
        }
    }

    private KafkaOptions<String, String> options(String topic, String member) {
        return options(topic, member, new StringDeserializer());
    }

    private KafkaOptions<String, String> options(String topic, String member, Deserializer<String> keys) {
        return KafkaOptions.of(topic, cluster.consumerConfig(group), keys, new StringDeserializer())
                .withMemberName(member)
                .withCommitInterval(Duration.ofMillis(50))
                .withEvents(events::add)
                .withKeyedOptions(KeyedOptions.of(Clock.system()).withEvents(groupEvents::add));
    }

    private KafkaKeyedProcesses<String, String> start(KafkaOptions<String, String> options, Handler handler) {
        return start(options, handler, 1024);
    }

    private KafkaKeyedProcesses<String, String> start(
            KafkaOptions<String, String> options, Handler handler, int maxInbox) {
        String member = options.memberName();
        KafkaKeyedProcesses<String, String> started = KafkaKeyedProcesses.start(
                "feed",
                key -> ProcessSpec.<ConsumerRecord<String, String>, Integer>named("feed")
                        .init(() -> 0)
                        .handler((count, record, tools) -> {
                            handler.handle(member, record);
                            handled.computeIfAbsent(record.key(), k -> Collections.synchronizedList(new ArrayList<>()))
                                    .add(record.value());
                            return count + 1;
                        })
                        .maxInbox(maxInbox)
                        .build(),
                options);
        members.add(started);
        return started;
    }

    private void produce(String topic, int partition, String key, String... values) {
        try (KafkaProducer<String, String> producer = cluster.producer()) {
            for (String value : values) {
                producer.send(new ProducerRecord<>(topic, partition, key, value));
            }
            producer.flush();
        }
    }

    private List<String> handledOf(String key) {
        List<String> values = handled.get(key);
        if (values == null) {
            return List.of();
        }
        synchronized (values) {
            return List.copyOf(values);
        }
    }

    private static String[] numbers(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(Integer::toString).toArray(String[]::new);
    }

    private <E> List<E> eventsOf(Class<E> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private void awaitCommitted(String topic, int partition, long offset) {
        Conditions.await(
                "offset " + offset + " committed on partition " + partition,
                WITHIN,
                () -> cluster.committed(group, topic).getOrDefault(partition, -1L) == offset,
                () -> "committed " + cluster.committed(group, topic));
    }

    @Nested
    class Delivery {

        @Test
        void handsEachKeysRecordsToOneProcessInOrder() {
            String topic = cluster.createTopic("orders", 3);
            Map<String, AtomicInteger> inHandler = new ConcurrentHashMap<>();
            AtomicInteger overlaps = new AtomicInteger();
            start(options(topic, "a"), (member, record) -> {
                AtomicInteger busy = inHandler.computeIfAbsent(record.key(), k -> new AtomicInteger());
                if (busy.incrementAndGet() != 1) {
                    overlaps.incrementAndGet();
                }
                busy.decrementAndGet();
            });
            try (KafkaProducer<String, String> producer = cluster.producer()) {
                for (int seq = 1; seq <= 50; seq++) {
                    for (int key = 0; key < 20; key++) {
                        producer.send(new ProducerRecord<>(topic, "key-" + key, Integer.toString(seq)));
                    }
                }
            }
            Conditions.await(
                    "every record handled",
                    WITHIN,
                    () -> IntStream.range(0, 20)
                            .allMatch(key -> handledOf("key-" + key).size() == 50),
                    () -> "handled " + handled);
            for (int key = 0; key < 20; key++) {
                assertEquals(List.of(numbers(1, 50)), handledOf("key-" + key), "key-" + key);
            }
            assertEquals(0, overlaps.get());
            Map<Integer, Long> ends = cluster.endOffsets(topic, 3);
            ends.forEach((partition, end) -> awaitCommitted(topic, partition, end));
        }

        @Test
        void commitsOnlyUpToTheFirstRecordNotYetHandled() {
            String topic = cluster.createTopic("orders", 2);
            CountDownLatch release = new CountDownLatch(1);
            start(options(topic, "a"), (member, record) -> {
                if (record.key().equals("blocked")) {
                    release.await();
                }
            });
            produce(topic, 0, "blocked", "1");
            produce(topic, 0, "free", numbers(1, 9));
            Conditions.await(
                    "the free key handled behind the blocked one",
                    WITHIN,
                    () -> handledOf("free").size() == 9);
            produce(topic, 1, "other", "1");
            awaitCommitted(topic, 1, 1); // a commit ran after the free records were handled...
            assertTrue(
                    cluster.committed(group, topic).getOrDefault(0, -1L) <= 0,
                    "...and did not pass the blocked record at offset 0: " + cluster.committed(group, topic));
            release.countDown();
            awaitCommitted(topic, 0, 10);
        }

        @Test
        void aFullMailboxPausesThePartitionAndDropsNothing() {
            String topic = cluster.createTopic("orders", 1);
            CountDownLatch release = new CountDownLatch(1);
            start(options(topic, "a"), (member, record) -> release.await(), 2);
            produce(topic, 0, "k", numbers(1, 30));
            Conditions.await(
                    "the partition paused",
                    WITHIN,
                    () -> !eventsOf(KafkaEvent.PartitionPaused.class).isEmpty());
            release.countDown();
            Conditions.await(
                    "every record handled",
                    WITHIN,
                    () -> handledOf("k").size() == 30,
                    () -> "handled " + handledOf("k"));
            assertEquals(List.of(numbers(1, 30)), handledOf("k"));
            Conditions.await(
                    "the partition resumed",
                    WITHIN,
                    () -> !eventsOf(KafkaEvent.PartitionResumed.class).isEmpty());
            assertTrue(
                    groupEvents.stream()
                            .noneMatch(event -> event instanceof ProcessEvent.MessageDropped
                                    || event instanceof KeyedEvent.MessageDropped),
                    "nothing dropped: " + groupEvents);
            awaitCommitted(topic, 0, 30);
        }
    }

    @Nested
    class Rebalance {

        @Test
        void aRevokedPartitionsProcessesStopWithTheReasonAndWhatTheyHandledIsCommittedFirst() {
            String topic = cluster.createTopic("orders", 2);
            List<String> stops = new CopyOnWriteArrayList<>();
            Set<String> handledByB = ConcurrentHashMap.newKeySet();
            KafkaOptions<String, String> a = options(topic, "a");
            KafkaKeyedProcesses<String, String> first = KafkaKeyedProcesses.start(
                    "feed",
                    key -> ProcessSpec.<ConsumerRecord<String, String>, Integer>named("feed")
                            .init(() -> 0)
                            .handler((count, record, tools) -> {
                                handled.computeIfAbsent(
                                                record.key(), k -> Collections.synchronizedList(new ArrayList<>()))
                                        .add(record.value());
                                return count + 1;
                            })
                            .onStop((Integer count, StopReason reason) ->
                                    stops.add(key + " " + ((StopReason.Passivated) reason).why()))
                            .build(),
                    a);
            members.add(first);
            produce(topic, 0, "p0", numbers(1, 20));
            produce(topic, 1, "p1", numbers(1, 20));
            Conditions.await(
                    "member a handled both partitions",
                    WITHIN,
                    () -> handledOf("p0").size() == 20 && handledOf("p1").size() == 20);

            start(options(topic, "b"), (member, record) -> handledByB.add(record.key() + " " + record.value()));
            Conditions.await(
                    "one partition moved to b",
                    WITHIN,
                    () -> eventsOf(KafkaEvent.PartitionsAssigned.class).stream()
                            .anyMatch(event -> event.member().equals("b")
                                    && !event.partitions().isEmpty()));
            int moved = eventsOf(KafkaEvent.PartitionsAssigned.class).stream()
                    .filter(event -> event.member().equals("b"))
                    .findFirst()
                    .orElseThrow()
                    .partitions()
                    .get(0);
            String movedKey = "p" + moved;
            Conditions.await(
                    "the moved key's process stopped on a",
                    WITHIN,
                    () -> stops.stream().anyMatch(stop -> stop.startsWith(movedKey + " ")));
            assertEquals(
                    List.of(movedKey + " partition " + topic + "-" + moved + " revoked from member a (rebalance)"),
                    stops);
            assertEquals(20L, cluster.committed(group, topic).get(moved), "committed before it was let go");

            produce(topic, moved, movedKey, "21");
            Conditions.await(
                    "b handles the moved partition's new record", WITHIN, () -> handledByB.contains(movedKey + " 21"));
            assertEquals(Set.of(movedKey + " 21"), handledByB, "b saw none of what a had handled and committed");
        }
    }

    @Nested
    class PoisonRecords {

        @Test
        void goToTheDeadLetterTopicOnceTheRestartsAreSpentAndTheKeyCarriesOnInOrder() {
            String topic = cluster.createTopic("orders", 1);
            String dlt = cluster.createTopic("orders-dlt", 1);
            AtomicInteger attempts = new AtomicInteger();
            start(options(topic, "a").withDeadLetterTopic(dlt), (member, record) -> {
                if (record.value().equals("poison")) {
                    attempts.incrementAndGet();
                    throw new IllegalStateException("cannot digest " + record.value());
                }
            });
            produce(topic, 0, "k", "1", "2", "poison", "3", "4");
            Conditions.await(
                    "the key's other records handled",
                    WITHIN,
                    () -> handledOf("k").size() == 4);
            assertEquals(List.of("1", "2", "3", "4"), handledOf("k"));
            assertEquals(4, attempts.get(), "tried once, then once per restart of the default strategy (3)");

            List<ConsumerRecord<byte[], byte[]>> dead = cluster.readAll(dlt, 1, WITHIN);
            assertEquals(1, dead.size());
            ConsumerRecord<byte[], byte[]> record = dead.get(0);
            assertEquals("k", new String(record.key(), StandardCharsets.UTF_8));
            assertEquals("poison", new String(record.value(), StandardCharsets.UTF_8));
            assertEquals("feed/k", header(record.headers(), DeadLetterHeaders.PROCESS));
            assertEquals("handler-failed", header(record.headers(), DeadLetterHeaders.REASON));
            assertEquals(
                    IllegalStateException.class.getName(), header(record.headers(), DeadLetterHeaders.EXCEPTION_CLASS));
            assertEquals("cannot digest poison", header(record.headers(), DeadLetterHeaders.EXCEPTION_MESSAGE));
            assertEquals("2", header(record.headers(), DeadLetterHeaders.OFFSET));
            assertEquals("4", header(record.headers(), DeadLetterHeaders.ATTEMPTS));
            awaitCommitted(topic, 0, 5);
        }
    }

    @Nested
    class GiveUps {

        @Test
        void recordsAGiveUpLeftUnhandledAreReadAgainAndNothingIsLost() {
            String topic = cluster.createTopic("orders", 1);
            Set<String> failedOnce = ConcurrentHashMap.newKeySet();
            KafkaOptions<String, String> options = options(topic, "a")
                    .withKeyedOptions(KeyedOptions.of(Clock.system())
                            .withStrategy(SupervisionStrategy.oneForOne().withMaxRestarts(1, Duration.ofMinutes(1)))
                            .withEvents(groupEvents::add));
            start(options, (member, record) -> {
                if (record.value().startsWith("f") && failedOnce.add(record.value())) {
                    throw new IllegalStateException("first try of " + record.value() + " fails");
                }
            });
            produce(topic, 0, "k", "1", "f1", "2", "f2", "3", "4");
            Conditions.await(
                    "every record handled",
                    WITHIN,
                    () -> handledOf("k").containsAll(List.of("1", "f1", "2", "f2", "3", "4")),
                    () -> "handled " + handledOf("k") + ", events " + events);
            assertTrue(
                    groupEvents.stream().anyMatch(event -> event instanceof KeyedEvent.GaveUp),
                    "the second failure inside the window was one restart too many");
            assertEquals(
                    List.of(3L),
                    eventsOf(KafkaEvent.PartitionRewound.class).stream()
                            .map(KafkaEvent.PartitionRewound::offset)
                            .toList(),
                    "read again from f2, the first not handled");
            assertEquals(
                    List.of("1", "f1", "2", "f2", "3", "4"),
                    handledOf("k").stream().distinct().toList(),
                    "in order (a record read again may be handled twice: at least once)");
            awaitCommitted(topic, 0, 6);
        }
    }

    @Nested
    class BadConfiguration {

        /** Deserialises keys as strings, except the key {@code bad}. */
        private final Deserializer<String> pickyKeys = new Deserializer<>() {
            @Override
            public String deserialize(String topic, byte[] data) {
                String key = new String(data, StandardCharsets.UTF_8);
                if (key.equals("bad")) {
                    throw new org.apache.kafka.common.errors.SerializationException("not a key: bad");
                }
                return key;
            }
        };

        @Test
        void aMissingTopicFailsTheStartNamingIt() {
            String topic = KafkaCluster.unique("absent");
            KafkaFeedException e =
                    assertThrows(KafkaFeedException.class, () -> start(options(topic, "a"), (member, record) -> {}));
            assertEquals(
                    "The input topic '" + topic + "' does not exist (bootstrap.servers=" + cluster.bootstrapServers()
                            + "); create it first",
                    e.getMessage());
        }

        @Test
        void aMissingDeadLetterTopicFailsTheStart() {
            String topic = cluster.createTopic("orders", 1);
            String dlt = KafkaCluster.unique("absent-dlt");
            KafkaFeedException e = assertThrows(
                    KafkaFeedException.class,
                    () -> start(options(topic, "a").withDeadLetterTopic(dlt), (member, record) -> {}));
            assertTrue(e.getMessage().startsWith("The dead-letter topic '" + dlt + "' does not exist"), e.getMessage());
        }

        @Test
        void aChangelogThatIsNotCompactedFailsTheStart() {
            String topic = cluster.createTopic("orders", 2);
            String changelog = cluster.createTopic("store", 2);
            KafkaFeedException e = assertThrows(
                    KafkaFeedException.class,
                    () -> KafkaKeyedProcesses.start(
                            "feed",
                            Changelog.of(changelog, new LongSerializer(), new LongDeserializer()),
                            (String key, KeyStore<Long> store) ->
                                    ProcessSpec.<ConsumerRecord<String, String>, Void>named("f")
                                            .handler((state, record, tools) -> null)
                                            .build(),
                            options(topic, "a")));
            assertEquals(
                    "changelog topic '" + changelog + "' must be compacted (cleanup.policy=compact), was delete: "
                            + "otherwise a key's store is deleted with old segments",
                    e.getMessage());
        }

        @Test
        void aChangelogWithFewerPartitionsThanTheInputFailsTheStart() {
            String topic = cluster.createTopic("orders", 3);
            String changelog = cluster.createCompactedTopic("store", 2);
            KafkaFeedException e = assertThrows(
                    KafkaFeedException.class,
                    () -> KafkaKeyedProcesses.start(
                            "feed",
                            Changelog.of(changelog, new LongSerializer(), new LongDeserializer()),
                            (String key, KeyStore<Long> store) ->
                                    ProcessSpec.<ConsumerRecord<String, String>, Void>named("f")
                                            .handler((state, record, tools) -> null)
                                            .build(),
                            options(topic, "a")));
            assertEquals(
                    "changelog topic '" + changelog + "' has 2 partitions, fewer than the 3 of input topic '" + topic
                            + "': a key's store lives in the partition of its records",
                    e.getMessage());
        }

        @Test
        void aKeyThatDoesNotDeserialiseWithoutADeadLetterTopicStopsTheMemberWithoutCommittingIt() {
            String topic = cluster.createTopic("orders", 1);
            KafkaKeyedProcesses<String, String> member = start(options(topic, "a", pickyKeys), (m, record) -> {});
            produce(topic, 0, "good", "1");
            produce(topic, 0, "bad", "2");
            produce(topic, 0, "good", "3");
            CompletionException e = assertThrows(
                    CompletionException.class,
                    () -> member.termination().orTimeout(60, TimeUnit.SECONDS).join());
            KafkaFeedException cause = (KafkaFeedException) e.getCause();
            assertEquals(
                    "record " + topic + "-0@1 cannot be handled: its key does not deserialise "
                            + "(org.apache.kafka.common.errors.SerializationException: not a key: bad); there is no "
                            + "dead-letter topic, so the member stops and does not commit it",
                    cause.getMessage());
            assertEquals(List.of("1"), handledOf("good"));
            assertEquals(1L, cluster.committed(group, topic).get(0), "committed up to the bad record, not past it");
        }

        @Test
        void aKeyThatDoesNotDeserialiseGoesToTheDeadLetterTopic() {
            String topic = cluster.createTopic("orders", 1);
            String dlt = cluster.createTopic("orders-dlt", 1);
            start(options(topic, "a", pickyKeys).withDeadLetterTopic(dlt), (m, record) -> {});
            produce(topic, 0, "good", "1");
            produce(topic, 0, "bad", "2");
            produce(topic, 0, "good", "3");
            Conditions.await(
                    "the good key's records handled",
                    WITHIN,
                    () -> handledOf("good").size() == 2);
            List<ConsumerRecord<byte[], byte[]>> dead = cluster.readAll(dlt, 1, WITHIN);
            assertEquals(1, dead.size());
            assertEquals("key-not-deserialisable", header(dead.get(0).headers(), DeadLetterHeaders.REASON));
            assertEquals(
                    "org.apache.kafka.common.errors.SerializationException",
                    header(dead.get(0).headers(), DeadLetterHeaders.EXCEPTION_CLASS));
            assertEquals(null, dead.get(0).headers().lastHeader(DeadLetterHeaders.PROCESS));
            awaitCommitted(topic, 0, 3);
        }
    }

    @Nested
    class Observability {

        @Test
        void theTraceContextInTheHeadersIsTheParentOfTheHandlersSpan() {
            String topic = cluster.createTopic("orders", 1);
            InMemorySpanExporter exporter = InMemorySpanExporter.create();
            try (OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
                    .setTracerProvider(SdkTracerProvider.builder()
                            .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                            .build())
                    .build()) {
                List<String> currentTraces = new CopyOnWriteArrayList<>();
                start(
                        options(topic, "a").withOpenTelemetry(otel),
                        (member, record) -> currentTraces.add(io.opentelemetry.api.trace.Span.current()
                                .getSpanContext()
                                .getTraceId()));
                String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
                String parentId = "00f067aa0ba902b7";
                try (KafkaProducer<String, String> producer = cluster.producer()) {
                    ProducerRecord<String, String> record = new ProducerRecord<>(topic, 0, "k", "1");
                    record.headers()
                            .add(
                                    "traceparent",
                                    ("00-" + traceId + "-" + parentId + "-01").getBytes(StandardCharsets.UTF_8));
                    producer.send(record);
                }
                Conditions.await(
                        "the handler's span ended",
                        WITHIN,
                        () -> !exporter.getFinishedSpanItems().isEmpty());
                SpanData span = exporter.getFinishedSpanItems().get(0);
                assertEquals(traceId, span.getTraceId());
                assertEquals(parentId, span.getParentSpanId());
                assertEquals("process " + topic, span.getName());
                assertEquals(SpanKind.CONSUMER, span.getKind());
                assertEquals(
                        "0",
                        span.getAttributes()
                                .get(io.opentelemetry.api.common.AttributeKey.stringKey(
                                        "messaging.destination.partition.id")));
                assertEquals(
                        "feed/k",
                        span.getAttributes()
                                .get(io.opentelemetry.api.common.AttributeKey.stringKey("phyxius.process.id")));
                assertEquals(List.of(traceId), currentTraces, "the span is current in the handler");
            }
        }

        @Test
        void metersReportLagPerPartitionAndLiveProcessesWithBoundedTags() {
            String topic = cluster.createTopic("orders", 2);
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            CountDownLatch release = new CountDownLatch(1);
            start(options(topic, "a").withMeterRegistry(registry), (member, record) -> {
                if (record.key().equals("slow")) {
                    release.await();
                }
            });
            produce(topic, 0, "slow", numbers(1, 5));
            produce(topic, 1, "fast", numbers(1, 3));
            Conditions.await(
                    "lag 5 on the blocked partition",
                    WITHIN,
                    () -> gauge(registry, topic, "0") == 5.0,
                    () -> "meters " + registry.getMetersAsString());
            Conditions.await(
                    "lag 0 on the free one",
                    WITHIN,
                    () -> handledOf("fast").size() == 3 && gauge(registry, topic, "1") == 0.0);
            assertEquals(
                    2.0,
                    registry.get("phyxius.kafka.processes.live")
                            .tags("group", "feed", "topic", topic)
                            .gauge()
                            .value());
            Set<String> tagKeys = new HashSet<>();
            for (Meter meter : registry.getMeters()) {
                meter.getId().getTags().forEach(tag -> tagKeys.add(tag.getKey()));
            }
            assertEquals(Set.of("group", "topic", "partition"), tagKeys, "never a record key");
            release.countDown();
            Conditions.await("lag 0 once handled", WITHIN, () -> gauge(registry, topic, "0") == 0.0);
        }

        private double gauge(SimpleMeterRegistry registry, String topic, String partition) {
            Gauge gauge = registry.find("phyxius.kafka.partition.lag")
                    .tags("group", "feed", "topic", topic, "partition", partition)
                    .gauge();
            return gauge == null ? -1 : gauge.value();
        }
    }

    static String header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        assertNotNull(header, "header " + name);
        return new String(header.value(), StandardCharsets.UTF_8);
    }
}

package dev.phyxius.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.phyxius.clock.Clock;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.supervisor.KeyedOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** A key's store moves with its partition: the next owner restores it before the key's first record. */
@ExtendWith(KafkaCluster.Extension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class KeyStoreTest {

    private static final Duration WITHIN = Duration.ofSeconds(60);

    private final List<KafkaKeyedProcesses<String, String>> members = new CopyOnWriteArrayList<>();
    /** What each key's life restored, in order of lives: "member key restored". */
    private final List<String> restored = new CopyOnWriteArrayList<>();

    private final Map<String, Long> seen = new ConcurrentHashMap<>();

    @AfterEach
    void stopMembers() {
        members.forEach(member -> member.stop().orTimeout(60, TimeUnit.SECONDS).join());
    }

    private KafkaKeyedProcesses<String, String> member(
            KafkaCluster cluster, String topic, String changelog, String group, String name) {
        KafkaKeyedProcesses<String, String> member = KafkaKeyedProcesses.start(
                "counts",
                Changelog.of(changelog, new LongSerializer(), new LongDeserializer()),
                (String key, KeyStore<Long> store) -> ProcessSpec.<ConsumerRecord<String, String>, Void>named("count")
                        .handler((state, record, tools) -> {
                            if (record.value().equals("forget")) {
                                store.delete();
                            } else {
                                store.put(store.get().orElse(0L) + 1);
                            }
                            seen.merge(key, 1L, Long::sum);
                            return null;
                        })
                        .init(() -> {
                            restored.add(name + " " + key + " "
                                    + store.get().map(String::valueOf).orElse("none"));
                            return null;
                        })
                        .build(),
                KafkaOptions.of(
                                topic,
                                cluster.consumerConfig(group),
                                new StringDeserializer(),
                                new StringDeserializer())
                        .withMemberName(name)
                        .withKeyedOptions(KeyedOptions.of(Clock.system()).withoutIdleTimeout()));
        members.add(member);
        return member;
    }

    private static void produce(KafkaCluster cluster, String topic, String key, String... values) {
        try (KafkaProducer<String, String> producer = cluster.producer()) {
            for (String value : values) {
                producer.send(new ProducerRecord<>(topic, 0, key, value));
            }
        }
    }

    @Test
    void theNextOwnerRestoresTheStoreBeforeTheKeysFirstRecordAndATombstoneEmptiesIt(KafkaCluster cluster) {
        String topic = cluster.createTopic("counts", 1);
        String changelog = cluster.createCompactedTopic("counts-store", 1);
        String group = KafkaCluster.unique("counts");
        KafkaKeyedProcesses<String, String> first = member(cluster, topic, changelog, group, "first");
        produce(cluster, topic, "kept", "a", "b", "c");
        produce(cluster, topic, "dropped", "a", "forget");
        Conditions.await(
                "the first member handled everything",
                WITHIN,
                () -> seen.getOrDefault("kept", 0L) == 3 && seen.getOrDefault("dropped", 0L) == 2);
        first.close();
        members.remove(first);

        member(cluster, topic, changelog, group, "second");
        produce(cluster, topic, "kept", "d");
        produce(cluster, topic, "dropped", "b");
        Conditions.await(
                "the second member handled the new records",
                WITHIN,
                () -> seen.getOrDefault("kept", 0L) == 4 && seen.getOrDefault("dropped", 0L) == 3,
                () -> "seen " + seen + ", restored " + restored);
        assertEquals(
                List.of("first dropped none", "first kept none", "second dropped none", "second kept 3"),
                restored.stream().sorted().toList(),
                "3 visits of kept moved; the tombstone of dropped too");
        assertEquals(Optional.of(3L), Optional.ofNullable(seen.get("dropped")));
    }
}

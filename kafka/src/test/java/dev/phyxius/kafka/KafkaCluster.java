package dev.phyxius.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A real Kafka cluster (one combined KRaft broker and controller) started in this JVM from
 * Kafka's own test kit, once per test run, and closed when the run ends. Tests receive it as a
 * parameter ({@code @ExtendWith(KafkaCluster.Extension.class)}) and give each test topics and a
 * group of its own, so tests never see each other's records.
 */
final class KafkaCluster implements AutoCloseable {

    /** Resolves a {@link KafkaCluster} parameter with the run's one cluster. */
    static final class Extension implements ParameterResolver {
        private static final ExtensionContext.Namespace NAMESPACE =
                ExtensionContext.Namespace.create(KafkaCluster.class);

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == KafkaCluster.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return context.getRoot()
                    .getStore(NAMESPACE)
                    .getOrComputeIfAbsent(KafkaCluster.class, type -> KafkaCluster.start(), KafkaCluster.class);
        }
    }

    private final KafkaClusterTestKit kit;
    private final Admin admin;

    private KafkaCluster(KafkaClusterTestKit kit) {
        this.kit = kit;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kit.bootstrapServers()));
    }

    static KafkaCluster start() {
        try {
            KafkaClusterTestKit kit = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                            .setCombined(true)
                            .setNumBrokerNodes(1)
                            .setNumControllerNodes(1)
                            .build())
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("offsets.topic.num.partitions", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("group.min.session.timeout.ms", "1000")
                    .setConfigProp("auto.create.topics.enable", "false")
                    .build();
            kit.format();
            kit.startup();
            kit.waitForReadyBrokers();
            return new KafkaCluster(kit);
        } catch (Exception e) {
            throw new IllegalStateException("the in-process Kafka cluster did not start", e);
        }
    }

    String bootstrapServers() {
        return kit.bootstrapServers();
    }

    /** A topic name no other test uses. */
    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    String createTopic(String prefix, int partitions) {
        return createTopic(prefix, partitions, Map.of());
    }

    String createCompactedTopic(String prefix, int partitions) {
        return createTopic(
                prefix, partitions, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    }

    String createTopic(String prefix, int partitions, Map<String, String> config) {
        String name = unique(prefix);
        try {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(config)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not create topic " + name, e);
        }
        // The controller has made the topic; the broker learns of it a moment later. Wait until it
        // serves the topic with a leader for every partition, as a feed started now would need.
        Conditions.await("topic " + name + " served by the broker", Duration.ofSeconds(30), () -> {
            try {
                var description = admin.describeTopics(List.of(name))
                        .allTopicNames()
                        .get(10, TimeUnit.SECONDS)
                        .get(name);
                return description.partitions().size() == partitions
                        && description.partitions().stream().allMatch(partition -> partition.leader() != null);
            } catch (Exception e) {
                return false;
            }
        });
        return name;
    }

    /** A consumer configuration for a group of its own; short session for quick failover. */
    Map<String, Object> consumerConfig(String groupId) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 3000);
        config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 500);
        return config;
    }

    KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(), ProducerConfig.LINGER_MS_CONFIG, 5),
                new StringSerializer(),
                new StringSerializer());
    }

    /** The group's committed offset per partition of {@code topic}. */
    Map<Integer, Long> committed(String groupId, String topic) {
        try {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS);
            Map<Integer, Long> result = new HashMap<>();
            offsets.forEach((partition, offset) -> {
                if (partition.topic().equals(topic) && offset != null) {
                    result.put(partition.partition(), offset.offset());
                }
            });
            return result;
        } catch (Exception e) {
            throw new IllegalStateException("could not read the offsets of group " + groupId, e);
        }
    }

    /** The log end offset of each partition of {@code topic}. */
    Map<Integer, Long> endOffsets(String topic, int partitions) {
        try {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                request.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            Map<Integer, Long> result = new HashMap<>();
            admin.listOffsets(request)
                    .all()
                    .get(30, TimeUnit.SECONDS)
                    .forEach((partition, info) -> result.put(partition.partition(), info.offset()));
            return result;
        } catch (Exception e) {
            throw new IllegalStateException("could not read the end offsets of " + topic, e);
        }
    }

    /** Reads every record of {@code topic} now in it (from the beginning), as bytes. */
    List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int expected, Duration within) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + within.toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
        }
        return records;
    }

    Set<String> topics() throws Exception {
        return admin.listTopics().names().get(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        admin.close(Duration.ofSeconds(5));
        kit.close();
    }
}

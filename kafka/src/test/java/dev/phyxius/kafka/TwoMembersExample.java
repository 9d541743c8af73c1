package dev.phyxius.kafka;

import dev.phyxius.clock.Clock;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.StopReason;
import dev.phyxius.supervisor.KeyedOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Two members of a small visit-counting service share a topic on an in-process broker. Each user
 * is a process that counts its visits in a {@link KeyStore}; as members come and go, the example
 * prints which member owns which users, why a user's process stopped, and the count it restored
 * on its new owner.
 *
 * <p>Run it with {@code ./mvnw -B -q -Pkafka-demo -pl kafka -am verify -DskipTests}.
 */
public final class TwoMembersExample {

    private static final List<String> USERS =
            List.of("alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi");

    private final KafkaCluster cluster;
    private final String topic;
    private final String changelog;
    private final Map<String, Long> counts = new ConcurrentHashMap<>();

    private TwoMembersExample(KafkaCluster cluster) {
        this.cluster = cluster;
        this.topic = cluster.createTopic("visits", 4);
        this.changelog = cluster.createCompactedTopic("visits-store", 4);
    }

    /**
     * Runs the example.
     *
     * @param args none
     * @throws Exception if the broker or a member fails
     */
    public static void main(String[] args) throws Exception {
        try (KafkaCluster cluster = KafkaCluster.start()) {
            new TwoMembersExample(cluster).run();
        }
    }

    private void run() {
        System.out.println("== alpha starts alone");
        KafkaKeyedProcesses<String, String> alpha = member("alpha");
        visit(1);
        awaitVisits(1);
        owners(alpha);

        System.out.println("== beta joins: some partitions move to it");
        KafkaKeyedProcesses<String, String> beta = member("beta");
        Conditions.await(
                "beta owns partitions",
                Duration.ofSeconds(60),
                () -> !beta.ownedPartitions().isEmpty());
        visit(2);
        awaitVisits(2);
        owners(alpha, beta);

        System.out.println("== alpha stops: its users move to beta, with their counts");
        alpha.close();
        Conditions.await(
                "beta owns every partition",
                Duration.ofSeconds(60),
                () -> beta.ownedPartitions().size() == 4);
        visit(3);
        awaitVisits(3);
        owners(beta);
        beta.close();
        System.out.println("== done: every user counted 3 visits, across two owners");
    }

    private KafkaKeyedProcesses<String, String> member(String name) {
        Map<String, Object> config = cluster.consumerConfig("visit-counter");
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, name);
        KafkaOptions<String, String> options = KafkaOptions.of(
                        topic, config, new StringDeserializer(), new StringDeserializer())
                .withKeyedOptions(KeyedOptions.of(Clock.system()).withoutIdleTimeout())
                .withEvents(event -> {
                    if (event instanceof KafkaEvent.PartitionsAssigned assigned) {
                        System.out.println("  " + name + ": assigned partitions " + assigned.partitions());
                    } else if (event instanceof KafkaEvent.PartitionsRevoked revoked) {
                        System.out.println("  " + name + ": let go of partitions " + revoked.partitions()
                                + " (handled records committed first)");
                    }
                });
        return KafkaKeyedProcesses.start(
                "visits",
                Changelog.of(changelog, new LongSerializer(), new LongDeserializer()),
                (String user, KeyStore<Long> store) -> ProcessSpec.<ConsumerRecord<String, String>, Long>named("user")
                        .init(() -> {
                            long restored = store.get().orElse(0L);
                            System.out.println(
                                    "  " + user + " starts on " + name + " with " + restored + " visits restored");
                            return restored;
                        })
                        .handler((visits, record, tools) -> {
                            long now = Math.max(visits, Long.parseLong(record.value()));
                            store.put(now);
                            counts.merge(user, now, Math::max);
                            return now;
                        })
                        .onStop((Long visits, StopReason reason) -> System.out.println(
                                "  " + user + " stops on " + name + " at " + visits + " visits: " + describe(reason)))
                        .build(),
                options);
    }

    private void visit(int number) {
        try (KafkaProducer<String, String> producer = cluster.producer()) {
            for (String user : USERS) {
                producer.send(new ProducerRecord<>(topic, user, Integer.toString(number)));
            }
        }
    }

    private void awaitVisits(long number) {
        Conditions.await(
                "every user at visit " + number,
                Duration.ofSeconds(60),
                () -> USERS.stream().allMatch(user -> counts.getOrDefault(user, 0L) >= number));
    }

    @SafeVarargs
    private static void owners(KafkaKeyedProcesses<String, String>... members) {
        for (KafkaKeyedProcesses<String, String> member : members) {
            Set<String> users = new TreeSet<>(member.liveKeys());
            System.out.println(
                    "  " + member.member() + " owns partitions " + member.ownedPartitions() + ", users " + users);
        }
    }

    private static String describe(StopReason reason) {
        return reason instanceof StopReason.Passivated passivated ? passivated.why() : reason.toString();
    }
}

package dev.phyxius.benchmarks.kafka;

import dev.phyxius.clock.Clock;
import dev.phyxius.kafka.KafkaEvent;
import dev.phyxius.kafka.KafkaKeyedProcesses;
import dev.phyxius.kafka.KafkaOptions;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.supervisor.KeyedOptions;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A member for {@link KafkaFailover}: in the benchmark's JVM, or in one of its own
 * ({@link #main}: {@code bootstrap topic group member}), printing {@code ASSIGNED p,...} when its
 * partitions change and {@code HANDLED key} for each record.
 */
public final class FeedMember {

    private FeedMember() {}

    static KafkaKeyedProcesses<String, String> start(
            String bootstrap, String topic, String group, String member, Consumer<String> out) {
        return KafkaKeyedProcesses.start(
                "failover",
                key -> ProcessSpec.<ConsumerRecord<String, String>, Void>named("key")
                        .handler((state, record, tools) -> {
                            out.accept("HANDLED " + record.key());
                            return null;
                        })
                        .build(),
                KafkaOptions.of(
                                topic,
                                KafkaBroker.consumerConfig(bootstrap, group),
                                new StringDeserializer(),
                                new StringDeserializer())
                        .withMemberName(member)
                        .withKeyedOptions(KeyedOptions.of(Clock.system()).withoutIdleTimeout())
                        .withEvents(event -> {
                            if (event instanceof KafkaEvent.PartitionsAssigned assigned) {
                                out.accept("ASSIGNED " + assigned.partitions());
                            }
                        }));
    }

    /**
     * Runs a member until the process is killed.
     *
     * @param args {@code bootstrap topic group member}
     */
    public static void main(String[] args) {
        start(args[0], args[1], args[2], args[3], line -> {
                    synchronized (System.out) {
                        System.out.println(line);
                        System.out.flush();
                    }
                })
                .termination()
                .join();
    }
}

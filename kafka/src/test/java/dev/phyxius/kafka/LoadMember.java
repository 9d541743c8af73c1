package dev.phyxius.kafka;

import dev.phyxius.clock.Clock;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.StopReason;
import dev.phyxius.supervisor.KeyedOptions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.LongSerializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A member of the load used by the failover test, in this JVM or in one of its own (see
 * {@link #main}): every record's value is the key's sequence number; each key's process keeps the
 * highest number it has seen in its {@link KeyStore} and reports, one line each, what it does:
 *
 * <pre>
 * START   member key life restored     a life of the key began, with the store it restored
 * HANDLED member key life seq          a record was handled (printed before the handler returns)
 * STOP    member key life reason       the life ended
 * ASSIGNED/REVOKED member p,p,...      the member's partitions changed
 * </pre>
 */
final class LoadMember {

    private static final AtomicLong LIVES = new AtomicLong();

    private LoadMember() {}

    /** One life of a key: its number (unique in the JVM) and the highest sequence number seen. */
    record Life(String id, long last) {}

    static KafkaKeyedProcesses<String, String> start(
            String bootstrap,
            String topic,
            String changelog,
            String groupId,
            String member,
            Duration work,
            Consumer<String> out) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, groupId,
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 3000,
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 500,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200);
        KafkaOptions<String, String> options = KafkaOptions.of(
                        topic, config, new StringDeserializer(), new StringDeserializer())
                .withMemberName(member)
                .withKeyedOptions(KeyedOptions.of(Clock.system()).withoutIdleTimeout())
                .withCommitInterval(Duration.ofMillis(100))
                .withEvents(event -> {
                    if (event instanceof KafkaEvent.PartitionsAssigned assigned) {
                        out.accept("ASSIGNED " + member + " " + join(assigned.partitions()));
                    } else if (event instanceof KafkaEvent.PartitionsRevoked revoked) {
                        out.accept("REVOKED " + member + " " + join(revoked.partitions()));
                    }
                });
        return KafkaKeyedProcesses.start(
                "load",
                Changelog.of(changelog, new LongSerializer(), new LongDeserializer()),
                (String key, KeyStore<Long> store) -> ProcessSpec.<ConsumerRecord<String, String>, Life>named("load")
                        .init(() -> {
                            long restored = store.get().orElse(0L);
                            String life = member + "#" + LIVES.incrementAndGet();
                            out.accept("START " + member + " " + key + " " + life + " " + restored);
                            return new Life(life, restored);
                        })
                        .handler((life, record, tools) -> {
                            long seq = Long.parseLong(record.value());
                            if (!work.isZero()) {
                                Thread.sleep(work); // the work a real handler would do
                            }
                            if (seq > life.last()) {
                                store.put(seq);
                            }
                            out.accept("HANDLED " + member + " " + key + " " + life.id() + " " + seq);
                            return new Life(life.id(), Math.max(life.last(), seq));
                        })
                        .onStop((Life life, StopReason reason) ->
                                out.accept("STOP " + member + " " + key + " " + life.id() + " " + describe(reason)))
                        .build(),
                options);
    }

    private static String join(java.util.List<Integer> partitions) {
        return partitions.isEmpty()
                ? "-"
                : partitions.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    private static String describe(StopReason reason) {
        return reason instanceof StopReason.Passivated passivated
                ? "passivated:" + passivated.why().replace(' ', '_')
                : reason.toString().replace(' ', '_');
    }

    /**
     * Runs one member until it is killed: {@code bootstrap topic changelog groupId member workMillis}.
     * Lines go to standard output, flushed one by one, so that a line printed is a line the parent
     * sees even if this JVM is killed right after.
     *
     * @param args the arguments above
     * @throws Exception if the member fails
     */
    public static void main(String[] args) throws Exception {
        KafkaKeyedProcesses<String, String> member =
                start(args[0], args[1], args[2], args[3], args[4], Duration.ofMillis(Long.parseLong(args[5])), line -> {
                    synchronized (System.out) {
                        System.out.println(line);
                        System.out.flush();
                    }
                });
        System.out.println("READY " + member.member());
        System.out.flush();
        member.termination().join();
    }
}

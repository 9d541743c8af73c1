package dev.phyxius.benchmarks.kafka;

import dev.phyxius.clock.Clock;
import dev.phyxius.kafka.KafkaKeyedProcesses;
import dev.phyxius.kafka.KafkaOptions;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.supervisor.KeyedOptions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Records per second through one member, end to end: produced to a 4-partition topic on an
 * in-process broker, read, handled (a little CPU work and a count per key) and committed.
 * {@code feed}: {@link KafkaKeyedProcesses}, one process per key (1,000 keys), at-least-once
 * commits; {@code plain}: a hand-written poll loop on one thread doing the same work per record,
 * {@code commitAsync} after every poll (no per-key order beyond the partition's, no
 * backpressure, no rebalance handling, commits what it polled).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+UseG1GC"})
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
public class KafkaThroughput {

    static final int RECORDS = 20_000;
    static final int KEYS = 1_000;
    static final int PARTITIONS = 4;
    /** Blackhole tokens per record: the handler's work. */
    static final int WORK = 200;

    @Param({"feed", "plain"})
    public String impl;

    private KafkaBroker broker;
    private KafkaProducer<String, String> producer;
    private String topic;
    private final AtomicLong handled = new AtomicLong();
    private final List<String> keys =
            java.util.stream.IntStream.range(0, KEYS).mapToObj(i -> "key-" + i).toList();
    private KafkaKeyedProcesses<String, String> feed;
    private Thread plain;
    private final AtomicBoolean running = new AtomicBoolean(true);

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        broker = KafkaBroker.start();
        topic = broker.createTopic("throughput", PARTITIONS, false);
        producer = broker.producer();
        Map<String, Object> config = KafkaBroker.consumerConfig(broker.bootstrapServers(), "throughput-" + impl);
        if (impl.equals("feed")) {
            feed = KafkaKeyedProcesses.start(
                    "throughput",
                    key -> ProcessSpec.<ConsumerRecord<String, String>, Long>named("counter")
                            .init(() -> 0L)
                            .handler((count, record, tools) -> {
                                Blackhole.consumeCPU(WORK);
                                handled.incrementAndGet();
                                return count + 1;
                            })
                            .build(),
                    KafkaOptions.of(topic, config, new StringDeserializer(), new StringDeserializer())
                            .withKeyedOptions(KeyedOptions.of(Clock.system()).withoutIdleTimeout()));
            while (feed.ownedPartitions().size() < PARTITIONS) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
        } else {
            config.put("enable.auto.commit", false);
            config.put("auto.offset.reset", "earliest");
            AtomicBoolean assigned = new AtomicBoolean();
            plain = Thread.ofPlatform().name("plain-consumer-loop").start(() -> {
                Map<String, Long> counts = new HashMap<>();
                try (KafkaConsumer<String, String> consumer =
                        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
                    consumer.subscribe(List.of(topic));
                    while (running.get()) {
                        var records = consumer.poll(Duration.ofMillis(100));
                        assigned.set(consumer.assignment().size() == PARTITIONS);
                        for (ConsumerRecord<String, String> record : records) {
                            Blackhole.consumeCPU(WORK);
                            counts.merge(record.key(), 1L, Long::sum);
                            handled.incrementAndGet();
                        }
                        if (!records.isEmpty()) {
                            consumer.commitAsync();
                        }
                    }
                }
            });
            while (!assigned.get()) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public long endToEnd() {
        long target = handled.get() + RECORDS;
        for (int i = 0; i < RECORDS; i++) {
            producer.send(new ProducerRecord<>(topic, keys.get(i % KEYS), "v"));
        }
        producer.flush();
        while (handled.get() < target) {
            LockSupport.parkNanos(20_000);
        }
        return handled.get();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        running.set(false);
        if (feed != null) {
            feed.close();
        }
        if (plain != null) {
            plain.join();
        }
        producer.close();
        broker.close();
    }
}

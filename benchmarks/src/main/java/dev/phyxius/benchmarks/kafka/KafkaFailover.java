package dev.phyxius.benchmarks.kafka;

import dev.phyxius.kafka.KafkaKeyedProcesses;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The time from a member's end to its keys running elsewhere: two members share a 2-partition
 * topic; the victim ends, and the clock stops when the survivor has handled a record of a key
 * that was the victim's (one is produced every 5 ms). {@code stop}: the victim stops
 * ({@code close()}: its processes end, it commits and leaves the group at once); {@code kill}: the
 * victim runs in a JVM of its own and is killed ({@code destroyForcibly}), so the group learns of
 * it only when its 3 s session times out.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+UseG1GC"})
@Warmup(iterations = 1)
@Measurement(iterations = 5)
public class KafkaFailover {

    @Param({"stop", "kill"})
    public String how;

    private KafkaBroker broker;
    private KafkaProducer<String, String> producer;
    private String topic;
    private KafkaKeyedProcesses<String, String> survivor;
    private KafkaKeyedProcesses<String, String> victim;
    private Process victimProcess;
    private final Set<String> handledBySurvivor = ConcurrentHashMap.newKeySet();
    private final Set<Integer> victimPartitions = ConcurrentHashMap.newKeySet();
    private String victimKey;

    @Setup(Level.Trial)
    public void startBroker() throws Exception {
        broker = KafkaBroker.start();
        producer = broker.producer();
    }

    @Setup(Level.Invocation)
    public void startMembers() throws Exception {
        topic = broker.createTopic("failover", 2, false);
        String group = "failover-" + System.nanoTime();
        handledBySurvivor.clear();
        victimPartitions.clear();
        survivor = FeedMember.start(broker.bootstrapServers(), topic, group, "survivor", line -> {
            if (line.startsWith("HANDLED ")) {
                handledBySurvivor.add(line.substring(8));
            }
        });
        if (how.equals("stop")) {
            victim = FeedMember.start(broker.bootstrapServers(), topic, group, "victim", line -> {});
            while (victim.ownedPartitions().size() != 1
                    || survivor.ownedPartitions().size() != 1) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
            victimPartitions.addAll(victim.ownedPartitions());
        } else {
            String java = ProcessHandle.current().info().command().orElse("java");
            victimProcess = new ProcessBuilder(
                            java,
                            "-cp",
                            System.getProperty("java.class.path"),
                            FeedMember.class.getName(),
                            broker.bootstrapServers(),
                            topic,
                            group,
                            "victim")
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(victimProcess.getInputStream(), StandardCharsets.UTF_8));
            Thread.ofVirtual().start(() -> {
                try {
                    for (String line; (line = out.readLine()) != null; ) {
                        if (line.startsWith("ASSIGNED [")) {
                            String list = line.substring(10, line.length() - 1);
                            victimPartitions.clear();
                            for (String partition : list.split(", ")) {
                                if (!partition.isBlank()) {
                                    victimPartitions.add(Integer.parseInt(partition.trim()));
                                }
                            }
                        }
                    }
                } catch (java.io.IOException e) {
                    // killed
                }
            });
            while (victimPartitions.size() != 1 || survivor.ownedPartitions().size() != 1) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
        }
        int partition = victimPartitions.iterator().next();
        victimKey = "key-of-" + partition;
        producer.send(new ProducerRecord<>(topic, partition, victimKey, "warm-up"))
                .get();
    }

    @Benchmark
    public void keysRunElsewhere() throws Exception {
        int partition = victimPartitions.iterator().next();
        if (victim != null) {
            victim.close();
        } else {
            victimProcess.destroyForcibly();
        }
        long nextSend = 0;
        while (!handledBySurvivor.contains(victimKey)) {
            if (System.nanoTime() - nextSend > 0) {
                producer.send(new ProducerRecord<>(topic, partition, victimKey, "after"));
                nextSend = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(5);
            }
            LockSupport.parkNanos(100_000);
        }
    }

    @TearDown(Level.Invocation)
    public void stopMembers() throws Exception {
        survivor.close();
        if (victim != null) {
            victim.close();
            victim = null;
        }
        if (victimProcess != null) {
            victimProcess.destroyForcibly().waitFor();
            victimProcess = null;
        }
    }

    @TearDown(Level.Trial)
    public void stopBroker() throws Exception {
        producer.close();
        broker.close();
    }
}

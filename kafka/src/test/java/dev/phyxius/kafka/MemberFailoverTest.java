package dev.phyxius.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Three members share a topic: one in this JVM, two in JVMs of their own. One of those is killed
 * ({@code destroyForcibly}: no revocation, no commit, no {@code onStop}) while it is in the middle
 * of its share of the load. Every record produced must be handled at least once, each key's
 * records in order within each life of the key, and every life must start from a store that
 * includes everything committed before it: the state moved with the key.
 */
@ExtendWith(KafkaCluster.Extension.class)
class MemberFailoverTest {

    private static final int PARTITIONS = 6;
    private static final int KEYS = 30;
    private static final int FIRST_WAVE = 60;
    private static final int SEQUENCES = 100;

    private final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();
    private final List<Process> children = new ArrayList<>();
    private KafkaKeyedProcesses<String, String> local;

    @AfterEach
    void stopEverything() {
        children.forEach(Process::destroyForcibly);
        if (local != null) {
            local.stop().orTimeout(60, TimeUnit.SECONDS).join();
        }
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void aMemberKilledMidLoadLosesNothingAndItsKeysResumeElsewhereWithTheirState(KafkaCluster cluster)
            throws Exception {
        String topic = cluster.createTopic("load", PARTITIONS);
        String changelog = cluster.createCompactedTopic("load-store", PARTITIONS);
        String group = KafkaCluster.unique("load-group");

        local = LoadMember.start(
                cluster.bootstrapServers(), topic, changelog, group, "local", Duration.ofMillis(2), lines::add);
        Process victim = child(cluster, topic, changelog, group, "victim");
        child(cluster, topic, changelog, group, "survivor");
        Conditions.await(
                "three members sharing the six partitions",
                Duration.ofSeconds(90),
                () -> owners().values().stream().distinct().count() == 3 && owners().size() == PARTITIONS,
                () -> "owners " + owners());

        try (KafkaProducer<String, String> producer = cluster.producer()) {
            produce(producer, topic, 1, FIRST_WAVE);
            // Killed once it has committed some of its share: a key can resume elsewhere with
            // state only from what a commit covered (before the first commit every key of the
            // victim rightly starts again from nothing).
            Conditions.await(
                    "the victim in the middle of its share, some of it committed",
                    Duration.ofSeconds(90),
                    () -> handledBy("victim") >= 100 && victimCommitted(cluster, group, topic),
                    () -> "victim handled " + handledBy("victim") + "; committed " + cluster.committed(group, topic)
                            + "; owners " + owners());
            Set<Integer> victimPartitions = partitionsOf("victim");
            assertFalse(victimPartitions.isEmpty(), "the victim owned partitions");
            victim.destroyForcibly();
            assertTrue(victim.waitFor(30, TimeUnit.SECONDS), "the victim died");
            int handledBeforeDeath = handledBy("victim");
            produce(producer, topic, FIRST_WAVE + 1, SEQUENCES);

            Conditions.await(
                    "every record handled",
                    Duration.ofSeconds(120),
                    () -> missing().isEmpty(),
                    () -> "missing " + missing().size() + ", e.g. "
                            + missing().stream().limit(5).toList() + "; owners " + owners());
            assertTrue(handledBeforeDeath < KEYS * SEQUENCES, "the victim died before the load was done");
            Map<Integer, String> after = owners();
            for (int partition : victimPartitions) {
                assertTrue(
                        after.containsKey(partition) && !after.get(partition).equals("victim"),
                        "partition " + partition + " of the victim is owned elsewhere: " + after);
            }
        }
        assertInOrderWithinEachLife();
        assertEveryLifeRestoredTheCommittedState();
        assertMovedKeysRestoredState();
    }

    // ---------------------------------------------------------------------------------------------

    private Process child(KafkaCluster cluster, String topic, String changelog, String group, String member)
            throws IOException {
        String java = ProcessHandle.current()
                .info()
                .command()
                .orElse(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        File log = new File("target", "member-" + member + ".log");
        Process process = new ProcessBuilder(
                        java,
                        "-cp",
                        classpath,
                        "-Xshare:off",
                        LoadMember.class.getName(),
                        cluster.bootstrapServers(),
                        topic,
                        changelog,
                        group,
                        member,
                        "2")
                .redirectError(log)
                .start();
        children.add(process);
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader in = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line; (line = in.readLine()) != null; ) {
                            lines.add(line);
                        }
                    } catch (IOException e) {
                        // The child died: what it printed is in.
                    }
                },
                "reader-" + member);
        reader.setDaemon(true);
        reader.start();
        return process;
    }

    private static void produce(KafkaProducer<String, String> producer, String topic, int from, int to) {
        for (int seq = from; seq <= to; seq++) {
            for (int key = 0; key < KEYS; key++) {
                producer.send(new ProducerRecord<>(topic, "key-" + key, Long.toString(seq)));
            }
        }
        producer.flush();
    }

    /** The current owner of each partition, from the members' ASSIGNED and REVOKED lines. */
    private Map<Integer, String> owners() {
        Map<Integer, String> owners = new HashMap<>();
        for (String line : lines) {
            String[] parts = line.split(" ");
            if ((parts[0].equals("ASSIGNED") || parts[0].equals("REVOKED")) && !parts[2].equals("-")) {
                for (String partition : parts[2].split(",")) {
                    if (parts[0].equals("ASSIGNED")) {
                        owners.put(Integer.parseInt(partition), parts[1]);
                    } else {
                        owners.remove(Integer.parseInt(partition), parts[1]);
                    }
                }
            }
        }
        return owners;
    }

    private boolean victimCommitted(KafkaCluster cluster, String group, String topic) {
        Map<Integer, Long> committed = cluster.committed(group, topic);
        return partitionsOf("victim").stream().anyMatch(p -> committed.getOrDefault(p, 0L) > 0);
    }

    private Set<Integer> partitionsOf(String member) {
        Set<Integer> owned = new TreeSet<>();
        owners().forEach((partition, owner) -> {
            if (owner.equals(member)) {
                owned.add(partition);
            }
        });
        return owned;
    }

    private int handledBy(String member) {
        int count = 0;
        for (String line : lines) {
            if (line.startsWith("HANDLED " + member + " ")) {
                count++;
            }
        }
        return count;
    }

    private Set<String> missing() {
        Set<String> missing = new HashSet<>();
        for (int key = 0; key < KEYS; key++) {
            for (int seq = 1; seq <= SEQUENCES; seq++) {
                missing.add("key-" + key + " " + seq);
            }
        }
        for (String line : lines) {
            String[] parts = line.split(" ");
            if (parts[0].equals("HANDLED")) {
                missing.remove(parts[2] + " " + parts[4]);
            }
        }
        return missing;
    }

    /** Within one life, a key's records come one after the other: consecutive sequence numbers. */
    private void assertInOrderWithinEachLife() {
        Map<String, List<Long>> byLife = new LinkedHashMap<>();
        for (String line : lines) {
            String[] parts = line.split(" ");
            if (parts[0].equals("HANDLED")) {
                byLife.computeIfAbsent(parts[3], life -> new ArrayList<>()).add(Long.parseLong(parts[4]));
            }
        }
        assertFalse(byLife.isEmpty());
        byLife.forEach((life, seqs) -> {
            for (int i = 1; i < seqs.size(); i++) {
                if (seqs.get(i) != seqs.get(i - 1) + 1) {
                    fail("life " + life + " saw " + seqs.get(i - 1) + " then " + seqs.get(i) + ": " + seqs);
                }
            }
        });
    }

    /**
     * A life's first record is the first one not committed for its key; everything before it was
     * committed, and a commit waits for the store writes of what it covers, so the store the life
     * restored holds at least the number just before its first record.
     */
    private void assertEveryLifeRestoredTheCommittedState() {
        Map<String, Long> restored = new HashMap<>();
        Map<String, Long> first = new HashMap<>();
        for (String line : lines) {
            String[] parts = line.split(" ");
            if (parts[0].equals("START")) {
                restored.put(parts[3], Long.parseLong(parts[4]));
            } else if (parts[0].equals("HANDLED")) {
                first.putIfAbsent(parts[3], Long.parseLong(parts[4]));
            }
        }
        first.forEach((life, seq) -> assertTrue(
                restored.get(life) != null && restored.get(life) >= seq - 1,
                "life " + life + " began at " + seq + " but restored " + restored.get(life)));
    }

    /** Keys that ran on the victim run on a survivor afterwards, from a store that is not empty. */
    private void assertMovedKeysRestoredState() {
        Set<String> victimKeys = new HashSet<>();
        Map<String, String> lifeKey = new HashMap<>();
        Map<String, Long> restored = new HashMap<>();
        for (String line : lines) {
            String[] parts = line.split(" ");
            if (parts[0].equals("START")) {
                lifeKey.put(parts[3], parts[2]);
                restored.put(parts[3], Long.parseLong(parts[4]));
                if (parts[1].equals("victim")) {
                    victimKeys.add(parts[2]);
                }
            }
        }
        assertFalse(victimKeys.isEmpty(), "the victim ran keys");
        int moved = 0;
        for (Map.Entry<String, String> life : lifeKey.entrySet()) {
            if (!life.getKey().startsWith("victim#")
                    && victimKeys.contains(life.getValue())
                    && restored.get(life.getKey()) > 0) {
                moved++;
            }
        }
        assertTrue(moved > 0, "some key of the victim resumed on a survivor with its state");
        assertEquals(
                0,
                lines.stream().filter(line -> line.startsWith("STOP victim")).count(),
                "a killed member runs no onStop");
    }
}

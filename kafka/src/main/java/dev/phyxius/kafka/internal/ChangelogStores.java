package dev.phyxius.kafka.internal;

import dev.phyxius.kafka.Changelog;
import dev.phyxius.kafka.KeyStore;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The stores of the keys of the owned partitions, in memory, each partition's read back from its
 * changelog partition when it is assigned (partition {@code p} of the input is partition {@code p}
 * of the changelog, so a key's store moves with its records). Writes go to the changelog through
 * the feed's producer; a record counts as handled only once the writes of its handler are
 * acknowledged.
 *
 * @param <T> the stored value's type
 */
final class ChangelogStores<T> {

    private static final Duration RESTORE_POLL = Duration.ofMillis(100);

    private final Changelog<T> changelog;
    private final Producer<byte[], byte[]> producer;
    /** Poll thread only: reads changelog partitions back, outside any consumer group. */
    private final Consumer<byte[], byte[]> restorer;

    private final ConcurrentHashMap<Integer, ConcurrentHashMap<ByteBuffer, byte[]>> partitions =
            new ConcurrentHashMap<>();

    ChangelogStores(Changelog<T> changelog, Producer<byte[], byte[]> producer, Consumer<byte[], byte[]> restorer) {
        this.changelog = changelog;
        this.producer = producer;
        this.restorer = restorer;
    }

    String topic() {
        return changelog.topic();
    }

    /**
     * Reads the changelog partitions of {@code assigned} from the beginning to their end as of now;
     * returns how many records each held. Poll thread only; blocks until done.
     */
    Map<Integer, long[]> restore(Collection<Integer> assigned, Duration timeout) {
        List<TopicPartition> topicPartitions = new ArrayList<>();
        Map<Integer, ConcurrentHashMap<ByteBuffer, byte[]>> restored = new HashMap<>();
        Map<Integer, long[]> counts = new HashMap<>();
        for (int partition : assigned) {
            topicPartitions.add(new TopicPartition(changelog.topic(), partition));
            restored.put(partition, new ConcurrentHashMap<>());
            counts.put(partition, new long[] {0, 0});
        }
        restorer.assign(topicPartitions);
        restorer.seekToBeginning(topicPartitions);
        Map<TopicPartition, Long> ends = restorer.endOffsets(topicPartitions, timeout);
        long deadline = System.nanoTime() + timeout.toNanos();
        List<TopicPartition> open = new ArrayList<>(topicPartitions);
        open.removeIf(tp -> restorer.position(tp, timeout) >= ends.get(tp));
        while (!open.isEmpty()) {
            if (System.nanoTime() - deadline > 0) {
                throw new dev.phyxius.kafka.KafkaFeedException("restoring the stores from changelog '"
                        + changelog.topic() + "' took longer than " + timeout + "; still reading " + open);
            }
            for (ConsumerRecord<byte[], byte[]> record : restorer.poll(RESTORE_POLL)) {
                ConcurrentHashMap<ByteBuffer, byte[]> values = restored.get(record.partition());
                counts.get(record.partition())[1]++;
                if (record.key() == null) {
                    continue;
                }
                if (record.value() == null) {
                    values.remove(ByteBuffer.wrap(record.key()));
                } else {
                    values.put(ByteBuffer.wrap(record.key()), record.value());
                }
            }
            open.removeIf(tp -> restorer.position(tp, timeout) >= ends.get(tp));
        }
        restorer.assign(List.of());
        restored.forEach((partition, values) -> {
            partitions.put(partition, values);
            counts.get(partition)[0] = values.size();
        });
        return counts;
    }

    /** The partition was let go: its stores go with it. */
    void drop(int partition) {
        partitions.remove(partition);
    }

    /** The store of the key whose serialised form is {@code rawKey}, in {@code partition}. */
    Store storeFor(int partition, byte[] rawKey) {
        return new Store(partition, rawKey);
    }

    void close() {
        restorer.close(Duration.ofSeconds(5));
    }

    /** One key's store; its writes since the last {@link #takeWrites} are awaited by the feed. */
    final class Store implements KeyStore<T> {

        private final int partition;
        private final byte[] rawKey;
        private final ByteBuffer lookup;
        /** Only the key's process touches it, one handler at a time. */
        private CompletableFuture<Void> writes;

        Store(int partition, byte[] rawKey) {
            this.partition = partition;
            this.rawKey = rawKey;
            this.lookup = ByteBuffer.wrap(rawKey);
        }

        @Override
        public Optional<T> get() {
            Map<ByteBuffer, byte[]> values = partitions.get(partition);
            byte[] bytes = values == null ? null : values.get(lookup);
            return bytes == null
                    ? Optional.empty()
                    : Optional.ofNullable(changelog.deserializer().deserialize(changelog.topic(), bytes));
        }

        @Override
        public void put(T value) {
            Objects.requireNonNull(value, "value");
            byte[] bytes = changelog.serializer().serialize(changelog.topic(), value);
            Map<ByteBuffer, byte[]> values = partitions.get(partition);
            if (values != null) {
                values.put(lookup, bytes);
            }
            write(bytes);
        }

        @Override
        public void delete() {
            Map<ByteBuffer, byte[]> values = partitions.get(partition);
            if (values != null) {
                values.remove(lookup);
            }
            write(null);
        }

        private void write(byte[] bytes) {
            CompletableFuture<Void> written = new CompletableFuture<>();
            producer.send(new ProducerRecord<>(changelog.topic(), partition, rawKey, bytes), (metadata, error) -> {
                if (error == null) {
                    written.complete(null);
                } else {
                    written.completeExceptionally(error);
                }
            });
            writes = writes == null ? written : CompletableFuture.allOf(writes, written);
        }

        /** The writes made since the last call, or null if none. */
        CompletableFuture<Void> takeWrites() {
            CompletableFuture<Void> taken = writes;
            writes = null;
            return taken;
        }

        @Override
        public String toString() {
            return "KeyStore[" + changelog.topic() + "-" + partition + "]";
        }
    }
}

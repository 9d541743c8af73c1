package dev.phyxius.kafka;

import dev.phyxius.kafka.internal.Feed;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.StopReason;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One member of a feed: a keyed process group fed from a Kafka topic. Start one per replica of a
 * service, all with the same {@code group.id}; the topic's partitions are shared among them, and a
 * record is handled by the process of its key on the member that owns its partition.
 *
 * <pre>{@code
 * KafkaKeyedProcesses<String, String> carts = KafkaKeyedProcesses.start("cart",
 *         userId -> ProcessSpec.<ConsumerRecord<String, String>, Cart>named("cart")
 *                 .init(Cart::new)
 *                 .handler((cart, record, tools) -> cart.apply(record.value()))
 *                 .build(),
 *         KafkaOptions.of("cart-events", consumerConfig, new StringDeserializer(), new StringDeserializer()));
 * }</pre>
 *
 * <p><b>Delivery.</b> Each member has one poll loop, on a thread of its own, that never waits for
 * a handler: it hands each record to its key's process ({@link dev.phyxius.supervisor.KeyedProcesses}),
 * which starts on the key's first record. Records of one key are handled one at a time, in the
 * order of their partition.
 *
 * <p><b>At least once.</b> A partition's offset is committed only up to its first record not yet
 * handled or dead-lettered; a record dropped unhandled (by a revocation, a stop, a give-up) is
 * never committed past, so it is read again, here or by the partition's next owner. A member that
 * dies loses nothing: its partitions' next owners start from its last commit. A record may
 * therefore be handled more than once; make handlers idempotent (the {@link KeyStore} helps).
 *
 * <p><b>Rebalance.</b> When a partition is revoked, its keys' processes finish the record in
 * hand, get {@code onStop} with {@link StopReason#passivated(String)} naming the partition and the
 * member, and what they handled is committed before the partition is let go. Assigned partitions
 * start no process until a record arrives.
 *
 * <p><b>Backpressure.</b> When a key's mailbox is full, its partition is paused and the record
 * waits; the partition resumes once the record is taken. Nothing is dropped.
 *
 * <p><b>Poison records.</b> A record whose handler throws restarts its process (fresh state, as
 * the keyed group's supervision strategy says) and is handled again, before any later record of
 * its key; once it has failed one more time than the strategy's {@code maxRestarts}, it goes to
 * the dead-letter topic ({@link KafkaOptions#withDeadLetterTopic}) and the key carries on.
 *
 * <p><b>Threads.</b> Thread-safe. The handlers run on the keyed group's threads, never on the
 * poll thread.
 *
 * @param <K> the record key type, the key of a process
 * @param <V> the record value type
 * @since 0.1
 */
public final class KafkaKeyedProcesses<K, V> implements AutoCloseable {

    private final Feed<K, V> feed;

    private KafkaKeyedProcesses(Feed<K, V> feed) {
        this.feed = feed;
    }

    /**
     * Starts a member: checks that the topics exist, joins the consumer group and begins to poll.
     *
     * @param name    the keyed group's name, for process ids ({@code name/key}) and events
     * @param specs   builds the spec of a key's process, when the key comes to life; called on the
     *                poll thread, so it should be cheap. The spec's mailbox policy is taken as
     *                {@code REJECT}: a full mailbox pauses the partition instead of dropping.
     * @param options the member's options
     * @param <K>     the key type
     * @param <V>     the value type
     * @return the running member
     * @throws NullPointerException     if an argument is {@code null}
     * @throws IllegalArgumentException if {@code name} is blank
     * @throws KafkaFeedException       if a topic is missing or the cluster cannot be reached
     */
    public static <K, V> KafkaKeyedProcesses<K, V> start(
            String name,
            Function<? super K, ? extends ProcessSpec<ConsumerRecord<K, V>, ?, Void>> specs,
            KafkaOptions<K, V> options) {
        Objects.requireNonNull(specs, "specs");
        return new KafkaKeyedProcesses<>(Feed.start(
                requireName(name), null, (key, store) -> specs.apply(key), Objects.requireNonNull(options, "options")));
    }

    /**
     * Starts a member whose processes each have a {@link KeyStore} backed by {@code changelog}.
     *
     * @param name      the keyed group's name
     * @param changelog where the stores are kept
     * @param specs     builds the spec of a key's process from the key and its store; the store
     *                  is already restored when it is called
     * @param options   the member's options
     * @param <K>       the key type
     * @param <V>       the value type
     * @param <T>       the stored value's type
     * @return the running member
     * @throws NullPointerException     if an argument is {@code null}
     * @throws IllegalArgumentException if {@code name} is blank
     * @throws KafkaFeedException       if a topic is missing, the changelog is not compacted or has
     *     fewer partitions than the input topic, or the cluster cannot be reached
     */
    public static <K, V, T> KafkaKeyedProcesses<K, V> start(
            String name,
            Changelog<T> changelog,
            BiFunction<? super K, ? super KeyStore<T>, ? extends ProcessSpec<ConsumerRecord<K, V>, ?, Void>> specs,
            KafkaOptions<K, V> options) {
        Objects.requireNonNull(changelog, "changelog");
        Objects.requireNonNull(specs, "specs");
        return new KafkaKeyedProcesses<>(
                Feed.start(requireName(name), changelog, specs, Objects.requireNonNull(options, "options")));
    }

    /**
     * The keyed group's name.
     *
     * @return it
     */
    public String name() {
        return feed.name();
    }

    /**
     * This member's name.
     *
     * @return it
     */
    public String member() {
        return feed.member();
    }

    /**
     * The partitions of the topic this member owns now: a sample.
     *
     * @return an immutable snapshot
     */
    public Set<Integer> ownedPartitions() {
        return feed.ownedPartitions();
    }

    /**
     * The keys whose processes are live on this member now: a sample.
     *
     * @return an immutable snapshot
     */
    public Set<K> liveKeys() {
        return feed.liveKeys();
    }

    /**
     * Completes when the member has stopped: normally after {@link #stop()}, exceptionally with a
     * {@link KafkaFeedException} if it stopped on its own (a record that does not deserialise
     * without a dead-letter topic, a consumer failure).
     *
     * @return the future; the same one every call
     */
    public CompletableFuture<Void> termination() {
        return feed.termination();
    }

    /**
     * Stops the member: its processes finish the record in hand and end with
     * {@link StopReason#passivated(String)}, what they handled is committed, the consumer leaves
     * the group (its partitions go to the other members) and the keyed group stops. Idempotent.
     *
     * @return completes once everything has ended (normally even if the member had failed; see
     *     {@link #termination()})
     */
    public CompletableFuture<Void> stop() {
        return feed.stop();
    }

    /**
     * Stops the member and waits: {@code stop().join()}.
     */
    @Override
    public void close() {
        stop().join();
    }

    @Override
    public String toString() {
        return "KafkaKeyedProcesses[" + feed + "]";
    }

    private static String requireName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        return name;
    }
}

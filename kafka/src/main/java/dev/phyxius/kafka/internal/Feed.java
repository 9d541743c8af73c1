package dev.phyxius.kafka.internal;

import dev.phyxius.clock.Clock;
import dev.phyxius.clock.Event;
import dev.phyxius.clock.EventSink;
import dev.phyxius.kafka.Changelog;
import dev.phyxius.kafka.KafkaEvent;
import dev.phyxius.kafka.KafkaFeedException;
import dev.phyxius.kafka.KafkaOptions;
import dev.phyxius.kafka.KeyStore;
import dev.phyxius.process.ProcessEvent;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.Tools;
import dev.phyxius.supervisor.KeyedEvent;
import dev.phyxius.supervisor.KeyedOptions;
import dev.phyxius.supervisor.KeyedProcesses;
import dev.phyxius.supervisor.SendResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * One member of a feed: the poll loop, the bookkeeping of offsets, the rebalance listener and the
 * keyed group it feeds.
 *
 * <p><b>Threads.</b> The consumer is touched only by the poll thread (and {@code wakeup} from
 * {@link #stop}). The rebalance listener runs inside {@code poll}, on the poll thread. Handlers run
 * on the keyed group's threads and reach the feed only through {@link #handled},
 * {@link #deadLetter}, {@link #takeRetry} and {@link #keepForRetry}, which touch concurrent maps
 * and the synchronized {@link PartitionState}s. The poll thread never waits for a handler, except
 * in a revocation, where it must: what the revoked partitions' processes handled is committed
 * before they are let go.
 */
public final class Feed<K, V> {

    private static final Duration PAUSED_POLL = Duration.ofMillis(5);
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    /** The self-message a failing life leaves so that its next life looks at the records it kept. */
    private final ConsumerRecord<K, V> nudge = new ConsumerRecord<>("phyxius.kafka.retry", -1, -1L, null, null);

    private final String name;
    private final String topic;
    private final String member;
    private final String groupId;
    private final KafkaOptions<K, V> options;
    private final Deserializer<K> keys;
    private final Deserializer<V> values;
    private final BiFunction<? super K, Object, ? extends ProcessSpec<ConsumerRecord<K, V>, ?, Void>> specs;
    private final Clock clock;
    private final EventSink events;
    private final EventSink groupEvents;
    private final int restartBudget;
    private final RecordTracing tracing;
    private final FeedMeters meters;

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Producer<byte[], byte[]> producer;
    private final DeadLetters deadLetters;
    private final ChangelogStores<?> stores;
    private final KeyedProcesses<K, ConsumerRecord<K, V>> group;

    /** The owned partitions, by number. The poll thread writes; handlers and ownership read. */
    private final ConcurrentHashMap<Integer, PartitionState> partitions = new ConcurrentHashMap<>();
    /** Records handed to a process and not yet handled: where each came from, as bytes too. */
    private final ConcurrentHashMap<ConsumerRecord<K, V>, Tracked> tracking = new ConcurrentHashMap<>();
    /** Each key seen on an owned partition: which partition, and its bytes (for its store). */
    private final ConcurrentHashMap<K, KeyInfo> keyInfo = new ConcurrentHashMap<>();
    /** Records a failed life left for the key's next life. */
    private final ConcurrentHashMap<K, Retry<K, V>> retries = new ConcurrentHashMap<>();

    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final CompletableFuture<Void> termination = new CompletableFuture<>();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private volatile boolean stopping;
    private final Thread pollThread;
    /** Poll thread only: the spec factory's last exception, for a record the group refused with SPEC_FAILED. */
    private RuntimeException specFailure;

    /** Where a handed-over record came from. */
    record Tracked(PartitionState state, ConsumerRecord<byte[], byte[]> raw) {}

    /** Where a key lives. */
    record KeyInfo(int partition, byte[] rawKey) {}

    /** Records kept for a key's next life; the first has failed {@code failures} times in a row. */
    record Retry<K, V>(List<ConsumerRecord<K, V>> records, int failures) {}

    private Feed(
            String name,
            ChangelogStoresFactory storesFactory,
            BiFunction<? super K, Object, ? extends ProcessSpec<ConsumerRecord<K, V>, ?, Void>> specs,
            KafkaOptions<K, V> options) {
        this.name = name;
        this.topic = options.topic();
        this.member = options.memberName();
        this.groupId =
                options.consumerConfig().get(ConsumerConfig.GROUP_ID_CONFIG).toString();
        this.options = options;
        this.keys = options.keys();
        this.values = options.values();
        this.specs = specs;
        KeyedOptions<? super K> keyed = options.keyedOptions();
        this.clock = keyed.clock();
        this.events = options.events().orElse(null);
        this.groupEvents = keyed.events().orElse(null);
        this.restartBudget = keyed.strategy().maxRestarts();
        this.tracing = options.openTelemetry().isPresent()
                ? new OpenTelemetryTracing(options.openTelemetry().get(), groupId)
                : RecordTracing.NONE;

        this.consumer = new KafkaConsumer<>(consumerConfig(options));
        try {
            boolean writes = options.deadLetterTopic().isPresent() || storesFactory != null;
            this.producer = writes ? new KafkaProducer<>(producerConfig(options)) : null;
            this.deadLetters = options.deadLetterTopic()
                    .map(dlt -> new DeadLetters(producer, dlt, name))
                    .orElse(null);
            this.stores = storesFactory == null
                    ? null
                    : storesFactory.make(producer, new KafkaConsumer<>(restoreConfig(options)));
        } catch (RuntimeException e) {
            consumer.close(Duration.ZERO);
            throw e;
        }
        KeyedOptions<K> feedKeyed =
                keyed.withOwnership(this::owns).withQuarantine(Duration.ZERO).withEvents(this::onGroupEvent);
        this.group = KeyedProcesses.create(name, this::specFor, feedKeyed);
        this.meters = options.meterRegistry().isPresent()
                ? new MicrometerMeters(options.meterRegistry().get(), name, topic, group::liveCount)
                : FeedMeters.NONE;
        this.pollThread = Thread.ofPlatform()
                .name("phyxius-kafka-poll-" + name + "-" + member)
                .daemon()
                .unstarted(this::run);
    }

    /** Makes the store part once the producer and the restore consumer exist. */
    @FunctionalInterface
    private interface ChangelogStoresFactory {
        ChangelogStores<?> make(
                Producer<byte[], byte[]> producer, org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> restorer);
    }

    /**
     * Checks the topics against the cluster, then starts a member.
     *
     * @param name      the keyed group's name
     * @param changelog the stores' changelog, or null
     * @param specs     builds a key's spec from the key and its store (null without a changelog)
     * @param options   the options
     * @param <K>       the key type
     * @param <V>       the value type
     * @param <T>       the stored type
     * @return the running member
     */
    @SuppressWarnings("unchecked")
    public static <K, V, T> Feed<K, V> start(
            String name,
            Changelog<T> changelog,
            BiFunction<? super K, ? super KeyStore<T>, ? extends ProcessSpec<ConsumerRecord<K, V>, ?, Void>> specs,
            KafkaOptions<K, V> options) {
        checkTopics(options, changelog);
        ChangelogStoresFactory storesFactory =
                changelog == null ? null : (producer, restorer) -> new ChangelogStores<>(changelog, producer, restorer);
        Feed<K, V> feed =
                new Feed<>(name, storesFactory, (key, store) -> specs.apply(key, (KeyStore<T>) store), options);
        feed.pollThread.start();
        return feed;
    }

    // -------------------------------------------------------------------------------------------
    // Queries

    /** The keyed group's name. @return it */
    public String name() {
        return name;
    }

    /** This member's name. @return it */
    public String member() {
        return member;
    }

    /** The partitions owned and not being let go. @return a snapshot */
    public Set<Integer> ownedPartitions() {
        Set<Integer> owned = new TreeSet<>();
        partitions.forEach((number, state) -> {
            if (!state.revoked) {
                owned.add(number);
            }
        });
        return Collections.unmodifiableSet(owned);
    }

    /** The keys live in the group. @return a snapshot */
    public Set<K> liveKeys() {
        return group.liveKeys();
    }

    /** Completes when the member has stopped; exceptionally if it failed. @return the future */
    public CompletableFuture<Void> termination() {
        return termination;
    }

    /** Asks the poll loop to stop. @return completes once everything has ended */
    public CompletableFuture<Void> stop() {
        stopping = true;
        consumer.wakeup();
        return stopped;
    }

    @Override
    public String toString() {
        return name + " on " + topic + ", member " + member + ", partitions " + ownedPartitions()
                + (stopping ? ", stopping" : "");
    }

    // -------------------------------------------------------------------------------------------
    // For the keys' processes

    boolean isNudge(ConsumerRecord<K, V> record) {
        return record == nudge;
    }

    RecordTracing tracing() {
        return tracing;
    }

    /** How many times in a row a record may fail and be tried again: the strategy's restarts. */
    int restartBudget() {
        return restartBudget;
    }

    Retry<K, V> takeRetry(K key) {
        return retries.remove(key);
    }

    /**
     * Keeps records for the key's next life and nudges it, so that the next life handles them
     * first even if nothing else arrives. If the mailbox is full, the nudge is refused, but then a
     * record is queued behind, which serves as well.
     */
    void keepForRetry(K key, Retry<K, V> retry, Tools<ConsumerRecord<K, V>> tools) {
        retries.put(key, retry);
        tools.self().send(nudge);
    }

    /** A record was handled; it counts once its store writes (if any) are acknowledged. */
    void handled(ConsumerRecord<K, V> record, CompletableFuture<Void> writes) {
        Tracked tracked = tracking.remove(record);
        if (tracked == null) {
            return; // sent by the process itself, or read again since (a rewind): nothing to commit
        }
        if (writes == null) {
            tracked.state.done(record.offset());
            return;
        }
        writes.whenComplete((ignored, error) -> {
            if (error == null) {
                tracked.state.done(record.offset());
            } else {
                fail(new KafkaFeedException(
                        "the changelog write of record " + where(tracked.raw) + " failed; it is not committed", error));
            }
        });
    }

    /** A record's restarts are spent: it goes to the dead-letter topic, or stops the member. */
    void deadLetter(ConsumerRecord<K, V> record, Exception error, String process, int attempts) {
        Tracked tracked = tracking.remove(record);
        if (tracked == null) {
            return;
        }
        giveUp(tracked.state, tracked.raw, "handler-failed", error, process, attempts);
    }

    // -------------------------------------------------------------------------------------------
    // The keyed group's plug-ins

    /** A key is owned here while its partition is owned and not being let go. */
    private boolean owns(K key) {
        KeyInfo info = keyInfo.get(key);
        if (info == null) {
            return false;
        }
        PartitionState state = partitions.get(info.partition);
        return state != null && !state.revoked;
    }

    private ProcessSpec<ConsumerRecord<K, V>, ?, Void> specFor(K key) {
        KeyInfo info = keyInfo.get(key);
        ChangelogStores<?>.Store store =
                stores == null || info == null ? null : stores.storeFor(info.partition, info.rawKey);
        try {
            return wrap(key, specs.apply(key, store), store);
        } catch (RuntimeException e) {
            specFailure = e;
            throw e;
        }
    }

    private <S> KeySpec<K, V, S> wrap(
            K key, ProcessSpec<ConsumerRecord<K, V>, S, Void> user, ChangelogStores<?>.Store store) {
        if (user == null) {
            throw new NullPointerException("the spec factory of group '" + name + "' returned null for key " + key);
        }
        return new KeySpec<>(this, key, user, store);
    }

    /**
     * Watches the keyed group's events: a tracked record dropped unhandled on a partition that is
     * not being let go means the partition must be read again; a record refused for a full mailbox
     * is backpressure, reported as {@link KafkaEvent.PartitionPaused}, not as a refusal.
     */
    private void onGroupEvent(Event event) {
        Object dropped = null;
        if (event instanceof ProcessEvent.MessageDropped drop) {
            dropped = drop.message();
        } else if (event instanceof KeyedEvent.MessageDropped drop) {
            dropped = drop.message();
        } else if (event instanceof KeyedEvent.MessageRejected rejected && tracking.containsKey(rejected.message())) {
            return;
        } else if (event instanceof ProcessEvent.MessageRejected rejected && tracking.containsKey(rejected.message())) {
            return;
        }
        if (event instanceof KeyedEvent.GaveUp gaveUp) {
            // The supervisor gave up on a key: the records its life kept for a retry, and those
            // queued behind, will not be handled by it. Read the partition again.
            KeyInfo info = keyInfo.get(gaveUp.key());
            PartitionState state = info == null ? null : partitions.get(info.partition);
            if (state != null && !state.revoked && !stopping) {
                state.rewind = true;
            }
        }
        if (dropped != null && dropped != nudge) {
            Tracked tracked = tracking.get(dropped);
            if (tracked != null && !tracked.state.revoked && !stopping) {
                tracked.state.rewind = true;
            }
        }
        if (groupEvents != null) {
            groupEvents.emit(event);
        }
    }

    // -------------------------------------------------------------------------------------------
    // The poll loop

    private void run() {
        Throwable error = null;
        try {
            consumer.subscribe(List.of(topic), new Rebalance());
            long nextCommit = System.nanoTime();
            while (!stopping) {
                ConsumerRecords<byte[], byte[]> records;
                try {
                    records = consumer.poll(anyPaused() ? PAUSED_POLL : options.pollTimeout());
                } catch (WakeupException e) {
                    continue;
                }
                for (TopicPartition partition : records.partitions()) {
                    PartitionState state = partitions.get(partition.partition());
                    if (state != null) {
                        List<ConsumerRecord<byte[], byte[]>> fetched = records.records(partition);
                        state.waiting.addAll(fetched);
                        state.fetched = fetched.get(fetched.size() - 1).offset() + 1;
                    }
                }
                for (PartitionState state : partitions.values()) {
                    if (state.rewind) {
                        rewind(state);
                    }
                    dispatch(state);
                    readLag(state);
                }
                if (System.nanoTime() - nextCommit >= 0) {
                    commitAsync();
                    nextCommit = System.nanoTime() + options.commitInterval().toNanos();
                }
            }
        } catch (Throwable t) {
            error = t;
        } finally {
            shutdown(error);
        }
    }

    private boolean anyPaused() {
        for (PartitionState state : partitions.values()) {
            if (state.paused) {
                return true;
            }
        }
        return false;
    }

    /** Hands a partition's waiting records to their processes, in order, until one is refused. */
    private void dispatch(PartitionState state) {
        while (!state.waiting.isEmpty() && !stopping) {
            ConsumerRecord<byte[], byte[]> raw = state.waiting.peek();
            K key;
            try {
                key = keys.deserialize(raw.topic(), raw.headers(), raw.key());
                if (key == null) {
                    throw new KafkaFeedException(
                            "the key deserialised to null" + (raw.key() == null ? " (the record has no key)" : ""));
                }
            } catch (RuntimeException e) {
                if (!giveUpWhileReading(state, raw, "key-not-deserialisable", "its key does not deserialise", e)) {
                    return;
                }
                state.waiting.poll();
                continue;
            }
            V value;
            try {
                value = values.deserialize(raw.topic(), raw.headers(), raw.value());
            } catch (RuntimeException e) {
                if (!giveUpWhileReading(state, raw, "value-not-deserialisable", "its value does not deserialise", e)) {
                    return;
                }
                state.waiting.poll();
                continue;
            }
            ConsumerRecord<K, V> record = new ConsumerRecord<>(
                    raw.topic(),
                    raw.partition(),
                    raw.offset(),
                    raw.timestamp(),
                    raw.timestampType(),
                    raw.serializedKeySize(),
                    raw.serializedValueSize(),
                    key,
                    value,
                    raw.headers(),
                    raw.leaderEpoch());
            KeyInfo info = keyInfo.get(key);
            if (info == null || info.partition != raw.partition()) {
                keyInfo.put(key, new KeyInfo(raw.partition(), raw.key()));
            }
            long previous = state.handOver(raw.offset());
            tracking.put(record, new Tracked(state, raw));
            specFailure = null;
            SendResult result = group.offer(key, record);
            if (result == SendResult.ACCEPTED) {
                state.waiting.poll();
                continue;
            }
            tracking.remove(record);
            state.undo(raw.offset(), previous);
            if (result == SendResult.SPEC_FAILED) {
                RuntimeException cause = specFailure != null
                        ? specFailure
                        : new KafkaFeedException("the spec factory failed for key " + key);
                if (!giveUpWhileReading(state, raw, "spec-failed", "no spec could be made for its key", cause)) {
                    return;
                }
                state.waiting.poll();
                continue;
            }
            if (result != SendResult.STOPPED) {
                // A full mailbox (or a key between lives): pause the partition, try again soon.
                pause(state, raw.offset());
            }
            return;
        }
        if (state.waiting.isEmpty() && state.paused) {
            consumer.resume(List.of(state.partition));
            state.paused = false;
            emit(new KafkaEvent.PartitionResumed(clock.now(), name, topic, member, state.partition.partition()));
        }
    }

    private void pause(PartitionState state, long offset) {
        if (!state.paused) {
            consumer.pause(List.of(state.partition));
            state.paused = true;
            emit(new KafkaEvent.PartitionPaused(clock.now(), name, topic, member, state.partition.partition(), offset));
        }
    }

    /**
     * A record that cannot reach a process: dead-lettered (true), or, without a dead-letter topic,
     * the member stops with a clear error and the record is not committed (false).
     */
    private boolean giveUpWhileReading(
            PartitionState state,
            ConsumerRecord<byte[], byte[]> raw,
            String reason,
            String what,
            RuntimeException error) {
        if (deadLetters == null) {
            fail(new KafkaFeedException(
                    "record " + where(raw) + " cannot be handled: " + what + " (" + error
                            + "); there is no dead-letter topic, so the member stops and does not commit it",
                    error));
            return false;
        }
        state.handOver(raw.offset());
        giveUp(state, raw, reason, error, null, 1);
        return true;
    }

    /** Writes a record to the dead-letter topic; it counts as handled once acknowledged. */
    private void giveUp(
            PartitionState state,
            ConsumerRecord<byte[], byte[]> raw,
            String reason,
            Exception error,
            String process,
            int attempts) {
        if (deadLetters == null) {
            fail(new KafkaFeedException(
                    "record " + where(raw) + " failed " + attempts + " times in process " + process
                            + "; there is no dead-letter topic, so the member stops and does not commit it",
                    error));
            return;
        }
        deadLetters.send(raw, reason, error, process, attempts).whenComplete((ignored, failed) -> {
            if (failed != null) {
                fail(new KafkaFeedException(
                        "writing record " + where(raw) + " to dead-letter topic '" + deadLetters.topic()
                                + "' failed; it is not committed",
                        failed));
                return;
            }
            state.done(raw.offset());
            meters.deadLettered();
            emit(new KafkaEvent.RecordDeadLettered(
                    clock.now(), name, topic, member, raw.partition(), raw.offset(), reason, error));
        });
    }

    /** Records handed over were dropped unhandled: read the partition again from the first of them. */
    private void rewind(PartitionState state) {
        state.rewind = false;
        long from = state.committable();
        if (from < 0) {
            return;
        }
        consumer.seek(state.partition, from);
        state.restartAt(from);
        state.waiting.clear();
        state.fetched = from;
        tracking.values().removeIf(tracked -> tracked.state == state);
        int number = state.partition.partition();
        retries.keySet().removeIf(key -> partitionOf(key) == number);
        if (state.paused) {
            consumer.resume(List.of(state.partition));
            state.paused = false;
        }
        emit(new KafkaEvent.PartitionRewound(clock.now(), name, topic, member, number, from));
    }

    private void readLag(PartitionState state) {
        var lag = consumer.currentLag(state.partition);
        if (lag.isPresent() && state.fetched >= 0) {
            // The consumer's lag counts from its position, the offset after the last record fetched.
            state.logEnd = state.fetched + lag.getAsLong();
        }
    }

    private void commitAsync() {
        Map<TopicPartition, OffsetAndMetadata> offsets = committable(partitions.values());
        if (offsets.isEmpty()) {
            return;
        }
        consumer.commitAsync(offsets, (committed, error) -> {
            if (error != null) {
                // A later commit (or the revocation's) covers it; let the next interval try again.
                for (TopicPartition partition : offsets.keySet()) {
                    PartitionState state = partitions.get(partition.partition());
                    if (state != null) {
                        state.committed = -1;
                    }
                }
            }
        });
    }

    /** What may be committed and was not yet, for {@code states}; marks it as committed. */
    private Map<TopicPartition, OffsetAndMetadata> committable(Collection<PartitionState> states) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (PartitionState state : states) {
            long offset = state.committable();
            if (offset >= 0 && offset != state.committed) {
                offsets.put(state.partition, new OffsetAndMetadata(offset));
                state.committed = offset;
            }
        }
        return offsets;
    }

    private int partitionOf(K key) {
        KeyInfo info = keyInfo.get(key);
        return info == null ? -1 : info.partition;
    }

    // -------------------------------------------------------------------------------------------
    // Rebalance

    /** Runs inside {@code poll}, on the poll thread. */
    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            if (assigned.isEmpty()) {
                return;
            }
            List<Integer> numbers = new ArrayList<>();
            List<PartitionState> added = new ArrayList<>();
            for (TopicPartition partition : assigned) {
                PartitionState state = new PartitionState(partition);
                added.add(state);
                numbers.add(partition.partition());
            }
            if (stores != null) {
                // Before any record of these partitions is handed over: poll returns their records
                // only after this listener returns.
                Map<Integer, long[]> counts = stores.restore(numbers, options.revocationTimeout());
                counts.forEach((partition, count) -> emit(new KafkaEvent.StoreRestored(
                        clock.now(), name, topic, member, partition, (int) count[0], count[1])));
            }
            for (PartitionState state : added) {
                partitions.put(state.partition.partition(), state);
                meters.assigned(state);
            }
            numbers.sort(null);
            emit(new KafkaEvent.PartitionsAssigned(clock.now(), name, topic, member, List.copyOf(numbers)));
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            letGo(revoked, "revoked from member " + member + " (rebalance)", true);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            letGo(lost, "lost by member " + member + " (it was dropped from the group)", false);
        }
    }

    /**
     * Lets partitions go: their keys' processes finish the record in hand and end with a reason
     * naming the partition; then (unless {@code commit} is false: the member can no longer commit)
     * what they handled is committed; then the partitions' bookkeeping goes.
     */
    private void letGo(Collection<TopicPartition> partitionsLetGo, String why, boolean commit) {
        List<PartitionState> states = new ArrayList<>();
        for (TopicPartition partition : partitionsLetGo) {
            PartitionState state = partitions.get(partition.partition());
            if (state != null) {
                state.revoked = true; // first: no key of it comes to life from now on
                states.add(state);
            }
        }
        if (states.isEmpty()) {
            return;
        }
        List<CompletableFuture<Void>> ended = new ArrayList<>();
        for (PartitionState state : states) {
            int number = state.partition.partition();
            ended.add(group.release(key -> partitionOf(key) == number, "partition " + state.partition + " " + why));
        }
        try {
            CompletableFuture.allOf(ended.toArray(CompletableFuture<?>[]::new))
                    .get(options.revocationTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // Records still in hand stay uncommitted: the next owner handles them again.
        }
        if (producer != null) {
            producer.flush(); // store and dead-letter writes of handled records: acknowledged, so done
        }
        if (commit) {
            commitSync(states);
        }
        List<Integer> numbers = new ArrayList<>();
        for (PartitionState state : states) {
            int number = state.partition.partition();
            numbers.add(number);
            partitions.remove(number, state);
            meters.revoked(state);
            if (stores != null) {
                stores.drop(number);
            }
        }
        tracking.values().removeIf(tracked -> states.contains(tracked.state));
        retries.keySet().removeIf(key -> numbers.contains(partitionOf(key)));
        keyInfo.values().removeIf(info -> numbers.contains(info.partition));
        numbers.sort(null);
        emit(new KafkaEvent.PartitionsRevoked(clock.now(), name, topic, member, List.copyOf(numbers), !commit));
    }

    private void commitSync(Collection<PartitionState> states) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (PartitionState state : states) {
            long offset = state.committable();
            if (offset >= 0) {
                offsets.put(state.partition, new OffsetAndMetadata(offset));
            }
        }
        if (offsets.isEmpty()) {
            return;
        }
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                consumer.commitSync(offsets, CLOSE_TIMEOUT);
                return;
            } catch (WakeupException e) {
                // A stop's wakeup landed here instead of in poll: the commit still has to happen.
            } catch (RuntimeException e) {
                // The group moved on (the member was dropped): the next owner reads from the last
                // commit, so nothing is lost, some records are handled again.
                return;
            }
        }
    }

    // -------------------------------------------------------------------------------------------
    // Stop

    private void fail(Throwable error) {
        if (failure.compareAndSet(null, error)) {
            stopping = true;
            consumer.wakeup();
        }
    }

    private void shutdown(Throwable error) {
        stopping = true;
        Throwable cause = failure.get() != null ? failure.get() : error;
        try {
            letGo(
                    List.copyOf(partitions.values()).stream()
                            .map(state -> state.partition)
                            .toList(),
                    "let go: member " + member + " is stopping",
                    true);
        } catch (RuntimeException e) {
            cause = cause != null ? cause : e;
        }
        try {
            consumer.close(CLOSE_TIMEOUT);
        } catch (RuntimeException e) {
            // Leaving the group failed: the coordinator drops the member after its session timeout.
        }
        try {
            group.stop().get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // The group reports what it could not stop through its events.
        }
        if (stores != null) {
            stores.close();
        }
        if (producer != null) {
            producer.close(CLOSE_TIMEOUT);
        }
        meters.close();
        emit(new KafkaEvent.MemberStopped(clock.now(), name, topic, member, cause));
        if (cause == null) {
            termination.complete(null);
        } else {
            termination.completeExceptionally(
                    cause instanceof KafkaFeedException
                            ? cause
                            : new KafkaFeedException("member " + member + " of group '" + name + "' failed", cause));
        }
        stopped.complete(null);
    }

    private void emit(KafkaEvent event) {
        if (events != null) {
            try {
                events.emit(event);
            } catch (RuntimeException e) {
                // A sink that throws never breaks the member.
            }
        }
    }

    private static String where(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    // -------------------------------------------------------------------------------------------
    // Configuration

    private static Map<String, Object> consumerConfig(KafkaOptions<?, ?> options) {
        Map<String, Object> config = new LinkedHashMap<>(options.consumerConfig());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        config.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.putIfAbsent(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, options.memberName());
        Object protocol = config.get(ConsumerConfig.GROUP_PROTOCOL_CONFIG);
        if (protocol == null || !"consumer".equalsIgnoreCase(protocol.toString())) {
            config.putIfAbsent(
                    ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        }
        return config;
    }

    private static Map<String, Object> restoreConfig(KafkaOptions<?, ?> options) {
        Map<String, Object> config = consumerConfig(options);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        config.remove(ConsumerConfig.GROUP_PROTOCOL_CONFIG);
        config.remove(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, options.memberName() + "-restore");
        return config;
    }

    private static Map<String, Object> producerConfig(KafkaOptions<?, ?> options) {
        Map<String, Object> config = new LinkedHashMap<>(options.producerConfig());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, options.memberName() + "-producer");
        return config;
    }

    /** The topics must exist; a changelog must be compacted and have enough partitions. */
    private static void checkTopics(KafkaOptions<?, ?> options, Changelog<?> changelog) {
        Map<String, Object> config = new LinkedHashMap<>(options.producerConfig());
        config.putIfAbsent("default.api.timeout.ms", (int) CHECK_TIMEOUT.toMillis());
        config.putIfAbsent("request.timeout.ms", (int) CHECK_TIMEOUT.toMillis() / 2);
        Object servers = options.consumerConfig().get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG);
        try (Admin admin = Admin.create(config)) {
            int inputPartitions = partitionsOf(admin, options.topic(), "input topic", servers);
            if (options.deadLetterTopic().isPresent()) {
                partitionsOf(admin, options.deadLetterTopic().get(), "dead-letter topic", servers);
            }
            if (changelog != null) {
                int changelogPartitions = partitionsOf(admin, changelog.topic(), "changelog topic", servers);
                if (changelogPartitions < inputPartitions) {
                    throw new KafkaFeedException("changelog topic '" + changelog.topic() + "' has "
                            + changelogPartitions + " partitions, fewer than the " + inputPartitions
                            + " of input topic '" + options.topic() + "': a key's store lives in the partition "
                            + "of its records");
                }
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, changelog.topic());
                Config topicConfig = await(
                        admin.describeConfigs(List.of(resource)).values().get(resource),
                        "the configuration of changelog topic '" + changelog.topic() + "'",
                        servers);
                var policy = topicConfig.get(TopicConfig.CLEANUP_POLICY_CONFIG);
                if (policy == null || !policy.value().contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
                    throw new KafkaFeedException("changelog topic '" + changelog.topic() + "' must be compacted "
                            + "(cleanup.policy=compact), was " + (policy == null ? "unset" : policy.value())
                            + ": otherwise a key's store is deleted with old segments");
                }
            }
        }
    }

    private static int partitionsOf(Admin admin, String topic, String what, Object servers) {
        KafkaFuture<TopicDescription> description =
                admin.describeTopics(List.of(topic)).topicNameValues().get(topic);
        return await(description, "the " + what + " '" + topic + "'", servers)
                .partitions()
                .size();
    }

    private static <T> T await(KafkaFuture<T> future, String what, Object servers) {
        try {
            return future.get(CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new KafkaFeedException(
                        capitalised(what) + " does not exist (bootstrap.servers=" + servers + "); create it first",
                        e.getCause());
            }
            throw new KafkaFeedException("cannot read " + what + " (bootstrap.servers=" + servers + ")", e.getCause());
        } catch (TimeoutException e) {
            throw new KafkaFeedException(
                    "cannot read " + what + " within " + CHECK_TIMEOUT
                            + ": is the cluster reachable at bootstrap.servers=" + servers + "?",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaFeedException("interrupted while reading " + what, e);
        }
    }

    private static String capitalised(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}

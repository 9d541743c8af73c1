package dev.phyxius.kafka;

import dev.phyxius.clock.Clock;
import dev.phyxius.clock.EventSink;
import dev.phyxius.supervisor.KeyedOptions;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * How a member of a feed reads its topic and runs its keys: the consumer's configuration, how keys
 * and values deserialise, the keyed group's options, and the optional dead-letter topic, tracing
 * and meters. Immutable: every {@code with} returns new options; each argument is checked when
 * given, so options that exist are valid (the topics are checked against the cluster at
 * {@link KafkaKeyedProcesses#start}).
 *
 * <p>The consumer's configuration must name {@code bootstrap.servers} and {@code group.id}. The
 * feed sets {@code enable.auto.commit=false} (it commits itself) and reads keys and values as bytes
 * (so that a record that does not deserialise is dead-lettered, not lost); unless given, it also
 * sets {@code auto.offset.reset=earliest}, {@code allow.auto.create.topics=false} and, for the
 * classic group protocol, the cooperative sticky assignor (a rebalance then moves only the
 * partitions that change owner).
 *
 * @param <K> the record key type: the key of the process that handles the record
 * @param <V> the record value type
 * @since 0.1
 */
public final class KafkaOptions<K, V> {

    /** How long a poll waits for records when there is nothing else to do. */
    public static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofMillis(100);
    /** How often handled offsets are committed while records flow. */
    public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofMillis(500);
    /** How long a revocation waits for the processes of a revoked partition to end. */
    public static final Duration DEFAULT_REVOCATION_TIMEOUT = Duration.ofSeconds(30);

    private final String topic;
    private final Map<String, Object> consumerConfig;
    private final Deserializer<K> keys;
    private final Deserializer<V> values;
    private final KeyedOptions<? super K> keyed;
    private final Map<String, Object> producerConfig;
    private final String deadLetterTopic;
    private final Duration pollTimeout;
    private final Duration commitInterval;
    private final Duration revocationTimeout;
    private final EventSink events;
    private final OpenTelemetry openTelemetry;
    private final MeterRegistry meterRegistry;
    private final String memberName;

    private KafkaOptions(
            String topic,
            Map<String, Object> consumerConfig,
            Deserializer<K> keys,
            Deserializer<V> values,
            KeyedOptions<? super K> keyed,
            Map<String, Object> producerConfig,
            String deadLetterTopic,
            Duration pollTimeout,
            Duration commitInterval,
            Duration revocationTimeout,
            EventSink events,
            OpenTelemetry openTelemetry,
            MeterRegistry meterRegistry,
            String memberName) {
        this.topic = topic;
        this.consumerConfig = consumerConfig;
        this.keys = keys;
        this.values = values;
        this.keyed = keyed;
        this.producerConfig = producerConfig;
        this.deadLetterTopic = deadLetterTopic;
        this.pollTimeout = pollTimeout;
        this.commitInterval = commitInterval;
        this.revocationTimeout = revocationTimeout;
        this.events = events;
        this.openTelemetry = openTelemetry;
        this.meterRegistry = meterRegistry;
        this.memberName = memberName;
    }

    /**
     * Options to read {@code topic} with {@code consumerConfig}, keys and values deserialised by
     * the given deserializers; the keyed group runs on the system clock with
     * {@link KeyedOptions#of}'s defaults.
     *
     * @param topic          the input topic
     * @param consumerConfig the consumer's configuration ({@link ConsumerConfig} names); copied
     * @param keys           deserialises a record's key into its process's key; it must not
     *                       return {@code null} for a record the feed should handle
     * @param values         deserialises a record's value
     * @param <K>            the key type
     * @param <V>            the value type
     * @return the options
     * @throws NullPointerException     if an argument is {@code null}
     * @throws IllegalArgumentException if {@code topic} is blank, {@code consumerConfig} lacks
     *     {@code bootstrap.servers} or {@code group.id}, turns on {@code enable.auto.commit}, or
     *     names a key or value deserializer (they are given here)
     */
    public static <K, V> KafkaOptions<K, V> of(
            String topic, Map<String, ?> consumerConfig, Deserializer<K> keys, Deserializer<V> values) {
        Objects.requireNonNull(consumerConfig, "consumerConfig");
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(values, "values");
        Map<String, Object> config = new LinkedHashMap<>(consumerConfig);
        requireSet(config, ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "the brokers to connect to");
        requireSet(
                config,
                ConsumerConfig.GROUP_ID_CONFIG,
                "the consumer group whose members share the topic's partitions");
        Object autoCommit = config.get(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG);
        if (autoCommit != null && Boolean.parseBoolean(autoCommit.toString())) {
            throw new IllegalArgumentException("consumerConfig must not set enable.auto.commit=true: the feed commits "
                    + "an offset only once every record before it was handled (at least once)");
        }
        for (String deserializer : new String[] {
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG
        }) {
            if (config.containsKey(deserializer)) {
                throw new IllegalArgumentException("consumerConfig must not set " + deserializer
                        + ": keys and values are deserialised by the deserializers given to KafkaOptions.of");
            }
        }
        return new KafkaOptions<>(
                requireTopic(topic, "topic"),
                Map.copyOf(config),
                keys,
                values,
                KeyedOptions.of(Clock.system()),
                null,
                null,
                DEFAULT_POLL_TIMEOUT,
                DEFAULT_COMMIT_INTERVAL,
                DEFAULT_REVOCATION_TIMEOUT,
                null,
                null,
                null,
                memberNameOf(config));
    }

    /**
     * These options with other options for the keyed group: its clock, idle timeout, bound on live
     * keys, supervision strategy (whose restarts a poison record uses up before it is
     * dead-lettered), shutdown timeout and event sink. The feed sets the group's ownership (a key
     * is owned here while its partition is) and a zero quarantine; options with an ownership of
     * their own are refused.
     *
     * @param keyed the keyed group's options
     * @return new options
     * @throws NullPointerException     if {@code keyed} is {@code null}
     * @throws IllegalArgumentException if {@code keyed} has an ownership
     */
    public KafkaOptions<K, V> withKeyedOptions(KeyedOptions<? super K> keyed) {
        Objects.requireNonNull(keyed, "keyed");
        if (keyed.ownership().isPresent()) {
            throw new IllegalArgumentException(
                    "keyed must not have an ownership: the feed owns a key while this " + "member owns its partition");
        }
        return new KafkaOptions<>(
                topic,
                consumerConfig,
                keys,
                values,
                keyed,
                producerConfig,
                deadLetterTopic,
                pollTimeout,
                commitInterval,
                revocationTimeout,
                events,
                openTelemetry,
                meterRegistry,
                memberName);
    }

    /**
     * These options with a producer configuration for the dead-letter and changelog writes. By
     * default the producer uses the consumer's {@code bootstrap.servers} and its {@code security.},
     * {@code sasl.} and {@code ssl.} settings, {@code acks=all} and idempotence.
     *
     * @param producerConfig the producer's configuration; copied. Serializers are set by the feed.
     * @return new options
     * @throws NullPointerException     if {@code producerConfig} is {@code null}
     * @throws IllegalArgumentException if it lacks {@code bootstrap.servers}
     */
    public KafkaOptions<K, V> withProducerConfig(Map<String, ?> producerConfig) {
        Objects.requireNonNull(producerConfig, "producerConfig");
        Map<String, Object> config = new LinkedHashMap<>(producerConfig);
        if (!config.containsKey(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG)) {
            throw new IllegalArgumentException("producerConfig must set bootstrap.servers");
        }
        return new KafkaOptions<>(
                topic,
                consumerConfig,
                keys,
                values,
                keyed,
                Map.copyOf(config),
                deadLetterTopic,
                pollTimeout,
                commitInterval,
                revocationTimeout,
                events,
                openTelemetry,
                meterRegistry,
                memberName);
    }

    /**
     * These options with a dead-letter topic: a record whose handler still throws once the
     * supervisor's restarts for it are spent, whose key or value does not deserialise, or for whose
     * key no spec could be made, is written there with its key, value and headers and the
     * {@link DeadLetterHeaders}, and counts as handled once the write is acknowledged. Without one,
     * such a record stops the feed with a {@link KafkaFeedException} and is not committed.
     *
     * @param deadLetterTopic an existing topic
     * @return new options
     * @throws NullPointerException     if {@code deadLetterTopic} is {@code null}
     * @throws IllegalArgumentException if it is blank or the input topic itself
     */
    public KafkaOptions<K, V> withDeadLetterTopic(String deadLetterTopic) {
        String name = requireTopic(deadLetterTopic, "deadLetterTopic");
        if (name.equals(topic)) {
            throw new IllegalArgumentException("deadLetterTopic must not be the input topic '" + topic + "'");
        }
        return new KafkaOptions<>(
                topic,
                consumerConfig,
                keys,
                values,
                keyed,
                producerConfig,
                name,
                pollTimeout,
                commitInterval,
                revocationTimeout,
                events,
                openTelemetry,
                meterRegistry,
                memberName);
    }

    /**
     * These options with another poll timeout: how long a poll waits for records when no partition
     * is paused (a paused partition makes the loop poll briefly, to retry soon).
     *
     * @param pollTimeout positive
     * @return new options
     * @throws NullPointerException     if {@code pollTimeout} is {@code null}
     * @throws IllegalArgumentException if it is zero or negative
     */
    public KafkaOptions<K, V> withPollTimeout(Duration pollTimeout) {
        return new KafkaOptions<>(
                topic,
                consumerConfig,
                keys,
                values,
                keyed,
                producerConfig,
                deadLetterTopic,
                requirePositive(pollTimeout, "pollTimeout"),
                commitInterval,
                revocationTimeout,
                events,
                openTelemetry,
                meterRegistry,
                memberName);
    }

    /**
     * These options with another commit interval: how often the offsets of handled records are
     * committed (asynchronously) while records flow. A revocation and a stop commit at once.
     *
     * @param commitInterval positive
     * @return new options
     * @throws NullPointerException     if {@code commitInterval} is {@code null}
     * @throws IllegalArgumentException if it is zero or negative
     */
    public KafkaOptions<K, V> withCommitInterval(Duration commitInterval) {
        return new KafkaOptions<>(
                topic,
                consumerConfig,
                keys,
                values,
                keyed,
                producerConfig,
                deadLetterTopic,
                pollTimeout,
                requirePositive(commitInterval, "commitInterval"),
                revocationTimeout,
                events,
                openTelemetry,
                meterRegistry,
                memberName);
    }

    /**
     * These options with another revocation timeout: how long a revocation (or a stop) waits for
     * the processes of the partitions let go to finish the record in hand and end.
     *
     * @param revocationTimeout positive; keep it below the consumer's {@code max.poll.interval.ms}
     * @return new options
     * @throws NullPointerException     if {@code revocationTimeout} is {@code null}
     * @throws IllegalArgumentException if it is zero or negative
     */
    public KafkaOptions<K, V> withRevocationTimeout(Duration revocationTimeout) {
        return new KafkaOptions<>(
                topic,
                consumerConfig,
                keys,
                values,
                keyed,
                producerConfig,
                deadLetterTopic,
                pollTimeout,
                commitInterval,
                requirePositive(revocationTimeout, "revocationTimeout"),
                events,
                openTelemetry,
                meterRegistry,
                memberName);
    }

    /**
     * These options with a sink for the member's {@link KafkaEvent}s. The keyed group's own events
     * go to the sink of its {@link #withKeyedOptions options}.
     *
     * @param events the sink
     * @return new options
     * @throws NullPointerException if {@code events} is {@code null}
     */
    public KafkaOptions<K, V> withEvents(EventSink events) {
        return new KafkaOptions<>(
                topic,
                consumerConfig,
                keys,
                values,
                keyed,
                producerConfig,
                deadLetterTopic,
                pollTimeout,
                commitInterval,
                revocationTimeout,
                Objects.requireNonNull(events, "events"),
                openTelemetry,
                meterRegistry,
                memberName);
    }

    /**
     * These options with tracing: each record's handling is a {@code CONSUMER} span named
     * {@code process {topic}}, whose parent is the W3C trace context ({@code traceparent},
     * {@code tracestate}) in the record's headers, so a trace crosses replicas. The span is current
     * while the handler runs.
     *
     * @param openTelemetry where the tracer comes from
     * @return new options
     * @throws NullPointerException if {@code openTelemetry} is {@code null}
     */
    public KafkaOptions<K, V> withOpenTelemetry(OpenTelemetry openTelemetry) {
        return new KafkaOptions<>(
                topic,
                consumerConfig,
                keys,
                values,
                keyed,
                producerConfig,
                deadLetterTopic,
                pollTimeout,
                commitInterval,
                revocationTimeout,
                events,
                Objects.requireNonNull(openTelemetry, "openTelemetry"),
                meterRegistry,
                memberName);
    }

    /**
     * These options with meters: {@code phyxius.kafka.partition.lag} (gauge, per owned partition:
     * records in the partition not yet handled), {@code phyxius.kafka.processes.live} (gauge: live
     * key processes on this member) and {@code phyxius.kafka.records.dead.lettered} (counter). Tags
     * are {@code group}, {@code topic} and, for the lag, {@code partition}: never a record key.
     *
     * @param meterRegistry where the meters are registered
     * @return new options
     * @throws NullPointerException if {@code meterRegistry} is {@code null}
     */
    public KafkaOptions<K, V> withMeterRegistry(MeterRegistry meterRegistry) {
        return new KafkaOptions<>(
                topic,
                consumerConfig,
                keys,
                values,
                keyed,
                producerConfig,
                deadLetterTopic,
                pollTimeout,
                commitInterval,
                revocationTimeout,
                events,
                openTelemetry,
                Objects.requireNonNull(meterRegistry, "meterRegistry"),
                memberName);
    }

    /**
     * These options with a name for this member, for stop reasons and events. By default the
     * consumer's {@code group.instance.id} or {@code client.id}, else a name made at random.
     *
     * @param memberName not blank
     * @return new options
     * @throws NullPointerException     if {@code memberName} is {@code null}
     * @throws IllegalArgumentException if it is blank
     */
    public KafkaOptions<K, V> withMemberName(String memberName) {
        Objects.requireNonNull(memberName, "memberName");
        if (memberName.isBlank()) {
            throw new IllegalArgumentException("memberName must not be blank");
        }
        return new KafkaOptions<>(
                topic,
                consumerConfig,
                keys,
                values,
                keyed,
                producerConfig,
                deadLetterTopic,
                pollTimeout,
                commitInterval,
                revocationTimeout,
                events,
                openTelemetry,
                meterRegistry,
                memberName);
    }

    /**
     * The input topic.
     *
     * @return its name
     */
    public String topic() {
        return topic;
    }

    /**
     * The consumer's configuration as given.
     *
     * @return an immutable map
     */
    public Map<String, Object> consumerConfig() {
        return consumerConfig;
    }

    /**
     * The producer's configuration: the one given, or the one derived from the consumer's.
     *
     * @return an immutable map
     */
    public Map<String, Object> producerConfig() {
        if (producerConfig != null) {
            return producerConfig;
        }
        Map<String, Object> derived = new LinkedHashMap<>();
        consumerConfig.forEach((name, value) -> {
            if (name.equals(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG)
                    || name.startsWith("security.")
                    || name.startsWith("sasl.")
                    || name.startsWith("ssl.")) {
                derived.put(name, value);
            }
        });
        return Map.copyOf(derived);
    }

    /**
     * The key deserializer.
     *
     * @return it
     */
    public Deserializer<K> keys() {
        return keys;
    }

    /**
     * The value deserializer.
     *
     * @return it
     */
    public Deserializer<V> values() {
        return values;
    }

    /**
     * The keyed group's options.
     *
     * @return them
     */
    public KeyedOptions<? super K> keyedOptions() {
        return keyed;
    }

    /**
     * The dead-letter topic, if one was given.
     *
     * @return its name, or empty
     */
    public Optional<String> deadLetterTopic() {
        return Optional.ofNullable(deadLetterTopic);
    }

    /**
     * The poll timeout.
     *
     * @return it
     */
    public Duration pollTimeout() {
        return pollTimeout;
    }

    /**
     * The commit interval.
     *
     * @return it
     */
    public Duration commitInterval() {
        return commitInterval;
    }

    /**
     * The revocation timeout.
     *
     * @return it
     */
    public Duration revocationTimeout() {
        return revocationTimeout;
    }

    /**
     * The sink for {@link KafkaEvent}s, if one was given.
     *
     * @return it, or empty
     */
    public Optional<EventSink> events() {
        return Optional.ofNullable(events);
    }

    /**
     * The OpenTelemetry for tracing, if one was given.
     *
     * @return it, or empty
     */
    public Optional<OpenTelemetry> openTelemetry() {
        return Optional.ofNullable(openTelemetry);
    }

    /**
     * The registry for meters, if one was given.
     *
     * @return it, or empty
     */
    public Optional<MeterRegistry> meterRegistry() {
        return Optional.ofNullable(meterRegistry);
    }

    /**
     * This member's name.
     *
     * @return it
     */
    public String memberName() {
        return memberName;
    }

    @Override
    public String toString() {
        return "KafkaOptions[topic=" + topic + ", group.id=" + consumerConfig.get(ConsumerConfig.GROUP_ID_CONFIG)
                + ", member=" + memberName + ", deadLetterTopic=" + (deadLetterTopic == null ? "none" : deadLetterTopic)
                + ", tracing=" + (openTelemetry != null) + ", meters=" + (meterRegistry != null) + "]";
    }

    private static void requireSet(Map<String, Object> config, String name, String what) {
        Object value = config.get(name);
        if (value == null || value.toString().isBlank()) {
            throw new IllegalArgumentException("consumerConfig must set " + name + " (" + what + ")");
        }
    }

    private static String requireTopic(String topic, String name) {
        Objects.requireNonNull(topic, name);
        if (topic.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return topic;
    }

    private static Duration requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, was " + duration);
        }
        return duration;
    }

    private static String memberNameOf(Map<String, Object> config) {
        for (String name : new String[] {ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, ConsumerConfig.CLIENT_ID_CONFIG}) {
            Object value = config.get(name);
            if (value != null && !value.toString().isBlank()) {
                return value.toString();
            }
        }
        return "member-" + UUID.randomUUID().toString().substring(0, 8);
    }
}

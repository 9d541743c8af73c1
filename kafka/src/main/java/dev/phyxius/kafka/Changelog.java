package dev.phyxius.kafka;

import java.util.Objects;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Where the {@link KeyStore} of each key's process is kept: a compacted topic with at least as
 * many partitions as the input topic (a key's store lives in the partition of its records), and
 * how a value becomes bytes and back. Immutable.
 *
 * @param <T> the stored value's type
 * @since 0.1
 */
public final class Changelog<T> {

    private final String topic;
    private final Serializer<T> serializer;
    private final Deserializer<T> deserializer;

    private Changelog(String topic, Serializer<T> serializer, Deserializer<T> deserializer) {
        this.topic = topic;
        this.serializer = serializer;
        this.deserializer = deserializer;
    }

    /**
     * A changelog on {@code topic}; the feed checks at start that it exists, is compacted
     * ({@code cleanup.policy=compact}) and has enough partitions.
     *
     * @param topic        the changelog topic
     * @param serializer   turns a value into bytes
     * @param deserializer turns the bytes back
     * @param <T>          the value type
     * @return the changelog
     * @throws NullPointerException     if an argument is {@code null}
     * @throws IllegalArgumentException if {@code topic} is blank
     */
    public static <T> Changelog<T> of(String topic, Serializer<T> serializer, Deserializer<T> deserializer) {
        Objects.requireNonNull(topic, "topic");
        if (topic.isBlank()) {
            throw new IllegalArgumentException("topic must not be blank");
        }
        return new Changelog<>(
                topic,
                Objects.requireNonNull(serializer, "serializer"),
                Objects.requireNonNull(deserializer, "deserializer"));
    }

    /**
     * The changelog topic.
     *
     * @return its name
     */
    public String topic() {
        return topic;
    }

    /**
     * The value serializer.
     *
     * @return it
     */
    public Serializer<T> serializer() {
        return serializer;
    }

    /**
     * The value deserializer.
     *
     * @return it
     */
    public Deserializer<T> deserializer() {
        return deserializer;
    }

    @Override
    public String toString() {
        return "Changelog[" + topic + "]";
    }
}

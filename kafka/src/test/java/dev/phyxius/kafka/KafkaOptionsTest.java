package dev.phyxius.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.phyxius.clock.Clock;
import dev.phyxius.supervisor.KeyedOptions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class KafkaOptionsTest {

    private static final StringDeserializer STRINGS = new StringDeserializer();

    private static KafkaOptions<String, String> options(Map<String, ?> config) {
        return KafkaOptions.of("orders", config, STRINGS, STRINGS);
    }

    @Test
    void refusesAConsumerConfigWithoutAGroupId() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> options(Map.of("bootstrap.servers", "localhost:9092")));
        assertEquals(
                "consumerConfig must set group.id (the consumer group whose members share the topic's " + "partitions)",
                e.getMessage());
    }

    @Test
    void refusesAConsumerConfigWithoutBootstrapServers() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> options(Map.of("group.id", "g")));
        assertEquals("consumerConfig must set bootstrap.servers (the brokers to connect to)", e.getMessage());
    }

    @Test
    void refusesAutoCommitBecauseItWouldCommitUnhandledRecords() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> options(Map.of("bootstrap.servers", "b:1", "group.id", "g", "enable.auto.commit", "true")));
        assertEquals(
                "consumerConfig must not set enable.auto.commit=true: the feed commits an offset only once "
                        + "every record before it was handled (at least once)",
                e.getMessage());
    }

    @Test
    void refusesDeserializersInTheConsumerConfig() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> options(Map.of(
                        "bootstrap.servers", "b:1", "group.id", "g", "key.deserializer", StringDeserializer.class)));
        assertEquals(
                "consumerConfig must not set key.deserializer: keys and values are deserialised by the "
                        + "deserializers given to KafkaOptions.of",
                e.getMessage());
    }

    @Test
    void refusesABlankTopicAndNulls() {
        Map<String, String> config = Map.of("bootstrap.servers", "b:1", "group.id", "g");
        assertEquals(
                "topic must not be blank",
                assertThrows(IllegalArgumentException.class, () -> KafkaOptions.of(" ", config, STRINGS, STRINGS))
                        .getMessage());
        assertEquals(
                "keys",
                assertThrows(NullPointerException.class, () -> KafkaOptions.of("t", config, null, STRINGS))
                        .getMessage());
    }

    @Test
    void refusesTheInputTopicAsDeadLetterTopic() {
        KafkaOptions<String, String> options = options(Map.of("bootstrap.servers", "b:1", "group.id", "g"));
        assertEquals(
                "deadLetterTopic must not be the input topic 'orders'",
                assertThrows(IllegalArgumentException.class, () -> options.withDeadLetterTopic("orders"))
                        .getMessage());
    }

    @Test
    void refusesKeyedOptionsThatBringTheirOwnOwnership() {
        KafkaOptions<String, String> options = options(Map.of("bootstrap.servers", "b:1", "group.id", "g"));
        KeyedOptions<String> owned = KeyedOptions.of(Clock.system()).withOwnership((String key) -> true);
        assertEquals(
                "keyed must not have an ownership: the feed owns a key while this member owns its partition",
                assertThrows(IllegalArgumentException.class, () -> options.withKeyedOptions(owned))
                        .getMessage());
    }

    @Test
    void refusesNonPositiveDurations() {
        KafkaOptions<String, String> options = options(Map.of("bootstrap.servers", "b:1", "group.id", "g"));
        assertEquals(
                "pollTimeout must be positive, was PT0S",
                assertThrows(IllegalArgumentException.class, () -> options.withPollTimeout(Duration.ZERO))
                        .getMessage());
        assertEquals(
                "commitInterval must be positive, was PT-1S",
                assertThrows(IllegalArgumentException.class, () -> options.withCommitInterval(Duration.ofSeconds(-1)))
                        .getMessage());
    }

    @Test
    void derivesTheProducerConfigFromTheConsumersConnectionSettings() {
        KafkaOptions<String, String> options = options(
                Map.of("bootstrap.servers", "b:1", "group.id", "g", "security.protocol", "SSL", "max.poll.records", 5));
        assertEquals(Map.of("bootstrap.servers", "b:1", "security.protocol", "SSL"), options.producerConfig());
    }

    @Test
    void namesTheMemberAfterItsClientIdUnlessTold() {
        assertEquals(
                "replica-1",
                options(Map.of("bootstrap.servers", "b:1", "group.id", "g", "client.id", "replica-1"))
                        .memberName());
        assertEquals(
                "m",
                options(Map.of("bootstrap.servers", "b:1", "group.id", "g"))
                        .withMemberName("m")
                        .memberName());
    }
}

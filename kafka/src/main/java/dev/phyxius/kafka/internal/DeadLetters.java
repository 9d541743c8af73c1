package dev.phyxius.kafka.internal;

import dev.phyxius.kafka.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** Writes records the feed gives up on to the dead-letter topic, with their bytes as read. */
final class DeadLetters {

    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final String group;

    DeadLetters(Producer<byte[], byte[]> producer, String topic, String group) {
        this.producer = producer;
        this.topic = topic;
        this.group = group;
    }

    String topic() {
        return topic;
    }

    /** Sends {@code record}; the future completes once the write is acknowledged. */
    CompletableFuture<Void> send(
            ConsumerRecord<byte[], byte[]> record, String reason, Throwable error, String process, int attempts) {
        Headers headers = new RecordHeaders(record.headers().toArray());
        put(headers, DeadLetterHeaders.TOPIC, record.topic());
        put(headers, DeadLetterHeaders.PARTITION, Integer.toString(record.partition()));
        put(headers, DeadLetterHeaders.OFFSET, Long.toString(record.offset()));
        put(headers, DeadLetterHeaders.GROUP, group);
        if (process != null) {
            put(headers, DeadLetterHeaders.PROCESS, process);
        }
        put(headers, DeadLetterHeaders.REASON, reason);
        put(headers, DeadLetterHeaders.EXCEPTION_CLASS, error.getClass().getName());
        put(headers, DeadLetterHeaders.EXCEPTION_MESSAGE, error.getMessage() == null ? "" : error.getMessage());
        put(headers, DeadLetterHeaders.ATTEMPTS, Integer.toString(attempts));
        CompletableFuture<Void> written = new CompletableFuture<>();
        producer.send(
                new ProducerRecord<>(topic, null, record.timestamp(), record.key(), record.value(), headers),
                (metadata, failure) -> {
                    if (failure == null) {
                        written.complete(null);
                    } else {
                        written.completeExceptionally(failure);
                    }
                });
        return written;
    }

    private static void put(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}

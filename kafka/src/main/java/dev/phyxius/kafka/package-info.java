/**
 * Feeds a keyed process group from a Kafka topic: {@link dev.phyxius.kafka.KafkaKeyedProcesses}
 * and its {@link dev.phyxius.kafka.KafkaOptions}, the {@link dev.phyxius.kafka.KeyStore} that moves
 * with a key ({@link dev.phyxius.kafka.Changelog}), the {@link dev.phyxius.kafka.KafkaEvent}s of a
 * member and the {@link dev.phyxius.kafka.DeadLetterHeaders} of a dead-lettered record.
 */
package dev.phyxius.kafka;

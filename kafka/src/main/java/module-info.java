/**
 * Phyxius Kafka: feeds a keyed process group ({@code KeyedProcesses}) from a Kafka topic. A
 * record goes to the process of its key on the member that owns its partition, in order per key;
 * offsets are committed at least once, only up to the first record not yet handled; a rebalance
 * ends the processes of a revoked partition and commits what they handled before the partition is
 * let go; a full mailbox pauses its partition; an optional store per process is backed by a
 * compacted changelog topic and moves with the key; poison records go to a dead-letter topic.
 *
 * <p>OpenTelemetry and Micrometer are {@code requires static}: tracing and meters work wherever
 * their library is present and the options were given its object.
 */
module dev.phyxius.kafka {
    requires transitive dev.phyxius.supervisor;
    requires transitive kafka.clients;
    requires static io.opentelemetry.api;
    requires static io.opentelemetry.context;
    requires static micrometer.core;

    exports dev.phyxius.kafka;
}

package dev.phyxius.kafka.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * The member's meters in a Micrometer registry. Tags: {@code group}, {@code topic} and, on the lag,
 * {@code partition}; a partition count is bounded, a key count is not, so keys are never tags.
 */
final class MicrometerMeters implements FeedMeters {

    static final String LAG = "phyxius.kafka.partition.lag";
    static final String LIVE = "phyxius.kafka.processes.live";
    static final String DEAD_LETTERED = "phyxius.kafka.records.dead.lettered";

    private final MeterRegistry registry;
    private final String group;
    private final String topic;
    private final Meter live;
    private final Counter deadLettered;
    private final Map<PartitionState, Meter> lags = new ConcurrentHashMap<>();

    MicrometerMeters(Object registry, String group, String topic, IntSupplier liveProcesses) {
        this.registry = (MeterRegistry) registry;
        this.group = group;
        this.topic = topic;
        this.live = Gauge.builder(LIVE, liveProcesses, supplier -> supplier.getAsInt())
                .description("Key processes live on this member")
                .strongReference(true)
                .tags("group", group, "topic", topic)
                .register(this.registry);
        this.deadLettered = Counter.builder(DEAD_LETTERED)
                .description("Records written to the dead-letter topic")
                .tags("group", group, "topic", topic)
                .register(this.registry);
    }

    @Override
    public void assigned(PartitionState partition) {
        lags.put(
                partition,
                Gauge.builder(LAG, partition, PartitionState::lag)
                        .description("Records of the partition not yet handled (log end minus the committable offset)")
                        .strongReference(true)
                        .tags(
                                "group",
                                group,
                                "topic",
                                topic,
                                "partition",
                                Integer.toString(partition.partition.partition()))
                        .register(registry));
    }

    @Override
    public void revoked(PartitionState partition) {
        Meter lag = lags.remove(partition);
        if (lag != null) {
            registry.remove(lag);
        }
    }

    @Override
    public void deadLettered() {
        deadLettered.increment();
    }

    @Override
    public void close() {
        lags.values().forEach(registry::remove);
        lags.clear();
        registry.remove(live);
        registry.remove(deadLettered);
    }
}

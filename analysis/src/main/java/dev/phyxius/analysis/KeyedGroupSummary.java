package dev.phyxius.analysis;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a recording says about one keyed group ({@code KeyedProcesses}), from its
 * {@code dev.phyxius.Keyed*} events: how many keys came to life and how many lives ended, and why.
 *
 * @param group              the group's name
 * @param activations        {@code dev.phyxius.KeyedActivated} events: keys that came to life
 * @param activationFailures {@code dev.phyxius.KeyedActivationFailed} events
 * @param passivations       {@code dev.phyxius.KeyedPassivated} events by cause ({@code IDLE},
 *                           {@code EVICTED}, {@code REQUESTED}, {@code RELEASED}), sorted by cause
 * @param evictions          {@code dev.phyxius.KeyedEvicted} events: keys chosen to make room
 * @param giveUps            {@code dev.phyxius.KeyedGaveUp} events
 * @param drops              {@code dev.phyxius.KeyedMessageDropped} events by reason, sorted
 * @param rejections         {@code dev.phyxius.KeyedMessageRejected} events by reason, sorted
 * @since 0.1
 */
public record KeyedGroupSummary(
        String group,
        long activations,
        long activationFailures,
        Map<String, Long> passivations,
        long evictions,
        long giveUps,
        Map<String, Long> drops,
        Map<String, Long> rejections) {

    /**
     * Creates a summary; the maps are copied, sorted by key.
     *
     * @throws NullPointerException if an argument is {@code null}
     */
    public KeyedGroupSummary {
        Objects.requireNonNull(group, "group");
        passivations = sorted(passivations, "passivations");
        drops = sorted(drops, "drops");
        rejections = sorted(rejections, "rejections");
    }

    /**
     * How many lives ended passivated, whatever the cause.
     *
     * @return the sum of {@link #passivations()}
     */
    public long passivated() {
        return passivations.values().stream().mapToLong(Long::longValue).sum();
    }

    private static Map<String, Long> sorted(Map<String, Long> counts, String name) {
        return Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(counts, name)));
    }
}

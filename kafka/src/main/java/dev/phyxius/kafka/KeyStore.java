package dev.phyxius.kafka;

import java.util.Optional;

/**
 * The store of one key's process: one value that moves with the key. Every {@link #put} and
 * {@link #delete} is written to the feed's compacted {@link Changelog} topic (keyed by the record
 * key, in the partition of the key's records, as Kafka Streams does); the member that owns the
 * partition next reads the changelog back before its process for the key handles its first record.
 *
 * <p><b>At least once.</b> A record's offset is committed only after the changelog writes its
 * handler made are acknowledged, so the store a new owner restores includes the effect of every
 * committed record (and perhaps of a few after it, which the new owner then sees again).
 *
 * <p><b>Threads.</b> Use it from the key's process (its {@code init}, handler and {@code onStop}).
 * It survives the process's restarts and passivations on this member.
 *
 * @param <T> the value type
 * @since 0.1
 */
public interface KeyStore<T> {

    /**
     * The value last put, restored from the changelog if it was put on another member.
     *
     * @return the value, or empty if there is none (never put, or deleted)
     */
    Optional<T> get();

    /**
     * Replaces the value and writes it to the changelog.
     *
     * @param value the new value
     * @throws NullPointerException if {@code value} is {@code null}
     */
    void put(T value);

    /** Removes the value and writes a tombstone to the changelog. */
    void delete();
}

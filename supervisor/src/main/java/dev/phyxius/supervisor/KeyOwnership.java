package dev.phyxius.supervisor;

/**
 * Decides whether a keyed group may run a key's process here, in this group, now: the seam where
 * an owner elsewhere plugs in (a Kafka consumer group that assigns partitions to members, a
 * consistent-hash ring). Without one, a group owns every key.
 *
 * <p><b>When it is asked.</b> Only when a key is about to come to life: on its first message and
 * when a passivated key's next life would start; never for a key that is live, so it costs
 * nothing per message. To give keys away, change the answer first, then call
 * {@link KeyedProcesses#release} for them: every life that started before the change is ended
 * by that call, and none starts after it.
 *
 * <p><b>Thread-safety.</b> Called from any sending thread, concurrently. A change of answer must
 * be visible to every call that starts after the change returns (keep the state in a volatile
 * field or a concurrent collection): the group checks ownership after it has made a key's entry
 * visible, and {@code release} looks for entries after the change, so that one of the two always
 * sees the other. It must not block and should not throw; a call that throws counts as "not
 * owned".
 *
 * @param <K> the key type
 * @since 0.1
 */
@FunctionalInterface
public interface KeyOwnership<K> {

    /**
     * Whether {@code key} may be run here now.
     *
     * @param key the key, never {@code null}
     * @return {@code true} if this group owns it
     */
    boolean owns(K key);
}

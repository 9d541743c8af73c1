package dev.phyxius.kafka;

import dev.phyxius.clock.Event;
import dev.phyxius.clock.Timestamp;
import java.util.List;

/**
 * What a member of a feed ({@link KafkaKeyedProcesses}) does with its partitions, as structured
 * events: emitted to the sink of {@link KafkaOptions#withEvents}, on the member's poll thread
 * unless said otherwise. Every event names the group (the keyed group's name), the topic and the
 * member.
 *
 * @since 0.1
 */
public sealed interface KafkaEvent extends Event {

    /**
     * The keyed group's name.
     *
     * @return it
     */
    String group();

    /**
     * The input topic.
     *
     * @return it
     */
    String topic();

    /**
     * This member's name ({@link KafkaOptions#withMemberName}).
     *
     * @return it
     */
    String member();

    /**
     * Partitions were assigned to this member; their stores (if any) are restored, no process has
     * started yet (they start lazily, on their key's first record).
     *
     * @param at         when
     * @param group      the group
     * @param topic      the topic
     * @param member     the member
     * @param partitions the partitions newly assigned
     */
    record PartitionsAssigned(Timestamp at, String group, String topic, String member, List<Integer> partitions)
            implements KafkaEvent {}

    /**
     * Partitions were taken from this member: their processes finished the record in hand and ended
     * (their {@code onStop} saw why), and what they handled was committed, unless {@code lost}
     * (the member had already been dropped from the group, so it could not commit).
     *
     * @param at         when
     * @param group      the group
     * @param topic      the topic
     * @param member     the member
     * @param partitions the partitions let go
     * @param lost       whether the member lost them without a chance to commit
     */
    record PartitionsRevoked(
            Timestamp at, String group, String topic, String member, List<Integer> partitions, boolean lost)
            implements KafkaEvent {}

    /**
     * A partition's store was read back from the changelog.
     *
     * @param at        when it was done
     * @param group     the group
     * @param topic     the topic
     * @param member    the member
     * @param partition the partition
     * @param keys      how many keys have a value
     * @param records   how many changelog records were read
     */
    record StoreRestored(Timestamp at, String group, String topic, String member, int partition, int keys, long records)
            implements KafkaEvent {}

    /**
     * A key's mailbox was full, so its partition was paused: no more records are fetched from it
     * until the refused record is taken.
     *
     * @param at        when
     * @param group     the group
     * @param topic     the topic
     * @param member    the member
     * @param partition the partition
     * @param offset    the offset of the record that waits
     */
    record PartitionPaused(Timestamp at, String group, String topic, String member, int partition, long offset)
            implements KafkaEvent {}

    /**
     * A paused partition's waiting records were all taken; it is fetched from again.
     *
     * @param at        when
     * @param group     the group
     * @param topic     the topic
     * @param member    the member
     * @param partition the partition
     */
    record PartitionResumed(Timestamp at, String group, String topic, String member, int partition)
            implements KafkaEvent {}

    /**
     * A record was written to the dead-letter topic (and counts as handled for the commit once the
     * write is acknowledged). Emitted on the thread that gave up on it.
     *
     * @param at        when
     * @param group     the group
     * @param topic     the topic
     * @param member    the member
     * @param partition the record's partition
     * @param offset    its offset
     * @param reason    the {@link DeadLetterHeaders#REASON}
     * @param error     what was thrown
     */
    record RecordDeadLettered(
            Timestamp at,
            String group,
            String topic,
            String member,
            int partition,
            long offset,
            String reason,
            Throwable error)
            implements KafkaEvent {}

    /**
     * Records of a partition that had been handed to processes were dropped without being handled
     * (a key's process was given up on with records queued), so the member read the partition
     * again from its first record not yet handled. Records after it may be delivered twice.
     *
     * @param at        when
     * @param group     the group
     * @param topic     the topic
     * @param member    the member
     * @param partition the partition
     * @param offset    where reading starts again
     */
    record PartitionRewound(Timestamp at, String group, String topic, String member, int partition, long offset)
            implements KafkaEvent {}

    /**
     * The member stopped: its processes ended, what they handled was committed, its consumer left
     * the group. Its last event.
     *
     * @param at      when
     * @param group   the group
     * @param topic   the topic
     * @param member  the member
     * @param failure why it stopped on its own, or {@code null} after {@link KafkaKeyedProcesses#stop()}
     */
    record MemberStopped(Timestamp at, String group, String topic, String member, Throwable failure)
            implements KafkaEvent {}
}

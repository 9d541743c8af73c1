package dev.phyxius.kafka.internal;

import java.util.ArrayDeque;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * One owned partition: the records fetched and not yet handed to a process (poll thread only),
 * and the offsets handed over and not yet handled or dead-lettered (any thread), from which the
 * offset to commit follows.
 *
 * <p>The commit rule: everything below the first offset still in flight has been handled or
 * dead-lettered, so that offset (or, with none in flight, the one after the last handed over) is
 * what may be committed. A record handed over and then dropped unhandled stays in flight for good,
 * so the commit never passes it and the partition's next reader sees it again.
 */
final class PartitionState {

    final TopicPartition partition;

    /** Fetched, not yet handed over, in offset order. Poll thread only. */
    final ArrayDeque<ConsumerRecord<byte[], byte[]>> waiting = new ArrayDeque<>();
    /** Whether the consumer has this partition paused. Poll thread only. */
    boolean paused;
    /** The last offset committed (or -1). Poll thread only. */
    long committed = -1;
    /** The offset after the last record fetched (or -1): the consumer's position. Poll thread only. */
    long fetched = -1;
    /** Position plus lag read at the last poll: the log end offset (or -1). Poll thread writes. */
    volatile long logEnd = -1;

    /** Set when the partition is being let go: drops are then expected, not a reason to read again. */
    volatile boolean revoked;
    /** Set when a handed-over record was dropped unhandled: the poll loop reads the partition again. */
    volatile boolean rewind;

    /** Guarded by this. */
    private final TreeSet<Long> inFlight = new TreeSet<>();
    /** Guarded by this: the offset after the last record handed over, or -1 before the first. */
    private long next = -1;

    PartitionState(TopicPartition partition) {
        this.partition = partition;
    }

    /** A record is about to be handed over; returns the previous {@code next}, for {@link #undo}. */
    synchronized long handOver(long offset) {
        long previous = next;
        inFlight.add(offset);
        next = offset + 1;
        return previous;
    }

    /** The record handed over was refused after all. */
    synchronized void undo(long offset, long previousNext) {
        inFlight.remove(offset);
        next = previousNext;
    }

    /** The record at {@code offset} was handled or dead-lettered. */
    synchronized void done(long offset) {
        inFlight.remove(offset);
    }

    /** The offset that may be committed, or -1 if nothing was handed over yet. */
    synchronized long committable() {
        return inFlight.isEmpty() ? next : inFlight.first();
    }

    /** Forgets everything in flight: reading starts again at {@code from}. */
    synchronized void restartAt(long from) {
        inFlight.clear();
        next = from;
    }

    /** How many records of the partition are not yet handled: log end minus the committable offset. */
    long lag() {
        long end = logEnd;
        long from = committable();
        if (end < 0 || from < 0) {
            return 0;
        }
        return Math.max(0, end - from);
    }

    @Override
    public String toString() {
        return partition + "[waiting=" + waiting.size() + ", committable=" + committable() + "]";
    }
}

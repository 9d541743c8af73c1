package dev.phyxius.process.internal;

import dev.phyxius.clock.Clock;
import dev.phyxius.clock.EventSink;
import dev.phyxius.process.ProcessInstrumentation;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The fields every send touches: the state word, the queue's tail, the cached capacity limit, and
 * the read-only settings a send needs. Kept on their own cache line(s), away from the fields the
 * drain writes for every message (see {@link PaddedProducerFields}), so that a sender and the drain
 * on another core do not steal the same line from each other on every message.
 */
abstract class ProducerFields {
    /** Flag: someone owns the consumer role (a drain runs, or the process is suspended). */
    static final long SCHEDULED = 1L;
    /** Flag: sends are refused; the produced count is final. */
    static final long CLOSED = 1L << 1;
    /** One accepted message: the produced count lives above the flags. */
    static final long ONE = 1L << 2;
    static final int COUNT_SHIFT = 2;

    static final VarHandle STATE;
    static final VarHandle TAIL;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(ProducerFields.class, "state", long.class);
            TAIL = lookup.findVarHandle(ProducerFields.class, "tail", Node.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Messages ever accepted (shifted by {@link #COUNT_SHIFT}) plus flags. Written by senders. */
    @SuppressWarnings("unused") // accessed through STATE
    volatile long state;
    @SuppressWarnings("unused") // accessed through TAIL
    volatile Node tail;
    /**
     * A produced count below which a send surely has room: a past {@code consumed + maxInbox}.
     * Racy on purpose: a stale (smaller) value only makes a sender read {@code consumed} again.
     */
    long producerLimit;

    final int maxInbox;
    final boolean dropOldest;
    final Clock clock;
    final EventSink sink;
    final ProcessInstrumentation instrumentation;

    ProducerFields(int maxInbox, boolean dropOldest, Clock clock, EventSink sink,
                   ProcessInstrumentation instrumentation, Node stub) {
        this.maxInbox = maxInbox;
        this.dropOldest = dropOldest;
        this.clock = clock;
        this.sink = sink;
        this.instrumentation = instrumentation;
        this.producerLimit = maxInbox;
        this.tail = stub;
    }
}

/** Padding between the senders' fields and the drain's: fields of a superclass are laid out first. */
abstract class PaddedProducerFields extends ProducerFields {
    @SuppressWarnings("unused")
    private long p01, p02, p03, p04, p05, p06, p07;

    PaddedProducerFields(int maxInbox, boolean dropOldest, Clock clock, EventSink sink,
                         ProcessInstrumentation instrumentation, Node stub) {
        super(maxInbox, dropOldest, clock, sink, instrumentation, stub);
    }
}

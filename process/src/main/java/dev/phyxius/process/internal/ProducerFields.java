package dev.phyxius.process.internal;

import dev.phyxius.clock.Clock;
import dev.phyxius.clock.EventSink;
import dev.phyxius.process.ProcessInstrumentation;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The fields every send touches: the state word, the queue's tail, the cached capacity limit, and
 * the read-only settings a send needs, laid out first in {@link ProcessCore}.
 *
 * <p>These used to be followed by 56 bytes of padding to keep them off the drain's cache line. It
 * did not do that: HotSpot fills gaps in a superclass's layout with subclass fields, so the drain's
 * per-message flags landed on the senders' line anyway, and the padding cost 56 of an idle
 * process's ~250 bytes. Measured without it, tell 1-to-1 did not get slower (benchmarks/README.md,
 * "What we tried").
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

package dev.phyxius.process.internal;

import dev.phyxius.clock.Clock;
import dev.phyxius.clock.EventSink;
import dev.phyxius.process.ProcessInstrumentation;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The first layer of a process (see {@link ProcessCore}): the fields every send touches, laid out
 * first in the object. The state word, the queue's tail, the cached capacity limit, and the
 * read-only settings a send needs.
 *
 * <p><b>The state word.</b> One {@code long}: the number of messages ever accepted, above two
 * flag bits, {@link #SCHEDULED} (someone owns the consumer role: a drain runs, or the process is
 * suspended waiting for its supervisor) and {@link #CLOSED} (sends are refused; the count is
 * final). Its accessors say their ordering in their names, as JCTools' do: {@code lv} a volatile
 * load, {@code la} an acquire load, {@code so} a release store, {@code cas}/{@code cae} a
 * compare-and-set/-exchange, {@code getAndOr}/{@code getAndAdd} full-fence read-modify-writes.
 *
 * <p>These fields used to be followed by 56 bytes of padding to keep them off the drain's cache
 * line. It did not do that: HotSpot fills gaps in a superclass's layout with subclass fields, so
 * the drain's per-message flags landed on the senders' line anyway, and the padding cost 56 of an
 * idle process's ~250 bytes. Measured without it, tell 1-to-1 did not get slower
 * (benchmarks/README.md, "What we tried").
 */
abstract class MailboxProducerFields {
    /** Flag: someone owns the consumer role (a drain runs, or the process is suspended). */
    static final long SCHEDULED = 1L;
    /** Flag: sends are refused; the produced count is final. */
    static final long CLOSED = 1L << 1;
    /** One accepted message: the produced count lives above the flags. */
    static final long ONE = 1L << 2;

    private static final int COUNT_SHIFT = 2;

    private static final VarHandle STATE;
    private static final VarHandle TAIL;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(MailboxProducerFields.class, "state", long.class);
            TAIL = lookup.findVarHandle(MailboxProducerFields.class, "tail", Node.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Messages ever accepted (shifted above the flags) plus flags. Written by senders. */
    @SuppressWarnings("unused") // accessed through STATE
    private volatile long state;

    @SuppressWarnings("unused") // accessed through TAIL
    private volatile Node tail;
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

    MailboxProducerFields(
            int maxInbox,
            boolean dropOldest,
            Clock clock,
            EventSink sink,
            ProcessInstrumentation instrumentation,
            Node stub) {
        this.maxInbox = maxInbox;
        this.dropOldest = dropOldest;
        this.clock = clock;
        this.sink = sink;
        this.instrumentation = instrumentation;
        this.producerLimit = maxInbox;
        this.tail = stub;
    }

    /** The produced count in a state word. */
    static long produced(long state) {
        return state >>> COUNT_SHIFT;
    }

    final long lvState() {
        return (long) STATE.getVolatile(this);
    }

    final long laState() {
        return (long) STATE.getAcquire(this);
    }

    /** Release: what was written before (the initial user state) is seen by who acquires the state. */
    final void soState(long value) {
        STATE.setRelease(this, value);
    }

    final boolean casState(long expected, long next) {
        return STATE.compareAndSet(this, expected, next);
    }

    /** Returns the witness value: {@code expected} on success. */
    final long caeState(long expected, long next) {
        return (long) STATE.compareAndExchange(this, expected, next);
    }

    final long getAndOrState(long bits) {
        return (long) STATE.getAndBitwiseOr(this, bits);
    }

    final long getAndAddState(long delta) {
        return (long) STATE.getAndAdd(this, delta);
    }

    /** Swaps the tail: orders this producer among all producers. */
    final Node xchgTail(Node node) {
        return (Node) TAIL.getAndSet(this, node);
    }
}

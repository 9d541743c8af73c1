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
    /**
     * Whether the instrumentation's per-message hooks run for messages outside the timed sample
     * too ({@link ProcessInstrumentation#hooksEveryMessage}); read once, at spawn.
     */
    final boolean hooksUntimed;
    /**
     * A send is timed when its random draw, unsigned, is below this: {@code 2^32 / timingSample};
     * zero times every send (the default).
     */
    private final int sampleBelow;
    /**
     * The xorshift state of the draws. Racy on purpose: senders that race may draw the same
     * number, which only makes the sample a little less random; a lock or a CAS here would cost
     * every send more than the timing it saves. Seeded from the process name, so that a
     * simulation's replay draws the same sample.
     */
    private int sampleSeed;

    MailboxProducerFields(
            int maxInbox,
            boolean dropOldest,
            Clock clock,
            EventSink sink,
            ProcessInstrumentation instrumentation,
            int timingSample,
            String name,
            Node stub) {
        this.maxInbox = maxInbox;
        this.dropOldest = dropOldest;
        this.clock = clock;
        this.sink = sink;
        this.instrumentation = instrumentation;
        this.hooksUntimed = instrumentation != null && CombinedInstrumentation.everyMessage(instrumentation);
        this.sampleBelow = timingSample <= 1 ? 0 : (int) ((1L << 32) / timingSample);
        this.sampleSeed = (name.hashCode() ^ 0x9E3779B9) | 1;
        this.producerLimit = maxInbox;
        this.tail = stub;
    }

    /** Whether this send is one of the timed sample; always true without a sample. */
    final boolean drawTimed() {
        int below = sampleBelow;
        if (below == 0) {
            return true;
        }
        int x = sampleSeed;
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        // A racing sender may have left zero behind (two draws interleaved); zero would stick.
        sampleSeed = x == 0 ? 1 : x;
        return Integer.compareUnsigned(x, below) < 0;
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

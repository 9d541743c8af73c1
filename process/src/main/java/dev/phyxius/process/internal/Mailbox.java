package dev.phyxius.process.internal;

import dev.phyxius.clock.Clock;
import dev.phyxius.clock.EventSink;
import dev.phyxius.process.ProcessInstrumentation;
import dev.phyxius.process.ProcessRef;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The second layer of a process (see {@link ProcessCore}): a bounded multi-producer,
 * single-consumer mailbox. Producers call {@link #tryOffer}; the one owner of the consumer role
 * calls {@link #poll}.
 *
 * <p><b>The queue.</b> An intrusive Vyukov MPSC linked queue: producers swap the tail and link the
 * previous node; the consumer follows {@code head.next}. A sender reserves its place (one CAS on
 * the state word that also claims the consumer role) before it links, so the consumer may briefly
 * see a count above what is linked; it spins for that short window. The mailbox is empty exactly
 * when the produced count equals {@code consumed}, so a consumer can only give up its role when
 * nothing is left, and no wake-up is ever lost.
 *
 * <p><b>DROP_OLDEST.</b> A sender must then evict, which the single-consumer queue cannot allow
 * concurrently, so that policy serializes sends and dequeues on this object's monitor.
 *
 * <p>NOTE: {@code consumed} is release-stored after each dequeue and acquire-loaded by a sender
 * near capacity, so the room a sender computes is never more than there is.
 */
abstract class Mailbox extends MailboxProducerFields {

    /** Outcomes of {@link #tryOffer}. */
    static final int ACCEPTED = 0;

    static final int FULL = 1;
    static final int NOT_ACCEPTING = 2;

    private static final VarHandle CONSUMED;

    static {
        try {
            CONSUMED = MethodHandles.lookup().findVarHandle(Mailbox.class, "consumed", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // Consumer side: written by the owner of the consumer role only.
    private Node head;
    /** Messages dequeued so far; release-stored so a sender that reads it sees a true lower bound. */
    @SuppressWarnings("unused") // also accessed through CONSUMED
    private long consumed;
    /**
     * The produced count the consumer last read, so it reads the senders' line at most once per
     * batch; below {@code consumed} once linked nodes were taken without reading it.
     */
    private long producedSnapshot;

    Mailbox(
            int maxInbox,
            boolean dropOldest,
            Clock clock,
            EventSink sink,
            ProcessInstrumentation instrumentation,
            int timingSample,
            String name,
            Node stub) {
        super(maxInbox, dropOldest, clock, sink, instrumentation, timingSample, name, stub);
        this.head = stub;
    }

    /** The ref an instrumentation sees as the target of a send. */
    abstract ProcessRef<?> self();

    /** A send has just claimed the consumer role: someone must drain. */
    abstract void wake();

    /** A send under DROP_OLDEST evicted {@code node} (outside the monitor): report it. */
    abstract void evicted(Node node);

    private long laConsumed() {
        return (long) CONSUMED.getAcquire(this);
    }

    /** Release: a plain store on x86, so telling senders about room costs the drain nothing. */
    private void soConsumed(long value) {
        CONSUMED.setRelease(this, value);
    }

    // ---------------------------------------------------------------------------------------
    // Producer side (any thread)

    /**
     * Offers a message, never blocking.
     *
     * @return {@link #ACCEPTED}, {@link #FULL} or {@link #NOT_ACCEPTING}
     */
    final int tryOffer(Object message, AskReply<?> reply, TimerEntry timer) {
        if (dropOldest) {
            return offerEvicting(message, reply, timer);
        }
        // The node is made (and an instrumentation's capture runs) before the place is reserved:
        // the drain spins on a reserved place until it is linked, so nothing slow may run between
        // the two; and capture then sees the send before it takes effect (a simulation's
        // scheduling point).
        Node node = newNode(message, reply, timer);
        long s = lvState();
        for (; ; ) {
            if ((s & CLOSED) != 0) {
                return NOT_ACCEPTING;
            }
            long produced = produced(s);
            if (produced >= producerLimit) {
                // Only near capacity does a sender read the drain's counter (JCTools' producer
                // limit): consumed only grows, so a fresh read gives the true room at that moment.
                long limit = laConsumed() + maxInbox;
                producerLimit = limit;
                if (produced >= limit) {
                    return FULL;
                }
            }
            // Reserve a place and claim the consumer role in one step.
            long witness = caeState(s, (s + ONE) | SCHEDULED);
            if (witness == s) {
                break;
            }
            s = witness;
        }
        link(node);
        if ((s & SCHEDULED) == 0) {
            wake();
        }
        return ACCEPTED;
    }

    /** DROP_OLDEST: sends and dequeues are serialized on the monitor so a sender may evict. */
    private int offerEvicting(Object message, AskReply<?> reply, TimerEntry timer) {
        Node node = newNode(message, reply, timer);
        Node evicted = null;
        boolean start = false;
        synchronized (this) {
            long s = lvState();
            if ((s & CLOSED) != 0) {
                return NOT_ACCEPTING;
            }
            if (produced(s) - consumed >= maxInbox) {
                // Under the monitor every reserved node is linked, so there is one to evict; it
                // counts as consumed, which keeps the count at the capacity.
                evicted = pollLinked();
                soConsumed(consumed + 1);
            }
            long previous = getAndAddState(ONE);
            if ((previous & SCHEDULED) == 0) {
                getAndOrState(SCHEDULED);
                start = true;
            }
            link(node);
        }
        if (evicted != null) {
            evicted(evicted);
        }
        if (start) {
            wake();
        }
        return ACCEPTED;
    }

    private Node newNode(Object message, AskReply<?> reply, TimerEntry timer) {
        ProcessInstrumentation instr = instrumentation;
        if (reply == null && timer == null && instr == null && sink == null) {
            return new Node(message);
        }
        // Only a timed send reads the clock; an untimed one with nothing to carry stays small.
        boolean timedSend = drawTimed();
        Object captured = null;
        if (instr != null && (timedSend || hooksUntimed)) {
            try {
                captured = instr.capture(self(), message);
            } catch (Throwable ignored) {
                // Instrumentation must never break a send; it is documented not to throw.
            }
        }
        if (!timedSend && reply == null && timer == null && captured == null) {
            return new Node(message);
        }
        long enqueued = timedSend ? clock.monoNanos() : RichNode.UNTIMED;
        return new RichNode(message, reply, timer, captured, enqueued);
    }

    private void link(Node node) {
        // The swap orders this producer among all producers; the release store of next
        // publishes the node's fields to the consumer, which reads next with acquire.
        xchgTail(node).setNextRelease(node);
    }

    /**
     * How many accepted messages wait, not counting one being handled: a sample. Two racy reads,
     * consumed first, so the difference is never below the true size at the moment produced was
     * read, and never negative.
     */
    final int queued() {
        long consumedSoFar = laConsumed();
        long produced = produced(lvState());
        return (int) Math.min(Integer.MAX_VALUE, Math.max(0L, produced - consumedSoFar));
    }

    // ---------------------------------------------------------------------------------------
    // Consumer side (the owner of the consumer role only)

    /**
     * Dequeues the next accepted message, or returns {@code null} if every accepted message has
     * been dequeued.
     */
    final Node poll() {
        if (dropOldest) {
            synchronized (this) {
                if (consumed == produced(lvState())) {
                    return null;
                }
                Node node = pollLinked();
                soConsumed(consumed + 1);
                return node;
            }
        }
        // A linked node is a reserved one: take it without reading the state word, the line every
        // sender writes. A drain that keeps up with its senders reads that line only when it
        // finds nothing linked, instead of on every message.
        Node current = head;
        Node next = current.nextAcquire();
        if (next == null) {
            if (consumed >= producedSnapshot) {
                producedSnapshot = produced(laState());
                if (consumed == producedSnapshot) {
                    return null;
                }
            }
            next = awaitLink(current);
        }
        head = next;
        soConsumed(consumed + 1);
        return next;
    }

    /** Whether a message waits behind the one just dequeued. */
    final boolean hasMore() {
        return consumed < producedSnapshot || linked() || produced(laState()) != consumed;
    }

    /**
     * Whether a message has been linked behind the last one dequeued: what an empty drain spins on.
     * It reads the last node's line, which a sender writes once, rather than the state word, which
     * every sender writes: a spinning drain must not slow down the sender it waits for.
     */
    final boolean linked() {
        return head.nextAcquire() != null;
    }

    /** Whether {@code state} shows every accepted message dequeued. */
    final boolean drained(long state) {
        return produced(state) == consumed;
    }

    private Node pollLinked() {
        Node current = head;
        Node next = current.nextAcquire();
        if (next == null) {
            next = awaitLink(current);
        }
        head = next;
        return next;
    }

    /** A sender has reserved a place behind {@code current} but not linked yet: wait for it. */
    private static Node awaitLink(Node current) {
        Node next = null;
        int spins = 0;
        while (next == null) {
            // A sender has reserved but not linked yet: it is between two instructions.
            if (++spins < 128) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
            next = current.nextAcquire();
        }
        return next;
    }
}

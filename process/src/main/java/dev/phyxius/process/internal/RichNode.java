package dev.phyxius.process.internal;

/**
 * A node that carries more than the message: an ask's reply, a timer's entry, an instrumentation
 * capture, or the enqueue time of a timed message. Plain sends without events or instrumentation use {@link Node}.
 */
final class RichNode extends Node {
    final AskReply<?> reply;
    final TimerEntry timer;
    final Object captured;
    /** The enqueue time of a message outside the timed sample: it is not timed. */
    static final long UNTIMED = Long.MIN_VALUE;

    final long enqueuedNanos;

    RichNode(Object message, AskReply<?> reply, TimerEntry timer, Object captured, long enqueuedNanos) {
        super(message);
        this.reply = reply;
        this.timer = timer;
        this.captured = captured;
        this.enqueuedNanos = enqueuedNanos;
    }
}

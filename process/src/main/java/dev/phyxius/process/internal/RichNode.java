package dev.phyxius.process.internal;

/**
 * A node that carries more than the message: an ask's reply, a timer's entry, an instrumentation
 * capture, or the enqueue time. Plain sends without events or instrumentation use {@link Node}.
 */
final class RichNode extends Node {
    final AskReply<?> reply;
    final TimerEntry timer;
    final Object captured;
    final long enqueuedNanos;

    RichNode(Object message, AskReply<?> reply, TimerEntry timer, Object captured, long enqueuedNanos) {
        super(message);
        this.reply = reply;
        this.timer = timer;
        this.captured = captured;
        this.enqueuedNanos = enqueuedNanos;
    }
}

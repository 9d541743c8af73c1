package dev.phyxius.process.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** A mailbox node: the plain message, linked by producers, followed by the single consumer. */
class Node {
    private static final VarHandle NEXT;

    static {
        try {
            NEXT = MethodHandles.lookup().findVarHandle(Node.class, "next", Node.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // accessed through NEXT
    private volatile Node next;

    private Object message;

    Node(Object message) {
        this.message = message;
    }

    /** Release: the consumer that acquires {@code next} sees every field of {@code node}. */
    final void setNextRelease(Node node) {
        NEXT.setRelease(this, node);
    }

    /** Acquire: pairs with {@link #setNextRelease}. */
    final Node nextAcquire() {
        return (Node) NEXT.getAcquire(this);
    }

    /** Takes the message out so the node, now the queue's stub, retains nothing. */
    final Object takeMessage() {
        Object m = message;
        message = null;
        return m;
    }
}

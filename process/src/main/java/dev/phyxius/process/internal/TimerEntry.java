package dev.phyxius.process.internal;

import dev.phyxius.clock.Cancellable;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;

/**
 * One self-message schedule. Its timer fires on the clock's thread and offers the message; the
 * drain delivers it only if the entry is still live, so a message from a cancelled or replaced
 * key is never handled even if it was already queued.
 */
final class TimerEntry implements Runnable, Cancellable {
    enum Kind {
        ONCE,
        FIXED_RATE,
        FIXED_DELAY
    }

    private static final int LIVE = 0;
    private static final int DONE = 1;
    private static final int CANCELLED = 2;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(TimerEntry.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ProcessTools<?> tools;
    final Object key;
    final Kind kind;
    final Duration period;
    final Object message;

    @SuppressWarnings("unused") // accessed through STATE
    private volatile int state;

    private volatile Cancellable handle;

    TimerEntry(ProcessTools<?> tools, Object key, Kind kind, Duration period, Object message) {
        this.tools = tools;
        this.key = key;
        this.kind = kind;
        this.period = period;
        this.message = message;
    }

    void arm(Cancellable scheduled) {
        handle = scheduled;
        if (state != LIVE) {
            scheduled.cancel();
        }
    }

    /** The clock fired: offer the message (a full mailbox rejects it, with an event). */
    @Override
    public void run() {
        if (state == LIVE) {
            tools.process.offer(message, null, this);
        }
    }

    /** On the drain thread, as the message is dequeued: may it be handled? */
    boolean deliver(RichNode node) {
        switch (kind) {
            case ONCE -> {
                if (!STATE.compareAndSet(this, LIVE, DONE)) {
                    return false;
                }
                tools.forget(this);
                return true;
            }
            case FIXED_RATE -> {
                return state == LIVE;
            }
            default -> {
                if (state != LIVE) {
                    return false;
                }
                // The next tick is sent one delay after this one is taken from the mailbox, so a
                // slow handler never lets ticks pile up.
                arm(tools.process.clock().schedule(period, this));
                return true;
            }
        }
    }

    @Override
    public boolean cancel() {
        if (!STATE.compareAndSet(this, LIVE, CANCELLED)) {
            return false;
        }
        Cancellable scheduled = handle;
        if (scheduled != null) {
            scheduled.cancel();
        }
        tools.forget(this);
        return true;
    }
}

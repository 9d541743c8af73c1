package dev.phyxius.simulation.internal;

import dev.phyxius.process.ProcessInstrumentation;
import dev.phyxius.process.ProcessRef;

/**
 * Makes the end of every handler a scheduling point. A drain handles queued messages in a loop
 * without blocking, so without this a process would handle its whole mailbox in one step and the
 * scheduler could only interleave whole batches; yielding after each handler lets it choose,
 * message by message, which process goes next, as concurrent carriers would.
 */
public final class HandlerBoundary implements ProcessInstrumentation {

    public static final HandlerBoundary INSTANCE = new HandlerBoundary();

    private HandlerBoundary() {}

    @Override
    public Object capture(ProcessRef<?> target, Object message) {
        // No scheduling point here: a send has reserved its place but not linked its node yet.
        return null;
    }

    @Override
    public Object beforeHandle(ProcessRef<?> process, Object message, Object captured, long queuedNanos) {
        return null;
    }

    @Override
    public void afterHandle(Object scope, Throwable error, long handlingNanos) {
        // On a simulated thread, a yield hands the continuation back to the scheduler.
        Thread.yield();
    }
}

package dev.phyxius.observability.internal;

import dev.phyxius.process.ProcessInstrumentation;
import dev.phyxius.process.ProcessRef;

/**
 * Two instrumentations as one: tracing and JFR both hook message handling. Each sees exactly what
 * it would see alone (its own capture, its own scope); the pair objects are allocated only when
 * both are configured, which is the price of running both.
 */
public final class CombinedInstrumentation implements ProcessInstrumentation {

    private final ProcessInstrumentation first;
    private final ProcessInstrumentation second;

    /**
     * Combines two instrumentations; {@code first} runs first before the handler and last after
     * it, so their scopes nest.
     *
     * @param first  the outer one
     * @param second the inner one
     */
    public CombinedInstrumentation(ProcessInstrumentation first, ProcessInstrumentation second) {
        this.first = first;
        this.second = second;
    }

    @Override
    public Object capture(ProcessRef<?> target, Object message) {
        Object a = first.capture(target, message);
        Object b = second.capture(target, message);
        return a == null && b == null ? null : new Pair(a, b);
    }

    @Override
    public Object beforeHandle(ProcessRef<?> process, Object message, Object captured, long queuedNanos) {
        Pair pair = captured instanceof Pair p ? p : Pair.EMPTY;
        Object a = first.beforeHandle(process, message, pair.first, queuedNanos);
        Object b;
        try {
            b = second.beforeHandle(process, message, pair.second, queuedNanos);
        } catch (RuntimeException | Error e) {
            // The first scope is open (a trace context may be current): it must still be closed.
            b = null;
        }
        return a == null && b == null ? null : new Pair(a, b);
    }

    @Override
    public void afterHandle(Object scope, Throwable error, long handlingNanos) {
        if (!(scope instanceof Pair pair)) {
            return;
        }
        try {
            if (pair.second != null) {
                second.afterHandle(pair.second, error, handlingNanos);
            }
        } finally {
            if (pair.first != null) {
                first.afterHandle(pair.first, error, handlingNanos);
            }
        }
    }

    private record Pair(Object first, Object second) {
        static final Pair EMPTY = new Pair(null, null);
    }
}

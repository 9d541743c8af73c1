package dev.phyxius.process.internal;

import dev.phyxius.process.ProcessInstrumentation;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.StopReason;
import java.util.concurrent.CompletableFuture;

/**
 * What {@link ProcessInstrumentation#combine} returns. Both hooks are contained separately: the
 * process contains a throwing instrumentation as a whole, which would otherwise let one part's
 * failure skip the other part (an open trace scope that is never closed, a yield never made).
 */
public final class CombinedInstrumentation implements ProcessInstrumentation {

    private final ProcessInstrumentation outer;
    private final ProcessInstrumentation inner;

    /**
     * Combines two instrumentations.
     *
     * @param outer runs first before the handler and last after it
     * @param inner runs last before the handler and first after it
     */
    public CombinedInstrumentation(ProcessInstrumentation outer, ProcessInstrumentation inner) {
        this.outer = outer;
        this.inner = inner;
    }

    // Each call is contained on its own (documented not to throw): one part's failure must not
    // keep the other from running.

    @Override
    public Object capture(ProcessRef<?> target, Object message) {
        Object a = null;
        Object b = null;
        try {
            a = outer.capture(target, message);
        } catch (Throwable ignored) {
            // see above
        }
        try {
            b = inner.capture(target, message);
        } catch (Throwable ignored) {
            // see above
        }
        return a == null && b == null ? null : new Pair(a, b);
    }

    @Override
    public Object beforeHandle(ProcessRef<?> process, Object message, Object captured, long queuedNanos) {
        Pair pair = captured instanceof Pair p ? p : Pair.EMPTY;
        Object a = null;
        Object b = null;
        try {
            a = outer.beforeHandle(process, message, pair.first, queuedNanos);
        } catch (Throwable ignored) {
            // see above
        }
        try {
            b = inner.beforeHandle(process, message, pair.second, queuedNanos);
        } catch (Throwable ignored) {
            // see above
        }
        return a == null && b == null ? Pair.EMPTY : new Pair(a, b);
    }

    @Override
    public void afterHandle(Object scope, Throwable error, long handlingNanos) {
        Pair pair = scope instanceof Pair p ? p : Pair.EMPTY;
        try {
            inner.afterHandle(pair.second, error, handlingNanos);
        } catch (Throwable ignored) {
            // see above: the outer hook must still close its scope
        }
        outer.afterHandle(pair.first, error, handlingNanos);
    }

    @Override
    public void attached(ProcessRef<?> process) {
        try {
            outer.attached(process);
        } catch (Throwable ignored) {
            // see above
        }
        inner.attached(process);
    }

    @Override
    public void detached(ProcessRef<?> process, StopReason reason) {
        try {
            inner.detached(process, reason);
        } catch (Throwable ignored) {
            // see above
        }
        outer.detached(process, reason);
    }

    @Override
    public int timingSample() {
        return Math.min(sample(outer), sample(inner));
    }

    @Override
    public boolean hooksEveryMessage() {
        return everyMessage(outer) || everyMessage(inner);
    }

    /** A broken hook's answer must not break a spawn: it is called for every message then. */
    static boolean everyMessage(ProcessInstrumentation instrumentation) {
        try {
            return instrumentation.hooksEveryMessage();
        } catch (RuntimeException e) {
            return true;
        }
    }

    /** A broken hook's answer must not break a spawn: it times every message then. */
    static int sample(ProcessInstrumentation instrumentation) {
        try {
            return Math.max(1, instrumentation.timingSample());
        } catch (RuntimeException e) {
            return 1;
        }
    }

    @Override
    public void stopping(ProcessRef<?> process, StopReason reason) {
        try {
            outer.stopping(process, reason);
        } catch (Throwable ignored) {
            // see above
        }
        inner.stopping(process, reason);
    }

    @Override
    public void awaitable(ProcessRef<?> process, CompletableFuture<?> future) {
        try {
            outer.awaitable(process, future);
        } catch (Throwable ignored) {
            // see above
        }
        inner.awaitable(process, future);
    }

    @Override
    public String toString() {
        return "ProcessInstrumentation.combine(" + outer + ", " + inner + ")";
    }

    /** The two parts' values; a record so that tests and debuggers can read it. */
    private record Pair(Object first, Object second) {
        static final Pair EMPTY = new Pair(null, null);
    }
}

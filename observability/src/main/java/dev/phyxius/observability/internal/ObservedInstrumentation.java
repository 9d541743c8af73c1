package dev.phyxius.observability.internal;

import dev.phyxius.process.ProcessInstrumentation;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.StopReason;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The one instrumentation of an observability: the per-message hooks of the backends that need
 * them (tracing, JFR), and the lifecycle calls for the backends that only want to know which
 * processes live (metrics). Unlike {@link ProcessInstrumentation#combine}, a lifecycle-only
 * backend costs nothing per message: no pair is allocated for it and no hook is called.
 */
public final class ObservedInstrumentation implements ProcessInstrumentation {

    private final ProcessInstrumentation messages;
    private final ProcessInstrumentation[] lifecycle;
    private final int timingSample;

    /**
     * Combines the backends.
     *
     * @param messages  the per-message hooks (and their own lifecycle calls), or {@code null}
     * @param lifecycle backends that get only {@code attached}/{@code detached}
     * @param timingSample the timing sample to ask processes for, or 0 for the smallest the
     *                     backends ask for
     */
    public ObservedInstrumentation(
            ProcessInstrumentation messages, List<ProcessInstrumentation> lifecycle, int timingSample) {
        this.messages = messages;
        this.lifecycle = lifecycle.toArray(ProcessInstrumentation[]::new);
        int sample = timingSample;
        if (sample == 0) {
            sample = Integer.MAX_VALUE;
            if (messages != null) {
                sample = Math.min(sample, messages.timingSample());
            }
            for (ProcessInstrumentation backend : this.lifecycle) {
                sample = Math.min(sample, backend.timingSample());
            }
            sample = sample == Integer.MAX_VALUE ? 1 : sample;
        }
        this.timingSample = Math.max(1, sample);
    }

    @Override
    public int timingSample() {
        return timingSample;
    }

    /**
     * Every message only if the per-message backend wants it (tracing): metrics and JFR alone need
     * the timed sample only, so the other messages cost no call at all.
     */
    @Override
    public boolean hooksEveryMessage() {
        if (messages == null) {
            return false;
        }
        try {
            return messages.hooksEveryMessage();
        } catch (RuntimeException e) {
            return true; // a broken answer must not cost a trace its context
        }
    }

    @Override
    public Object capture(ProcessRef<?> target, Object message) {
        return messages == null ? null : messages.capture(target, message);
    }

    @Override
    public Object beforeHandle(ProcessRef<?> process, Object message, Object captured, long queuedNanos) {
        return messages == null ? null : messages.beforeHandle(process, message, captured, queuedNanos);
    }

    @Override
    public void afterHandle(Object scope, Throwable error, long handlingNanos) {
        if (messages != null) {
            messages.afterHandle(scope, error, handlingNanos);
        }
    }

    @Override
    public void stopping(ProcessRef<?> process, StopReason reason) {
        if (messages != null) {
            messages.stopping(process, reason);
        }
    }

    @Override
    public void awaitable(ProcessRef<?> process, CompletableFuture<?> future) {
        if (messages != null) {
            messages.awaitable(process, future);
        }
    }

    // Each backend's lifecycle call is contained on its own: one that throws must not keep the
    // others from knowing the process (the process contains only the whole call).

    @Override
    public void attached(ProcessRef<?> process) {
        if (messages != null) {
            try {
                messages.attached(process);
            } catch (RuntimeException ignored) {
                // see above
            }
        }
        for (ProcessInstrumentation backend : lifecycle) {
            try {
                backend.attached(process);
            } catch (RuntimeException ignored) {
                // see above
            }
        }
    }

    @Override
    public void detached(ProcessRef<?> process, StopReason reason) {
        for (ProcessInstrumentation backend : lifecycle) {
            try {
                backend.detached(process, reason);
            } catch (RuntimeException ignored) {
                // see above
            }
        }
        if (messages != null) {
            try {
                messages.detached(process, reason);
            } catch (RuntimeException ignored) {
                // see above
            }
        }
    }

    @Override
    public String toString() {
        return "ObservedInstrumentation[messages=" + messages + ", lifecycle=" + List.of(lifecycle) + ", timingSample="
                + timingSample + "]";
    }
}

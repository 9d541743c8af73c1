package dev.phyxius.observability.internal;

import dev.phyxius.process.ProcessInstrumentation;
import dev.phyxius.process.ProcessRef;

/** Instrumentation that does nothing, for an observability without tracing or JFR. */
public enum NoInstrumentation implements ProcessInstrumentation {
    /** The one instance. */
    INSTANCE;

    @Override
    public boolean hooksEveryMessage() {
        return false;
    }

    @Override
    public Object capture(ProcessRef<?> target, Object message) {
        return null;
    }

    @Override
    public Object beforeHandle(ProcessRef<?> process, Object message, Object captured, long queuedNanos) {
        return null;
    }

    @Override
    public void afterHandle(Object scope, Throwable error, long handlingNanos) {
        // nothing to end
    }
}

package dev.phyxius.process.spi;

import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.internal.ProcessCore;
import java.util.Objects;

/**
 * Read-only views of a process's execution state, for test kits and schedulers that must know
 * when a system has come to rest.
 *
 * @since 0.1
 */
public final class ProcessInspection {

    private ProcessInspection() {}

    /**
     * Whether the process is at rest: no message waits in its mailbox, no handler, {@code init} or
     * {@code onStop} runs, and no lifecycle request is pending. A suspended process is at rest
     * once its supervisor's {@link SupervisionHook#ended} has returned, and a process that ended
     * once its supervisor's {@link SupervisionHook#terminated} has (at once without one), so that
     * a decision in flight (a restart, a backoff timer, forgetting the child) is never mistaken
     * for rest. The answer may be stale as soon as it is returned if other threads send; it is
     * exact when nothing else is sending.
     *
     * @param ref a ref from Phyxius
     * @return {@code true} if at rest
     * @throws IllegalArgumentException if {@code ref} was not made by Phyxius
     */
    public static boolean idle(ProcessRef<?> ref) {
        Objects.requireNonNull(ref, "ref");
        if (!(ref instanceof ProcessCore<?, ?, ?> core)) {
            throw new IllegalArgumentException(
                    "ref must come from Processes.spawn, was " + ref.getClass().getName());
        }
        return core.idle();
    }
}

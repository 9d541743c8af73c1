package dev.phyxius.process.spi;

import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.SpawnException;
import dev.phyxius.process.SpawnOptions;
import dev.phyxius.process.internal.ProcessCore;
import java.util.Objects;

/**
 * The entry points a supervisor uses: spawn a process that is supervised from its first message,
 * or take over a process spawned without supervision.
 *
 * @since 0.1
 */
public final class ProcessSupervision {

    private ProcessSupervision() {}

    /**
     * Spawns a process whose failures go to {@code hook} instead of ending it.
     *
     * @param spec    what the process is
     * @param options how to spawn it
     * @param hook    the supervisor's hook
     * @param <M>     the message type
     * @param <S>     the state type
     * @param <C>     the context type
     * @return the supervised process
     * @throws SpawnException       if {@code init} throws
     * @throws NullPointerException if an argument is {@code null}
     */
    public static <M, S, C> SupervisedProcess spawn(
            ProcessSpec<M, S, C> spec, SpawnOptions<C> options, SupervisionHook hook) {
        Objects.requireNonNull(hook, "hook");
        return ProcessCore.spawn(spec, options, hook).control();
    }

    /**
     * Puts a process made by {@code Processes.spawn} under {@code hook}.
     *
     * @param ref  a ref from {@code Processes.spawn}
     * @param hook the supervisor's hook
     * @return the supervised process
     * @throws IllegalArgumentException if {@code ref} was not made by Phyxius
     * @throws IllegalStateException    if the process already has a supervisor or has ended
     * @throws NullPointerException     if an argument is {@code null}
     */
    public static SupervisedProcess adopt(ProcessRef<?> ref, SupervisionHook hook) {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(hook, "hook");
        if (!(ref instanceof ProcessCore<?, ?, ?> core)) {
            throw new IllegalArgumentException(
                    "ref must come from Processes.spawn, was " + ref.getClass().getName());
        }
        return core.adopt(hook);
    }
}

package dev.phyxius.process;

import dev.phyxius.process.internal.ProcessCore;

/**
 * The entry point: spawns processes.
 *
 * @since 0.1
 */
public final class Processes {

    private Processes() {}

    /**
     * Constructs a process, runs its {@code init} on the calling thread, and returns its ref,
     * {@link ProcessStatus#RUNNING}. The process is unsupervised: a handler that throws ends it
     * {@link ProcessStatus#FAILED}.
     *
     * @param spec    what the process is
     * @param options its clock, context, events, id
     * @param <M>     the message type
     * @param <S>     the state type
     * @param <C>     the context type
     * @return the running process's ref
     * @throws SpawnException           if {@code init} throws (the cause is what it threw)
     * @throws NullPointerException     if an argument, or the spec's name, is {@code null}
     * @throws IllegalArgumentException if the spec's name is blank or its {@code maxInbox < 1}
     */
    public static <M, S, C> ProcessRef<M> spawn(ProcessSpec<M, S, C> spec, SpawnOptions<C> options) {
        return ProcessCore.spawn(spec, options, null);
    }
}

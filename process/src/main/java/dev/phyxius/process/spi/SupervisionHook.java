package dev.phyxius.process.spi;

import dev.phyxius.process.StopReason;

/**
 * What a supervisor learns about the processes it supervises. Called on the process's own
 * thread; implementations must not block (schedule work instead) and must not throw.
 *
 * @since 0.1
 */
public interface SupervisionHook {

    /**
     * A life of the process ended on its own: its handler or {@code init} threw (an
     * {@link StopReason.Error}), or its handler stopped it from inside. {@code onStop} has run;
     * the process is suspended: it still accepts and queues messages, handles none, and waits
     * for {@link SupervisedProcess#restart()} or {@link SupervisedProcess#terminate}.
     *
     * @param process the process
     * @param reason  why the life ended
     */
    void ended(SupervisedProcess process, StopReason reason);

    /**
     * The process ended for good: stopped through its ref, or terminated by its supervisor.
     *
     * @param process the process
     * @param reason  why
     */
    void terminated(SupervisedProcess process, StopReason reason);
}

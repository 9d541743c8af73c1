package dev.phyxius.process.spi;

import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.StopReason;
import java.util.concurrent.CompletableFuture;

/**
 * A supervisor's control over one process: restart in place, suspend, terminate. The process's
 * ref, id and mailbox stay the same across restarts. Thread-safe.
 *
 * @since 0.1
 */
public interface SupervisedProcess {

    /**
     * The process's ref, valid across restarts.
     *
     * @return the ref
     */
    ProcessRef<?> ref();

    /**
     * Ends the process's current life without ending the process: after the message in progress,
     * its scheduled self-messages are cancelled and {@code onStop(state, reason)} runs; the
     * mailbox is kept and keeps accepting. Used to restart siblings. If the process is already
     * suspended, completes at once.
     *
     * @param reason what {@code onStop} receives, usually {@link StopReason#SHUTDOWN}
     * @return completes once the process is suspended, or ended for good
     */
    CompletableFuture<Void> suspend(StopReason reason);

    /**
     * Starts a new life of a suspended process: {@code init} runs again on the process's thread,
     * then the queued messages are handled. If {@code init} throws, the hook's
     * {@link SupervisionHook#ended} is called again. Does nothing unless suspended.
     *
     * @return {@code true} if a restart was started
     */
    boolean restart();

    /**
     * Ends a suspended process for good: queued messages are reported as dropped, pending asks
     * fail, and the process ends {@code FAILED} for an error reason or {@code STOPPED} otherwise.
     * If the process is running, it is stopped with {@code reason} instead.
     *
     * @param reason why
     * @return completes when the process has ended
     */
    CompletableFuture<StopReason> terminate(StopReason reason);

    /**
     * Whether the process is suspended, waiting for {@link #restart()} or {@link #terminate}.
     *
     * @return {@code true} if suspended
     */
    boolean suspended();
}

package dev.phyxius.process;

/**
 * Where a process is in its life.
 *
 * @since 0.1
 */
public enum ProcessStatus {
    /** {@code init} is running (at spawn, or on a supervised restart). */
    STARTING,
    /** Accepting and handling messages. */
    RUNNING,
    /** A stop was requested; the message in progress and {@code onStop} are finishing. */
    STOPPING,
    /** Stopped for good after {@code stop}; sends are refused. */
    STOPPED,
    /**
     * Failed: for an unsupervised process, for good; for a supervised one, until its supervisor
     * restarts it (sends are still queued then) or gives up.
     */
    FAILED
}

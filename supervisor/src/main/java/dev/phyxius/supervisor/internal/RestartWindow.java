package dev.phyxius.supervisor.internal;

import java.util.ArrayDeque;

/**
 * The restarts of one child inside a sliding window of monotonic time: the intensity check and the
 * {@code n} of the backoff. Not thread-safe; the supervisor guards it with its lock.
 */
public final class RestartWindow {

    private final ArrayDeque<Long> restarts = new ArrayDeque<>();

    /** Creates an empty window. */
    public RestartWindow() {}

    /**
     * Forgets restarts older than the window, then counts those left.
     *
     * @param nowNanos    the monotonic reading now
     * @param windowNanos the window's length
     * @return restarts inside {@code (now - window, now]}
     */
    public int countAt(long nowNanos, long windowNanos) {
        // Differences, not comparisons, of monotonic readings: only differences are meaningful.
        while (!restarts.isEmpty() && nowNanos - restarts.peekFirst() >= windowNanos) {
            restarts.pollFirst();
        }
        return restarts.size();
    }

    /**
     * Records a restart.
     *
     * @param nowNanos the monotonic reading now
     */
    public void record(long nowNanos) {
        restarts.addLast(nowNanos);
    }

    /** Forgets every restart: the child starts afresh with its whole subtree. */
    public void clear() {
        restarts.clear();
    }
}

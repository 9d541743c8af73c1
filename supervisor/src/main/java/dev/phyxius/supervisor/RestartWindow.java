package dev.phyxius.supervisor;

import java.util.ArrayDeque;

/**
 * The restarts of one child inside a sliding window of monotonic time: the intensity check and the
 * {@code n} of the backoff. Not thread-safe; the supervisor guards it with its lock.
 */
final class RestartWindow {

    private final ArrayDeque<Long> restarts = new ArrayDeque<>();

    /** Creates an empty window. */
    RestartWindow() {}

    /**
     * Forgets restarts older than the window, then counts those left.
     *
     * @param nowNanos    the monotonic reading now
     * @param windowNanos the window's length
     * @return restarts inside {@code (now - window, now]}
     */
    int countAt(long nowNanos, long windowNanos) {
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
    void record(long nowNanos) {
        restarts.addLast(nowNanos);
    }

    /** Forgets every restart: the child starts afresh with its whole subtree. */
    void clear() {
        restarts.clear();
    }
}

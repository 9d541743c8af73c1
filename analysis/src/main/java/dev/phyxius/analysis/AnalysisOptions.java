package dev.phyxius.analysis;

import java.time.Duration;
import java.util.Objects;

/**
 * The thresholds behind the findings. Immutable; each {@code with} method validates its argument
 * and returns a copy. The defaults suit request-serving processes; the JDK Mission Control rules
 * expose the same values as rule preferences.
 *
 * <table>
 *   <caption>Thresholds</caption>
 *   <tr><th>finding</th><th>a warning (score 75) when</th><th>default</th></tr>
 *   <tr><td>Slow process handlers</td><td>p99 handling time reaches {@link #slowHandler()}</td><td>100 ms</td></tr>
 *   <tr><td>Mailbox backlog</td><td>a mailbox holds {@link #backlogMessages()} messages, or the p99
 *       mailbox wait reaches {@link #backlogWait()}</td><td>1,000 messages, 1 s</td></tr>
 *   <tr><td>Restart storm</td><td>{@link #restartStorm()} restarts inside {@link #restartWindow()},
 *       or any give-up</td><td>5 in 1 min</td></tr>
 *   <tr><td>Carrier pinned in a handler</td><td>a pin inside a handler lasts {@link #blocking()}</td><td>20 ms</td></tr>
 *   <tr><td>Handler blocked on a monitor or parked</td><td>a wait inside a handler lasts {@link #blocking()}</td><td>20 ms</td></tr>
 *   <tr><td>GC pauses behind slow handlers</td><td>all slow messages overlap a GC pause
 *       (the score is the share that do)</td><td>slow = {@link #slowHandler()}</td></tr>
 * </table>
 *
 * @since 0.1
 */
public final class AnalysisOptions {

    private static final AnalysisOptions DEFAULTS = new AnalysisOptions(
            Duration.ofMillis(100), 1000, Duration.ofSeconds(1), 5, Duration.ofMinutes(1), Duration.ofMillis(20));

    private final Duration slowHandler;
    private final long backlogMessages;
    private final Duration backlogWait;
    private final int restartStorm;
    private final Duration restartWindow;
    private final Duration blocking;

    private AnalysisOptions(
            Duration slowHandler,
            long backlogMessages,
            Duration backlogWait,
            int restartStorm,
            Duration restartWindow,
            Duration blocking) {
        this.slowHandler = slowHandler;
        this.backlogMessages = backlogMessages;
        this.backlogWait = backlogWait;
        this.restartStorm = restartStorm;
        this.restartWindow = restartWindow;
        this.blocking = blocking;
    }

    /**
     * The defaults of the table above.
     *
     * @return the defaults
     */
    public static AnalysisOptions defaults() {
        return DEFAULTS;
    }

    /** @return the p99 handling time that makes handlers slow */
    public Duration slowHandler() {
        return slowHandler;
    }

    /** @return the mailbox depth that makes a backlog */
    public long backlogMessages() {
        return backlogMessages;
    }

    /** @return the p99 mailbox wait that makes a backlog */
    public Duration backlogWait() {
        return backlogWait;
    }

    /** @return the restarts inside {@link #restartWindow()} that make a storm */
    public int restartStorm() {
        return restartStorm;
    }

    /** @return the sliding window in which restarts are counted */
    public Duration restartWindow() {
        return restartWindow;
    }

    /** @return the pin or wait inside a handler that is a problem */
    public Duration blocking() {
        return blocking;
    }

    /**
     * @param threshold the p99 handling time that makes handlers slow
     * @return a copy with it
     * @throws IllegalArgumentException if not positive
     */
    public AnalysisOptions withSlowHandler(Duration threshold) {
        return new AnalysisOptions(
                positive(threshold, "slowHandler"),
                backlogMessages,
                backlogWait,
                restartStorm,
                restartWindow,
                blocking);
    }

    /**
     * @param messages the mailbox depth that makes a backlog
     * @return a copy with it
     * @throws IllegalArgumentException if less than 1
     */
    public AnalysisOptions withBacklogMessages(long messages) {
        if (messages < 1) {
            throw new IllegalArgumentException("backlogMessages must be >= 1, was " + messages);
        }
        return new AnalysisOptions(slowHandler, messages, backlogWait, restartStorm, restartWindow, blocking);
    }

    /**
     * @param wait the p99 mailbox wait that makes a backlog
     * @return a copy with it
     * @throws IllegalArgumentException if not positive
     */
    public AnalysisOptions withBacklogWait(Duration wait) {
        return new AnalysisOptions(
                slowHandler, backlogMessages, positive(wait, "backlogWait"), restartStorm, restartWindow, blocking);
    }

    /**
     * @param restarts the restarts inside {@code window} that make a storm
     * @param window   the sliding window
     * @return a copy with them
     * @throws IllegalArgumentException if {@code restarts} is less than 1 or {@code window} not positive
     */
    public AnalysisOptions withRestartStorm(int restarts, Duration window) {
        if (restarts < 1) {
            throw new IllegalArgumentException("restartStorm must be >= 1, was " + restarts);
        }
        return new AnalysisOptions(
                slowHandler, backlogMessages, backlogWait, restarts, positive(window, "restartWindow"), blocking);
    }

    /**
     * @param threshold the pin or wait inside a handler that is a problem
     * @return a copy with it
     * @throws IllegalArgumentException if not positive
     */
    public AnalysisOptions withBlocking(Duration threshold) {
        return new AnalysisOptions(
                slowHandler,
                backlogMessages,
                backlogWait,
                restartStorm,
                restartWindow,
                positive(threshold, "blocking"));
    }

    private static Duration positive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
        return value;
    }

    @Override
    public String toString() {
        return "AnalysisOptions[slowHandler=" + slowHandler + ", backlogMessages=" + backlogMessages + ", backlogWait="
                + backlogWait + ", restartStorm=" + restartStorm + " in " + restartWindow + ", blocking=" + blocking
                + "]";
    }
}

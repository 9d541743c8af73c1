package dev.phyxius.analysis;

import java.time.Duration;
import java.util.Objects;

/**
 * The rolling figures of one process name over the last {@link #window()}, as
 * {@link LiveProcessFigures} keeps them: for a health endpoint or a periodic log line.
 *
 * @param name             the process name
 * @param window           the time the counts and distributions cover
 * @param handled          messages handled normally (from {@code ProcessStatistics}, so exact
 *                         whatever the {@code MessageHandled} threshold; the recorded events
 *                         without one)
 * @param recordedMessages {@code MessageHandled} events above the threshold
 * @param handling         handler time of the recorded messages (percentiles within about 9%)
 * @param mailboxWait      mailbox wait of the recorded messages (percentiles within about 9%)
 * @param failures         handler or {@code init} failures
 * @param restarts         restarts
 * @param giveUps          supervisor give-ups
 * @param dropped          accepted messages dropped
 * @param rejected         refused sends
 * @param liveProcesses    live processes at the last {@code ProcessStatistics}
 * @param mailboxSize      queued messages at the last {@code ProcessStatistics}, summed
 * @since 0.1
 */
public record ProcessFigures(
        String name,
        Duration window,
        long handled,
        long recordedMessages,
        Distribution handling,
        Distribution mailboxWait,
        long failures,
        long restarts,
        long giveUps,
        long dropped,
        long rejected,
        int liveProcesses,
        long mailboxSize) {
    /**
     * Creates the figures.
     *
     * @throws NullPointerException if an argument is {@code null}
     */
    public ProcessFigures {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(handling, "handling");
        Objects.requireNonNull(mailboxWait, "mailboxWait");
    }
}

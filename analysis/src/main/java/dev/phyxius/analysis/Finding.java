package dev.phyxius.analysis;

import java.util.Objects;

/**
 * One thing a recording says about one process (or about all of them), with a score: the same
 * findings the JDK Mission Control rules of {@code phyxius-jmc-rules} report.
 *
 * @param rule        the rule's id: {@code SlowHandlers}, {@code MailboxBacklog}, {@code RestartStorm},
 *                    {@code PinnedInHandler}, {@code BlockedInHandler} or {@code GcBehindSlowHandlers}
 * @param title       the rule's name, for people ("Slow process handlers")
 * @param process     the process name it is about
 * @param score       0 to 100; see {@link Severity#of}
 * @param summary     one sentence
 * @param explanation what it means and what to do
 * @since 0.1
 */
public record Finding(String rule, String title, String process, double score, String summary, String explanation) {

    /**
     * Creates a finding.
     *
     * @throws NullPointerException     if a text is {@code null}
     * @throws IllegalArgumentException if {@code score} is outside 0 to 100
     */
    public Finding {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(process, "process");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(explanation, "explanation");
        if (!(score >= 0 && score <= 100)) {
            throw new IllegalArgumentException("score must be within 0 and 100, was " + score);
        }
    }

    /**
     * The severity of {@link #score()}.
     *
     * @return the severity
     */
    public Severity severity() {
        return Severity.of(score);
    }
}

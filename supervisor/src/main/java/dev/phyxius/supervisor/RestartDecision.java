package dev.phyxius.supervisor;

import java.util.Objects;

/**
 * The rules table for one child that ended on its own while running, as a pure function of the
 * child's kind and action, how it ended, and its restarts inside the intensity window: no threads,
 * no clocks, no supervisor. OTP keeps the same decision in one clause per restart type; here it is
 * one switch per kind and one check of the intensity.
 *
 * @param verdict           what the supervisor does
 * @param restartsInWindow  the child's restarts inside the window when it ended
 * @param attempt           for {@link Verdict#RESTART}, the number of this restart in the window
 *                          (the {@code n} of the backoff); 0 otherwise
 */
record RestartDecision(Verdict verdict, int restartsInWindow, int attempt) {

    /** What the supervisor does about the child. */
    enum Verdict {
        /** Ends it for good with the reason it ended with: its kind or action says so. */
        END,
        /** Hands the failure to the parent at once (action {@code ESCALATE}). */
        ESCALATE,
        /** Gives up: one more restart would exceed the intensity; escalate, or end it FAILED. */
        GIVE_UP,
        /** Starts a restart round under the strategy. */
        RESTART
    }

    RestartDecision {
        Objects.requireNonNull(verdict, "verdict");
    }

    /**
     * Decides.
     *
     * @param kind             the child's kind
     * @param action           what to do when it fails
     * @param failed           whether it failed (a handler or init threw), rather than stopped itself
     * @param restartsInWindow its restarts inside the sliding window now
     * @param maxRestarts      the most restarts the window allows
     * @return the decision
     */
    static RestartDecision of(
            ChildKind kind, SupervisorAction action, boolean failed, int restartsInWindow, int maxRestarts) {
        boolean restartable = switch (kind) {
            case PERMANENT -> true;
            case TRANSIENT -> failed;
            case TEMPORARY -> false;
        };
        if (!restartable || action == SupervisorAction.STOP) {
            return new RestartDecision(Verdict.END, restartsInWindow, 0);
        }
        if (action == SupervisorAction.ESCALATE) {
            return new RestartDecision(Verdict.ESCALATE, restartsInWindow, 0);
        }
        if (restartsInWindow >= maxRestarts) {
            return new RestartDecision(Verdict.GIVE_UP, restartsInWindow, 0);
        }
        return new RestartDecision(Verdict.RESTART, restartsInWindow, restartsInWindow + 1);
    }
}

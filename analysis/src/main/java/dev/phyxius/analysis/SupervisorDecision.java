package dev.phyxius.analysis;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One entry of the timeline of supervisor decisions: a restart armed, a child restarted, a
 * give-up, an escalation.
 *
 * @param time       when
 * @param kind       what
 * @param supervisor the supervisor's id (empty for {@link Kind#RESTARTED}, which the child reports)
 * @param child      the child's name (empty if the recording does not say)
 * @param childId    the child's id
 * @param count      the restart's attempt for {@link Kind#RESTART}, the restarts inside the window
 *                   for {@link Kind#GAVE_UP}, else 0
 * @param duration   the backoff for {@link Kind#RESTART}, the window for {@link Kind#GAVE_UP},
 *                   else {@link Duration#ZERO}
 * @param errorType  the error that escalated for {@link Kind#ESCALATED}, else empty
 * @since 0.1
 */
public record SupervisorDecision(
        Instant time,
        Kind kind,
        String supervisor,
        String child,
        String childId,
        int count,
        Duration duration,
        String errorType) {

    /** What a supervisor decided, or what came of it. */
    public enum Kind {
        /** A restart was armed ({@code dev.phyxius.SupervisorRestart}): the backoff starts. */
        RESTART,
        /** The child ran {@code init} again ({@code dev.phyxius.ProcessRestarted}). */
        RESTARTED,
        /** The supervisor gave up on the child ({@code dev.phyxius.SupervisorGaveUp}). */
        GAVE_UP,
        /** The failure went to the parent supervisor ({@code dev.phyxius.SupervisorEscalated}). */
        ESCALATED
    }

    /**
     * Creates an entry.
     *
     * @throws NullPointerException if an argument is {@code null}
     */
    public SupervisorDecision {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(supervisor, "supervisor");
        Objects.requireNonNull(child, "child");
        Objects.requireNonNull(childId, "childId");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(errorType, "errorType");
    }
}

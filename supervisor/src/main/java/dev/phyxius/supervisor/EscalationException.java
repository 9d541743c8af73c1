package dev.phyxius.supervisor;

import dev.phyxius.process.ProcessId;
import java.util.Objects;

/**
 * The failure a parent supervisor sees when a child supervisor escalates: it names the escalating
 * supervisor and the child whose failure it could not fix, and its cause is that child's error.
 * Carried by the parent's {@link SupervisorEvent.ChildFailed}; never thrown at callers.
 *
 * @since 0.1
 */
public final class EscalationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ProcessId supervisor;
    private final ProcessId child;

    /**
     * Creates the exception.
     *
     * @param supervisor the supervisor that escalated
     * @param child      its child whose failure escalated
     * @param cause      that child's error
     * @throws NullPointerException if an argument is {@code null}
     */
    public EscalationException(ProcessId supervisor, ProcessId child, Throwable cause) {
        super(
                "supervisor " + Objects.requireNonNull(supervisor, "supervisor").value() + " escalated the failure of "
                        + Objects.requireNonNull(child, "child").value() + ": "
                        + Objects.requireNonNull(cause, "cause"),
                cause);
        this.supervisor = supervisor;
        this.child = child;
    }

    /**
     * The supervisor that escalated.
     *
     * @return its id
     */
    public ProcessId supervisor() {
        return supervisor;
    }

    /**
     * The child whose failure escalated.
     *
     * @return its id
     */
    public ProcessId child() {
        return child;
    }
}

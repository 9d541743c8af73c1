package dev.phyxius.supervisor;

import dev.phyxius.process.ProcessId;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a supervisor treats one child: its {@link ChildKind}, what to do when it fails
 * ({@link SupervisorAction}), how long its shutdown may take, and optionally a fixed id. Immutable
 * and reusable; every {@code with...} returns a new instance.
 *
 * @since 0.1
 */
public final class ChildOptions {

    /** The shutdown timeout when none is given, the same as a process's own. */
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);

    private static final ChildOptions DEFAULTS =
            new ChildOptions(ChildKind.PERMANENT, SupervisorAction.RESTART, DEFAULT_SHUTDOWN_TIMEOUT, null);

    private final ChildKind kind;
    private final SupervisorAction action;
    private final Duration shutdownTimeout;
    private final ProcessId id;

    private ChildOptions(ChildKind kind, SupervisorAction action, Duration shutdownTimeout, ProcessId id) {
        this.kind = kind;
        this.action = action;
        this.shutdownTimeout = shutdownTimeout;
        this.id = id;
    }

    /**
     * A permanent child, restarted on failure, with a 5 s shutdown timeout and a random id.
     *
     * @return the defaults
     */
    public static ChildOptions defaults() {
        return DEFAULTS;
    }

    /**
     * The defaults with another kind.
     *
     * @param kind when the child is restarted
     * @return the options
     * @throws NullPointerException if {@code kind} is {@code null}
     */
    public static ChildOptions of(ChildKind kind) {
        return DEFAULTS.withKind(kind);
    }

    /**
     * These options with another kind.
     *
     * @param kind when the child is restarted
     * @return new options
     * @throws NullPointerException if {@code kind} is {@code null}
     */
    public ChildOptions withKind(ChildKind kind) {
        return new ChildOptions(Objects.requireNonNull(kind, "kind"), action, shutdownTimeout, id);
    }

    /**
     * These options with another action on failure. The kind still decides first: a temporary
     * child is never restarted nor escalated.
     *
     * @param action what the supervisor does when the child fails
     * @return new options
     * @throws NullPointerException if {@code action} is {@code null}
     */
    public ChildOptions withAction(SupervisorAction action) {
        return new ChildOptions(kind, Objects.requireNonNull(action, "action"), shutdownTimeout, id);
    }

    /**
     * These options with another shutdown timeout: how long the supervisor waits for the child's
     * message in progress and {@code onStop} when it stops or restarts it. After that, a spawned
     * child's handler is interrupted (a {@code StopTimedOut} process event), the supervisor stops
     * waiting, reports a {@link SupervisorEvent.ShutdownTimedOut} and goes on with the next child.
     *
     * @param shutdownTimeout positive
     * @return new options
     * @throws NullPointerException     if {@code shutdownTimeout} is {@code null}
     * @throws IllegalArgumentException if it is zero or negative
     */
    public ChildOptions withShutdownTimeout(Duration shutdownTimeout) {
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        if (shutdownTimeout.isZero() || shutdownTimeout.isNegative()) {
            throw new IllegalArgumentException("shutdownTimeout must be positive, was " + shutdownTimeout);
        }
        return new ChildOptions(kind, action, shutdownTimeout, id);
    }

    /**
     * These options with a fixed id for a spawned child. Ignored by {@code supervise}, whose
     * process already has an id.
     *
     * @param id the id
     * @return new options
     * @throws NullPointerException if {@code id} is {@code null}
     */
    public ChildOptions withId(ProcessId id) {
        return new ChildOptions(kind, action, shutdownTimeout, Objects.requireNonNull(id, "id"));
    }

    /**
     * The kind.
     *
     * @return the kind
     */
    public ChildKind kind() {
        return kind;
    }

    /**
     * The action on failure.
     *
     * @return the action
     */
    public SupervisorAction action() {
        return action;
    }

    /**
     * The shutdown timeout.
     *
     * @return the timeout
     */
    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    /**
     * The fixed id, if one was given.
     *
     * @return the id, or empty
     */
    public Optional<ProcessId> id() {
        return Optional.ofNullable(id);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ChildOptions that
                && kind == that.kind
                && action == that.action
                && shutdownTimeout.equals(that.shutdownTimeout)
                && Objects.equals(id, that.id);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, action, shutdownTimeout, id);
    }

    @Override
    public String toString() {
        return "ChildOptions[" + kind + ", " + action + ", shutdownTimeout=" + shutdownTimeout
                + (id != null ? ", id=" + id : "") + "]";
    }
}

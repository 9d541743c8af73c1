package dev.phyxius.supervisor;

import dev.phyxius.process.ProcessId;
import dev.phyxius.process.ProcessStatus;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a supervision tree looks like at one moment: a supervisor, its strategy, and each child
 * with its status, mailbox size and restart count, nested supervisors with their own subtree.
 * Made by {@link Supervisor#snapshot()}, for health checks, admin endpoints and test failure
 * messages. The readings of different children are taken one after the other, not atomically.
 *
 * @param id       the supervisor's id
 * @param status   {@code RUNNING}; {@code STARTING} while its parent restarts its subtree;
 *                 {@code STOPPING}, then {@code STOPPED}
 * @param strategy its strategy
 * @param children its children in start order (children that ended for good are forgotten)
 * @since 0.1
 */
public record SupervisorSnapshot(
        ProcessId id, ProcessStatus status, SupervisionStrategy strategy, List<Child> children) {

    /**
     * Validates and copies.
     *
     * @throws NullPointerException if an argument is {@code null}
     */
    public SupervisorSnapshot {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(strategy, "strategy");
        children = List.copyOf(children);
    }

    /**
     * One child of the supervisor.
     *
     * @param id           the child's id
     * @param name         the process's name, or {@code "supervisor"} for a nested supervisor
     * @param kind         when the supervisor restarts it
     * @param status       the process's status, or the nested supervisor's
     * @param mailboxSize  messages waiting in its mailbox (0 for a nested supervisor)
     * @param restartCount how often the supervisor restarted it in place
     * @param subtree      the nested supervisor's snapshot; empty for a process
     */
    public record Child(
            ProcessId id,
            String name,
            ChildKind kind,
            ProcessStatus status,
            int mailboxSize,
            int restartCount,
            Optional<SupervisorSnapshot> subtree) {

        /**
         * Validates.
         *
         * @throws NullPointerException if an argument is {@code null}
         */
        public Child {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(subtree, "subtree");
        }
    }
}

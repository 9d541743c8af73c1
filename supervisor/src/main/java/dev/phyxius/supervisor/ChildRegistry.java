package dev.phyxius.supervisor;

import dev.phyxius.process.ProcessId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A supervisor's children in start order (a restarted child keeps its place), found by entry or
 * by nested supervisor, and how often each was restarted (kept after it ends, for the
 * supervisor's lifetime). Not thread-safe: the supervisor guards it with its lock.
 */
final class ChildRegistry {

    private final List<Child> children = new ArrayList<>();
    private final Map<ProcessId, Integer> restartCounts = new HashMap<>();

    /**
     * Adds a child at the end of the start order.
     *
     * @throws IllegalArgumentException if a child with its id is already here
     */
    void add(Child child, ProcessId supervisor) {
        for (Child existing : children) {
            if (existing.id.equals(child.id)) {
                throw new IllegalArgumentException(
                        "child id " + child.id.value() + " is already supervised by supervisor " + supervisor.value());
            }
        }
        children.add(child);
    }

    /** Forgets a child; true if it was here. */
    boolean remove(Child child) {
        return children.remove(child);
    }

    boolean contains(Child child) {
        return children.contains(child);
    }

    /** The children now, in start order. */
    List<Child> inStartOrder() {
        return List.copyOf(children);
    }

    /** The live view, for loops under the lock that do not change the registry. */
    List<Child> view() {
        return children;
    }

    int size() {
        return children.size();
    }

    /** The entry of a nested supervisor, or {@code null}. */
    Child find(Supervisor supervisor) {
        for (Child child : children) {
            if (child instanceof SupervisorChild nested && nested.supervisor == supervisor) {
                return child;
            }
        }
        return null;
    }

    /** The nested supervisors, in start order. */
    List<Supervisor> nestedSupervisors() {
        List<Supervisor> nested = new ArrayList<>();
        for (Child child : children) {
            if (child instanceof SupervisorChild entry) {
                nested.add(entry.supervisor);
            }
        }
        return nested;
    }

    /** Counts one restart of {@code child}, or takes one back with {@code -1}. */
    void countRestart(ProcessId child, int delta) {
        restartCounts.merge(child, delta, Integer::sum);
    }

    int restartCount(ProcessId child) {
        return restartCounts.getOrDefault(child, 0);
    }
}

package dev.phyxius.observability.internal;

import dev.phyxius.process.ProcessId;
import dev.phyxius.supervisor.SupervisorEvent;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The names of supervised children, learned from supervisor events. {@link SupervisorEvent.GaveUp}
 * and {@link SupervisorEvent.Escalated} carry only the child's id, but meters are per name and a
 * span or JFR event reads better with it; every child announces its name in
 * {@link SupervisorEvent.ChildStarted} first. An entry lives while the child is supervised
 * ({@link SupervisorEvent.ChildStopped} forgets it), so the map is as large as the live tree.
 * Thread-safe.
 */
public final class ChildNames {

    private final ConcurrentHashMap<ProcessId, String> names = new ConcurrentHashMap<>();

    /** Creates an empty map. */
    public ChildNames() {}

    /**
     * Learns or forgets a name from {@code event}, if it says anything about one.
     *
     * @param event a supervisor event
     */
    public void track(SupervisorEvent event) {
        switch (event) {
            case SupervisorEvent.ChildStarted e -> names.put(e.child(), e.name());
            // Failed and restarted children re-announce their name: a sink attached to a running
            // supervisor still learns it before the child can be given up on.
            case SupervisorEvent.ChildFailed e -> names.put(e.child(), e.name());
            case SupervisorEvent.ChildRestarted e -> names.put(e.child(), e.name());
            case SupervisorEvent.ChildStopped e -> names.remove(e.child());
            default -> {}
        }
    }

    /**
     * The name of a supervised child.
     *
     * @param child its id
     * @return its name, or empty if no event named it
     */
    public Optional<String> nameOf(ProcessId child) {
        return Optional.ofNullable(names.get(child));
    }
}

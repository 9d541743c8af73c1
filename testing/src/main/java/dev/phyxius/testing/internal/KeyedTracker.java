package dev.phyxius.testing.internal;

import dev.phyxius.clock.Event;
import dev.phyxius.process.ProcessEvent;
import dev.phyxius.process.ProcessId;
import dev.phyxius.process.StopReason;
import dev.phyxius.supervisor.KeyedEvent;
import dev.phyxius.supervisor.KeyedProcesses;
import dev.phyxius.supervisor.SupervisorEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a test kit must know to tell when keyed groups are at rest, beyond their processes: which
 * activations are running, which keys are between lives, and which ends of a life have happened
 * without the group's event about them yet.
 *
 * <p>A key's life is at rest only when (1) no activation thread of the kit's factory runs (the
 * first message of a key starts one before its send returns, and it runs {@code init} and hands
 * the waiting messages to the new process); (2) no key the kit has seen come to life is
 * {@code ACTIVATING} or {@code ENDING}; (3) every process of a group that stopped passivated has
 * its {@link KeyedEvent.Passivated}, and every one its supervisor gave up on its
 * {@link KeyedEvent.GaveUp}: those are emitted after the process has ended, when the process
 * itself is already at rest. A {@link KeyedEvent.GroupStopped} settles everything of its group.
 *
 * <p>Thread-safe: events arrive on any thread; the kit's thread asks.
 */
public final class KeyedTracker {

    private final AtomicInteger activations = new AtomicInteger();
    /** Per group name: the keys seen come to life, by their process id. */
    private final Map<String, Map<ProcessId, Object>> keys = new ConcurrentHashMap<>();
    /** The process ids of every key seen, and their group, for the process and supervisor events. */
    private final Map<ProcessId, String> groupOf = new ConcurrentHashMap<>();
    /** Ends of lives whose keyed event is still to come, with their group. */
    private final Map<ProcessId, String> pendingEnds = new ConcurrentHashMap<>();

    /** Creates a tracker that has seen nothing. */
    public KeyedTracker() {}

    /**
     * A thread factory that counts the threads it made until their task returns; groups made
     * with it run their activations on it.
     *
     * @param delegate makes the threads
     * @return the counting factory
     */
    public ThreadFactory activations(ThreadFactory delegate) {
        Objects.requireNonNull(delegate, "delegate");
        return task -> {
            Objects.requireNonNull(task, "task");
            activations.incrementAndGet();
            Thread thread;
            try {
                thread = delegate.newThread(() -> {
                    try {
                        task.run();
                    } finally {
                        activations.decrementAndGet();
                    }
                });
            } catch (RuntimeException | Error e) {
                activations.decrementAndGet();
                throw e;
            }
            if (thread == null) {
                activations.decrementAndGet();
            }
            return thread;
        };
    }

    /**
     * Learns from one recorded event.
     *
     * @param event any event the kit records
     */
    public void record(Event event) {
        switch (event) {
            case KeyedEvent.Activated e -> {
                keys.computeIfAbsent(e.group(), g -> new ConcurrentHashMap<>()).put(e.process(), e.key());
                groupOf.put(e.process(), e.group());
            }
            case KeyedEvent.Passivated e -> pendingEnds.remove(e.process());
            case KeyedEvent.GaveUp e -> pendingEnds.remove(e.process());
            case KeyedEvent.GroupStopped e -> {
                Map<ProcessId, Object> seen = keys.remove(e.group());
                if (seen != null) {
                    seen.keySet().forEach(groupOf::remove);
                }
                pendingEnds.values().removeIf(e.group()::equals);
            }
            case ProcessEvent.Stopped e when e.reason() instanceof StopReason.Passivated -> expectEnd(e.id());
            case SupervisorEvent.GaveUp e -> expectEnd(e.child());
            default -> {}
        }
    }

    private void expectEnd(ProcessId process) {
        String group = groupOf.get(process);
        if (group != null) {
            pendingEnds.put(process, group);
        }
    }

    /**
     * Whether {@code group} is at rest, as the class comment says.
     *
     * @param group a group made with this tracker's activation factory
     * @return {@code true} if nothing of it is in flight
     */
    public boolean atRest(KeyedProcesses<?, ?> group) {
        return busy(group).isEmpty();
    }

    /**
     * What of {@code group} is in flight, for failure messages.
     *
     * @param group a group made with this tracker's activation factory
     * @return one line per thing in flight; empty if at rest
     */
    public List<String> busy(KeyedProcesses<?, ?> group) {
        List<String> busy = new ArrayList<>();
        int running = activations.get();
        if (running > 0) {
            busy.add(running + " keyed activation(s) running");
        }
        String name = group.name();
        if (pendingEnds.containsValue(name)) {
            pendingEnds.forEach((process, of) -> {
                if (of.equals(name)) {
                    busy.add("group '" + name + "' ending the life of " + process.value());
                }
            });
        }
        Map<ProcessId, Object> seen = keys.get(name);
        if (seen != null) {
            for (Object key : Set.copyOf(seen.values())) {
                KeyedProcesses.KeyState state = stateOf(group, key);
                if (state == KeyedProcesses.KeyState.ACTIVATING || state == KeyedProcesses.KeyState.ENDING) {
                    busy.add("group '" + name + "' key " + key + " " + state);
                }
            }
        }
        return busy;
    }

    @SuppressWarnings("unchecked")
    private static <K> KeyedProcesses.KeyState stateOf(KeyedProcesses<K, ?> group, Object key) {
        try {
            return group.state((K) key);
        } catch (ClassCastException foreign) {
            return KeyedProcesses.KeyState.ABSENT; // another group of the same name, with other keys
        }
    }
}

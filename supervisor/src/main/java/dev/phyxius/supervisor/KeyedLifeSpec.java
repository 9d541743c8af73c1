package dev.phyxius.supervisor;

import dev.phyxius.clock.Cancellable;
import dev.phyxius.clock.Clock;
import dev.phyxius.clock.EventSink;
import dev.phyxius.process.MailboxPolicy;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.StopReason;
import dev.phyxius.process.Tools;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;

/**
 * The spec one life of a key runs: the user's spec, unchanged in what it handles and reports
 * (same message type, name, mailbox and events), plus the group's bookkeeping around the handler.
 * One instance per life.
 *
 * <p>After each message it records the time (for the idle timeout) and, if the key is passivating,
 * ends the life once nothing is queued; the handler's {@code tools.self()} is the key's ref, so a
 * message a process sends itself is routed like any other and never bypasses a passivation.
 */
final class KeyedLifeSpec<K, M, S, C> implements ProcessSpec<M, S, C> {

    private static final VarHandle LAST_ACTIVE;

    static {
        try {
            LAST_ACTIVE = MethodHandles.lookup().findVarHandle(KeyedLifeSpec.class, "lastActive", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ProcessSpec<M, S, C> spec;
    private final KeyedProcesses<K, M> group;
    private final KeyedEntry<K, M> entry;
    /** The process running this life; set by the activation as soon as the spawn returns. */
    volatile ProcessRef<M> process;
    /**
     * Set (under the entry's monitor) when the key starts to passivate; read by the process after
     * each message, to end the life once nothing is queued.
     */
    volatile boolean draining;
    /**
     * Monotonic time the last message was handled (or the life began). Written by the process,
     * read by the idle check; opaque, because the check only needs a value that was true at some
     * point (the process fences right after writing it anyway).
     */
    @SuppressWarnings("unused") // through LAST_ACTIVE
    private long lastActive;
    /** Whether the end of this life is watched already (after its first failure). */
    private volatile boolean watched;
    // Touched by the process's own thread only.
    private Tools<M> raw;
    private Tools<M> routed;

    KeyedLifeSpec(ProcessSpec<M, S, C> spec, KeyedProcesses<K, M> group, KeyedEntry<K, M> entry) {
        this.spec = spec;
        this.group = group;
        this.entry = entry;
    }

    void lastActive(long monoNanos) {
        LAST_ACTIVE.setOpaque(this, monoNanos);
    }

    long lastActive() {
        return (long) LAST_ACTIVE.getOpaque(this);
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public S init(C ctx) throws Exception {
        return spec.init(ctx);
    }

    @Override
    public S handle(S state, M message, Tools<M> tools) throws Exception {
        boolean threw = true;
        try {
            S next = spec.handle(state, message, routed(tools));
            threw = false;
            return next;
        } finally {
            // Also after a throw: if this was the last message of a passivating key, the life still
            // ends, by a stop from outside that outlasts the failure of this life.
            group.handled(this, entry, tools.self(), threw);
        }
    }

    @Override
    public void onStop(S state, StopReason reason, C ctx) throws Exception {
        if (reason instanceof StopReason.Error && !watched) {
            // The first failure of a life: from now on its end (a give-up) must be seen. Lives
            // that never fail are only watched when the group ends them itself, so that a healthy
            // idle key costs no termination future.
            watched = true;
            ProcessRef<M> self = process;
            if (self != null) {
                group.watch(entry, self);
            }
        }
        spec.onStop(state, reason, ctx);
    }

    @Override
    public int maxInbox() {
        return spec.maxInbox();
    }

    @Override
    public MailboxPolicy mailboxPolicy() {
        return spec.mailboxPolicy();
    }

    @Override
    public String toString() {
        return spec.toString();
    }

    private Tools<M> routed(Tools<M> tools) {
        if (tools != raw) {
            raw = tools;
            routed = new RoutedTools<>(tools, group.ref(entry.key));
        }
        return routed;
    }

    /** The process's tools, with {@code self()} the key's ref instead of this life's process. */
    private record RoutedTools<M>(Tools<M> tools, ProcessRef<M> self) implements Tools<M> {
        @Override
        public Clock clock() {
            return tools.clock();
        }

        @Override
        public EventSink events() {
            return tools.events();
        }

        @Override
        public Cancellable schedule(Duration after, M message) {
            return tools.schedule(after, message);
        }

        @Override
        public Cancellable schedule(Object key, Duration after, M message) {
            return tools.schedule(key, after, message);
        }

        @Override
        public Cancellable scheduleAtFixedRate(Object key, Duration period, M message) {
            return tools.scheduleAtFixedRate(key, period, message);
        }

        @Override
        public Cancellable scheduleWithFixedDelay(Object key, Duration delay, M message) {
            return tools.scheduleWithFixedDelay(key, delay, message);
        }

        @Override
        public boolean cancel(Object key) {
            return tools.cancel(key);
        }
    }
}

package dev.phyxius.process.internal;

import dev.phyxius.clock.Cancellable;
import dev.phyxius.clock.Clock;
import dev.phyxius.clock.EventSink;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.Tools;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/** A process's {@link Tools}: made on its first message, and its self-message timers. */
final class ProcessTools<M> implements Tools<M> {
    private static final EventSink NO_EVENTS = event -> {};

    final ProcessCore<M, ?, ?> process;
    /** Live schedules by key; concurrent because a Cancellable may be used from any thread. */
    private volatile Map<Object, TimerEntry> timers;

    ProcessTools(ProcessCore<M, ?, ?> process) {
        this.process = process;
    }

    @Override
    public Clock clock() {
        return process.clock();
    }

    @Override
    public EventSink events() {
        EventSink sink = process.sink();
        return sink == null ? NO_EVENTS : sink;
    }

    @Override
    public ProcessRef<M> self() {
        return process;
    }

    @Override
    public Cancellable schedule(Duration after, M message) {
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(message, "message");
        return register(new TimerEntry(this, new Object(), TimerEntry.Kind.ONCE, after, message), after);
    }

    @Override
    public Cancellable schedule(Object key, Duration after, M message) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(message, "message");
        return register(new TimerEntry(this, key, TimerEntry.Kind.ONCE, after, message), after);
    }

    @Override
    public Cancellable scheduleAtFixedRate(Object key, Duration period, M message) {
        Objects.requireNonNull(key, "key");
        requirePositive(period, "period");
        Objects.requireNonNull(message, "message");
        TimerEntry entry = new TimerEntry(this, key, TimerEntry.Kind.FIXED_RATE, period, message);
        replace(entry);
        entry.arm(process.clock().scheduleAtFixedRate(period, entry));
        return entry;
    }

    @Override
    public Cancellable scheduleWithFixedDelay(Object key, Duration delay, M message) {
        Objects.requireNonNull(key, "key");
        requirePositive(delay, "delay");
        Objects.requireNonNull(message, "message");
        return register(new TimerEntry(this, key, TimerEntry.Kind.FIXED_DELAY, delay, message), delay);
    }

    @Override
    public boolean cancel(Object key) {
        Objects.requireNonNull(key, "key");
        Map<Object, TimerEntry> map = timers;
        TimerEntry entry = map == null ? null : map.get(key);
        return entry != null && entry.cancel();
    }

    private Cancellable register(TimerEntry entry, Duration after) {
        replace(entry);
        entry.arm(process.clock().schedule(after, entry));
        return entry;
    }

    private void replace(TimerEntry entry) {
        Map<Object, TimerEntry> map = timers;
        if (map == null) {
            map = new ConcurrentHashMap<>();
            timers = map;
        }
        TimerEntry previous = map.put(entry.key, entry);
        if (previous != null) {
            previous.cancel();
        }
    }

    void forget(TimerEntry entry) {
        Map<Object, TimerEntry> map = timers;
        if (map != null) {
            map.remove(entry.key, entry);
        }
    }

    /** Cancels every schedule: the process is stopping or restarting. */
    void cancelAll() {
        Map<Object, TimerEntry> map = timers;
        if (map != null) {
            for (TimerEntry entry : map.values()) {
                entry.cancel();
            }
            map.clear();
        }
    }

    private static void requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, was " + duration);
        }
    }
}

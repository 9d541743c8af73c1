package dev.phyxius.observability.internal;

import dev.phyxius.process.ProcessRef;
import java.util.Collection;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Per process name state, bounded: one entry per name, and at most {@code limit} names; the
 * processes of any further name share the entry {@link #OVERFLOW}. Each entry knows the live
 * processes of its name (from {@code ProcessInstrumentation.attached}/{@code detached}), so that
 * gauges can sample their mailboxes and an owner can remove the entry once none is left.
 *
 * <p>Thread-safe. {@link #get} is the hot path (one map read); {@link #attach} and
 * {@link #removeIf} run inside the map's per-key lock, so an entry is never removed while a
 * process is being attached to it.
 *
 * @param <E> the owner's entry type
 */
public final class NameTable<E extends NameTable.Entry> {

    /** The name under which the processes of names beyond the limit are counted. */
    public static final String OVERFLOW = "_other";

    private final ConcurrentHashMap<String, E> byName = new ConcurrentHashMap<>();
    private final int limit;
    private final Function<String, E> factory;
    private final Consumer<String> limitReached;
    /** Set when a name was refused, cleared when an entry is removed: one warning per episode. */
    private volatile boolean overflowing;

    /**
     * An empty table.
     *
     * @param limit        the most names with an entry of their own, {@link #OVERFLOW} not counted
     * @param factory      makes the entry of a name
     * @param limitReached told the first name refused after the table filled up (once, until an
     *                     entry is removed again); must not throw
     */
    public NameTable(int limit, Function<String, E> factory, Consumer<String> limitReached) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1, was " + limit);
        }
        this.limit = limit;
        this.factory = Objects.requireNonNull(factory, "factory");
        this.limitReached = Objects.requireNonNull(limitReached, "limitReached");
    }

    /**
     * The entry that counts {@code name}: its own, a new one if the table has room, else
     * {@link #OVERFLOW}'s.
     *
     * @param name a process name
     * @return the entry, never {@code null}
     */
    public E get(String name) {
        E entry = byName.get(name);
        // get before compute: the common case is a hit, and get takes no lock.
        return entry != null ? entry : create(name);
    }

    private E create(String name) {
        // Racing creators may pass the limit by a name or two; an exact count is not worth a lock.
        if (byName.size() - (byName.containsKey(OVERFLOW) ? 1 : 0) < limit) {
            return byName.computeIfAbsent(name, factory);
        }
        E existing = byName.get(name);
        if (existing != null) {
            return existing;
        }
        if (!overflowing) {
            overflowing = true;
            limitReached.accept(name);
        }
        return byName.computeIfAbsent(OVERFLOW, factory);
    }

    /**
     * Counts {@code process} as live under its name's entry (or {@link #OVERFLOW}'s).
     *
     * @param process a process that has started
     * @return the entry it was added to
     */
    public E attach(ProcessRef<?> process) {
        E entry = get(process.name());
        // Added inside the key's lock, so that removeIf cannot remove the entry in between.
        E attached = byName.compute(entry.name, (key, current) -> {
            E e = current != null ? current : factory.apply(key);
            e.live.add(process);
            return e;
        });
        return attached;
    }

    /**
     * Stops counting {@code process} as live.
     *
     * @param process a process that has ended for good
     * @return the entry it was removed from, or {@code null} if it was in none
     */
    public E detach(ProcessRef<?> process) {
        E entry = byName.get(process.name());
        if (entry != null && entry.retire(process)) {
            return entry;
        }
        // Attached while its name overflowed (the name may have an entry of its own by now).
        E overflow = byName.get(OVERFLOW);
        if (overflow != null && overflow.retire(process)) {
            return overflow;
        }
        return null;
    }

    /**
     * Removes {@code entry} if it has no live process and {@code unused} still holds, atomically
     * with respect to {@link #attach} and {@link #get}.
     *
     * @param entry  the entry
     * @param unused checked inside the key's lock
     * @return whether it was removed
     */
    public boolean removeIf(E entry, Predicate<? super E> unused) {
        return removeIf(entry, unused, e -> {});
    }

    /**
     * Removes {@code entry} as {@link #removeIf(Entry, Predicate)} does, and runs
     * {@code onRemoved} before any new entry of the same name can be made: an owner that
     * unregisters what the entry registered does so before a successor registers the same.
     *
     * @param entry     the entry
     * @param unused    checked inside the key's lock
     * @param onRemoved run inside the key's lock once the entry is removed; must not use this table
     * @return whether it was removed
     */
    public boolean removeIf(E entry, Predicate<? super E> unused, Consumer<? super E> onRemoved) {
        boolean[] removed = {false};
        byName.computeIfPresent(entry.name, (key, current) -> {
            if (current == entry && entry.live.isEmpty() && unused.test(entry)) {
                removed[0] = true;
                onRemoved.accept(entry);
                return null;
            }
            return current;
        });
        if (removed[0]) {
            overflowing = false;
        }
        return removed[0];
    }

    /**
     * The entries now in the table, for sampling; weakly consistent.
     *
     * @return a live view
     */
    public Collection<E> entries() {
        return Collections.unmodifiableCollection(byName.values());
    }

    /**
     * How many entries there are now, {@link #OVERFLOW}'s included.
     *
     * @return the number of entries
     */
    public int size() {
        return byName.size();
    }

    /** The state of one name: its live processes; owners extend it with their meters or counts. */
    public abstract static class Entry {
        // Package-private, not private: the table reaches them through its type variable.
        final String name;
        final Set<ProcessRef<?>> live = ConcurrentHashMap.newKeySet();
        /** What the ended processes handled; guarded by this entry's lock. */
        private long retiredHandled;

        /**
         * An entry for {@code name}.
         *
         * @param name the process name it counts
         */
        protected Entry(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /**
         * The name this entry counts under ({@link #OVERFLOW} for the overflow entry).
         *
         * @return the name
         */
        public final String name() {
            return name;
        }

        /**
         * How many live processes this entry counts.
         *
         * @return the number of live processes
         */
        /**
         * Moves {@code process} from the live ones to the retired count, under this entry's lock,
         * so that {@link #handledTotal} never sees it twice or not at all.
         */
        final synchronized boolean retire(ProcessRef<?> process) {
            if (!live.remove(process)) {
                return false;
            }
            retiredHandled += process.handledCount();
            return true;
        }

        /**
         * Messages handled normally by the processes of this name, live and ended, since the entry
         * was made: exact ({@link ProcessRef#handledCount()}) and never decreasing.
         *
         * @return the total
         */
        public final synchronized long handledTotal() {
            long total = retiredHandled;
            for (ProcessRef<?> process : live) {
                total += process.handledCount();
            }
            return total;
        }

        public final int liveCount() {
            return live.size();
        }

        /**
         * Whether no live process is counted here.
         *
         * @return {@code true} if none
         */
        public final boolean hasNoLiveProcess() {
            return live.isEmpty();
        }

        /**
         * The messages queued in the mailboxes of the live processes, summed; a sample.
         *
         * @return the total
         */
        public final long mailboxTotal() {
            long total = 0;
            for (ProcessRef<?> process : live) {
                total += process.mailboxSize();
            }
            return total;
        }

        /**
         * The deepest mailbox among the live processes; a sample.
         *
         * @return the largest mailbox size, 0 if none is live
         */
        public final int mailboxMax() {
            int max = 0;
            for (ProcessRef<?> process : live) {
                max = Math.max(max, process.mailboxSize());
            }
            return max;
        }
    }
}

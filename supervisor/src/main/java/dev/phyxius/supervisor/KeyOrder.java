package dev.phyxius.supervisor;

/**
 * The counted keys of a bounded group (activating or live) from the most to the least recently
 * used: an intrusive doubly
 * linked list through the entries, so that a touch, an insert and a removal are O(1) and need no
 * allocation. Guarded by this object's monitor, which is never held while an entry's is taken
 * (the order is entry, then this).
 */
final class KeyOrder<K, M> {

    private KeyedEntry<K, M> newest;
    private KeyedEntry<K, M> oldest;

    /** Puts {@code entry} first, whether or not it was listed. */
    synchronized void touch(KeyedEntry<K, M> entry) {
        if (entry == newest) {
            return;
        }
        if (entry.ordered) {
            unlink(entry);
        }
        entry.older = newest;
        entry.newer = null;
        if (newest != null) {
            newest.newer = entry;
        }
        newest = entry;
        if (oldest == null) {
            oldest = entry;
        }
        entry.ordered = true;
    }

    /** Moves {@code entry} first only if it is listed (a send racing its passivation must not relist it). */
    synchronized void touchIfListed(KeyedEntry<K, M> entry) {
        if (entry.ordered && entry != newest) {
            unlink(entry);
            entry.older = newest;
            entry.newer = null;
            newest.newer = entry;
            newest = entry;
            entry.ordered = true;
        }
    }

    synchronized void remove(KeyedEntry<K, M> entry) {
        if (entry.ordered) {
            unlink(entry);
        }
    }

    /**
     * The least recently used entry other than {@code except}. Every listed entry counts toward the
     * bound (activating, or live), so each one can be evicted. The answer may be stale: the caller
     * rechecks under the entry's monitor.
     */
    synchronized KeyedEntry<K, M> leastRecentlyUsed(KeyedEntry<K, M> except) {
        KeyedEntry<K, M> entry = oldest;
        return entry != except ? entry : except.newer;
    }

    private void unlink(KeyedEntry<K, M> entry) {
        if (entry.newer != null) {
            entry.newer.older = entry.older;
        } else {
            newest = entry.older;
        }
        if (entry.older != null) {
            entry.older.newer = entry.newer;
        } else {
            oldest = entry.newer;
        }
        entry.newer = null;
        entry.older = null;
        entry.ordered = false;
    }
}

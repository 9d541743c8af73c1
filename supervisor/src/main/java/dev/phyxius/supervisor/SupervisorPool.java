package dev.phyxius.supervisor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The supervisors that own a keyed group's processes, each owning at most
 * {@link #KEYS_PER_SUPERVISOR} lives at a time. A supervisor's bookkeeping is a list scanned on
 * every spawn and end, which is right for the handful of children of a supervision tree but would
 * make the n-th key of one supervisor cost O(n); sharing the keys out keeps every activation
 * O(1) whatever the number of live keys, for about one supervisor's few hundred bytes per
 * {@value #KEYS_PER_SUPERVISOR} live keys. Supervisors are made on demand and stopped when they
 * are left empty (a few spares aside). Thread-safe: one monitor, held for short work only (O(1),
 * but for forgetting an empty supervisor: O(supervisors)).
 */
final class SupervisorPool {

    /** How many lives one supervisor owns at most. */
    static final int KEYS_PER_SUPERVISOR = 64;
    /** How many supervisors without a life are kept for the next activations. */
    static final int SPARE_EMPTY = 2;

    /** One supervisor and how many lives it owns now. Mutable fields guarded by the pool. */
    static final class Slot {
        final Supervisor supervisor;
        int lives;
        boolean hasRoomListed;

        Slot(Supervisor supervisor) {
            this.supervisor = supervisor;
        }
    }

    private final Function<SupervisionStrategy, Supervisor> factory;
    private final SupervisionStrategy strategy;

    // Guarded by this.
    private final List<Slot> slots = new ArrayList<>();
    /** Slots with room, each listed at most once; the first is filled first. */
    private final ArrayDeque<Slot> withRoom = new ArrayDeque<>();

    private boolean stopping;
    /** Slots without a life. */
    private int empty;

    SupervisorPool(Function<SupervisionStrategy, Supervisor> factory, SupervisionStrategy strategy) {
        this.factory = factory;
        this.strategy = strategy;
    }

    /**
     * A supervisor with room for one more life, counted as taken.
     *
     * @throws IllegalStateException if the pool is stopping
     * @throws RuntimeException      whatever the factory throws
     */
    synchronized Slot acquire() {
        if (stopping) {
            throw new IllegalStateException("the keyed group is stopping and starts no new process");
        }
        Slot slot = withRoom.peekFirst();
        Slot fresh = null;
        if (slot == null) {
            slot = new Slot(Objects.requireNonNull(factory.apply(strategy), "the supervisor factory returned null"));
            slots.add(slot);
            withRoom.addFirst(slot);
            slot.hasRoomListed = true;
            fresh = slot;
        }
        if (slot.lives++ == 0 && slot != fresh) {
            empty--;
        }
        if (slot.lives == KEYS_PER_SUPERVISOR) {
            withRoom.pollFirst();
            slot.hasRoomListed = false;
        }
        return slot;
    }

    /**
     * Gives back the place a life took in {@code slot}. A supervisor left with no life is stopped
     * and forgotten once a few others are empty too, so that a group whose keys have passivated
     * keeps (almost) nothing, while a group that hovers around a multiple of
     * {@value #KEYS_PER_SUPERVISOR} keys does not make and stop supervisors back and forth.
     */
    void release(Slot slot) {
        Supervisor retired = null;
        synchronized (this) {
            slot.lives--;
            if (slot.lives == 0 && !stopping && ++empty > SPARE_EMPTY) {
                empty--;
                slots.remove(slot);
                if (slot.hasRoomListed) {
                    withRoom.remove(slot);
                    slot.hasRoomListed = false;
                }
                retired = slot.supervisor;
            } else if (!slot.hasRoomListed) {
                withRoom.addLast(slot);
                slot.hasRoomListed = true;
            }
        }
        if (retired != null) {
            retired.stop(); // no child: completes at once, asynchronously
        }
    }

    /** How many supervisors the pool has made. */
    synchronized int size() {
        return slots.size();
    }

    /** Refuses further acquires and stops every supervisor (in parallel); completes when all have. */
    CompletableFuture<Void> stopAll() {
        List<Slot> all;
        synchronized (this) {
            stopping = true;
            all = List.copyOf(slots);
        }
        CompletableFuture<?>[] stops = new CompletableFuture<?>[all.size()];
        for (int i = 0; i < stops.length; i++) {
            try {
                stops[i] = all.get(i).supervisor.stop();
            } catch (RuntimeException e) {
                // A supervisor that cannot even start stopping must not keep the others running.
                stops[i] = CompletableFuture.completedFuture(null);
            }
        }
        return CompletableFuture.allOf(stops).exceptionally(error -> null);
    }
}

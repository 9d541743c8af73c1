package dev.phyxius.supervisor;

import dev.phyxius.process.ProcessId;
import dev.phyxius.process.StopReason;
import java.util.concurrent.CompletableFuture;

/**
 * One supervised child, a process ({@link ProcessChild}) or a nested supervisor
 * ({@link SupervisorChild}), and where it is in its supervisor's decisions. Mutable fields are
 * guarded by the supervisor's lock.
 */
abstract class Child {

    /** Where a child is in the supervisor's decisions. */
    enum Phase {
        /** Running its current life; an end of it starts a decision. */
        RUNNING,
        /** Covered by a restart round or a hold's resume: being suspended, waiting for the backoff,
         *  or not suspended yet after its shutdown timeout. Ends of its old life are no new failures. */
        RESTARTING,
        /** Decided: held for the parent (escalated) or being ended for good. */
        HELD
    }

    final Supervisor owner;
    final ChildOptions options;
    ProcessId id;
    String name;
    final RestartWindow window = new RestartWindow();
    Phase phase = Phase.RUNNING;
    /** The error a held child ends with if it is never restarted. */
    Throwable heldFailure;
    /** Suspended with the rest of the owner's subtree by the parent's hold that is under way. */
    boolean inHold;
    /**
     * How the child ended on its own while the parent held the owner's subtree, when the hold did
     * not cover it (it joined during the hold): decided once the hold ends.
     */
    StopReason endedWhileHeld;
    /** Being ended for good by a round or a hold (a temporary bystander); never restarted. */
    boolean leaving;
    /** Completes once the child has ended for good and the owner has forgotten it. */
    final CompletableFuture<Void> gone = new CompletableFuture<>();

    Child(Supervisor owner, ChildOptions options) {
        this.owner = owner;
        this.options = options;
    }

    /** Ends the current life with {@code SHUTDOWN}; completes once suspended (unbounded). */
    abstract CompletableFuture<?> suspend();

    /**
     * Starts a fresh life once the last suspension has completed, unless by then a stop, a hold
     * or a newer decision has taken over (checked against {@code roundEpoch}).
     *
     * @return completes with {@code true} once the fresh life has started, {@code false} if
     *     nothing restarts (the child ended for good, or something took over meanwhile)
     */
    abstract CompletableFuture<Boolean> resume(long roundEpoch);

    /** Ends the child for good. */
    abstract CompletableFuture<?> terminate(StopReason reason);
}

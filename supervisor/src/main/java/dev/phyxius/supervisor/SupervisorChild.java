package dev.phyxius.supervisor;

import dev.phyxius.process.StopReason;
import java.util.concurrent.CompletableFuture;

/**
 * A nested supervisor as one child of its parent: suspending it holds its whole subtree,
 * resuming it restarts the subtree in place, terminating it stops the subtree.
 */
final class SupervisorChild extends Child {

    /** The name a nested supervisor has in events and snapshots. */
    static final String NAME = "supervisor";

    final Supervisor supervisor;

    SupervisorChild(Supervisor owner, Supervisor supervisor, ChildOptions options) {
        super(owner, options);
        this.supervisor = supervisor;
        this.id = supervisor.id();
        this.name = NAME;
    }

    @Override
    CompletableFuture<?> suspend() {
        return supervisor.suspendSubtree();
    }

    @Override
    CompletableFuture<Boolean> resume(long roundEpoch) {
        if (supervisor.isStopping()) {
            return CompletableFuture.completedFuture(false);
        }
        return supervisor.suspendSubtree().thenApply(ignored -> {
            if (!owner.suspendedInTime(this, roundEpoch)) {
                return false;
            }
            supervisor.resumeSubtree();
            return true;
        });
    }

    @Override
    CompletableFuture<?> terminate(StopReason reason) {
        return supervisor.stop(reason);
    }
}

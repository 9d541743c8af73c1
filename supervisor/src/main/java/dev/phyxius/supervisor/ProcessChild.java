package dev.phyxius.supervisor;

import dev.phyxius.process.ProcessId;
import dev.phyxius.process.StopReason;
import dev.phyxius.process.spi.SupervisedProcess;
import dev.phyxius.process.spi.SupervisionHook;
import java.util.concurrent.CompletableFuture;

/** A supervised process, and the hook through which it tells its supervisor how its lives end. */
final class ProcessChild extends Child implements SupervisionHook {

    volatile SupervisedProcess control;
    /** The last suspension the supervisor asked for; a resume waits for it. */
    private volatile CompletableFuture<Void> suspension;

    ProcessChild(Supervisor owner, ProcessId id, String name, ChildOptions options) {
        super(owner, options);
        this.id = id;
        this.name = name;
    }

    @Override
    CompletableFuture<?> suspend() {
        SupervisedProcess process = control;
        if (process == null) {
            return CompletableFuture.completedFuture(null); // still being adopted
        }
        CompletableFuture<Void> future = process.suspend(StopReason.SHUTDOWN);
        suspension = future;
        return future;
    }

    @Override
    CompletableFuture<Boolean> resume(long roundEpoch) {
        SupervisedProcess process = control;
        CompletableFuture<Void> last = suspension;
        if (process == null || process.ref().termination().isDone()) {
            // stopped through its ref while waiting; its hook forgets it
            return CompletableFuture.completedFuture(false);
        }
        // At once if suspended; a child abandoned after its shutdown timeout restarts as soon as
        // it is. Until then the round still covers it (a failure of its old life is no new
        // failure), and a stop or a parent's hold that takes over meanwhile keeps it down.
        CompletableFuture<Void> suspended = last == null ? CompletableFuture.completedFuture(null) : last;
        return suspended.thenApply(ignored -> owner.suspendedInTime(this, roundEpoch) && process.restart());
    }

    @Override
    CompletableFuture<?> terminate(StopReason reason) {
        SupervisedProcess process = control;
        return process == null ? CompletableFuture.completedFuture(null) : process.terminate(reason);
    }

    @Override
    public void ended(SupervisedProcess process, StopReason reason) {
        if (control == null) {
            control = process;
        }
        owner.childEnded(this, reason);
    }

    @Override
    public void terminated(SupervisedProcess process, StopReason reason) {
        owner.childTerminated(this, reason);
    }
}

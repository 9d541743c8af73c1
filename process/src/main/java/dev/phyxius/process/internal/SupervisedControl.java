package dev.phyxius.process.internal;

import dev.phyxius.clock.Cancellable;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.StopReason;
import dev.phyxius.process.internal.ProcessCore.Life;
import dev.phyxius.process.spi.SupervisedProcess;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A supervisor's control over one process: the requests that move a supervised process between
 * lives (see the table in {@link ProcessCore}). Each records its request under the process's
 * monitor, flags it in {@code controlPending} and makes sure a drain will act on it; the drain,
 * which alone owns the process's state, carries it out.
 */
final class SupervisedControl implements SupervisedProcess {

    private final ProcessCore<?, ?, ?> process;

    SupervisedControl(ProcessCore<?, ?, ?> process) {
        this.process = process;
    }

    @Override
    public ProcessRef<?> ref() {
        return process;
    }

    @Override
    public CompletableFuture<Void> suspend(StopReason reason) {
        Objects.requireNonNull(reason, "reason");
        Extras x = process.extras();
        boolean startDrain = false;
        boolean armTimeout = false;
        CompletableFuture<Void> waiter;
        synchronized (process) {
            Life life = process.life;
            if (life == Life.SUSPENDED || life == Life.TERMINATED || life == Life.TERMINATING) {
                return CompletableFuture.completedFuture(null);
            }
            waiter = x.suspendWaiter();
            if (x.suspendReason == null) {
                x.suspendReason = reason;
                process.controlPending = true;
                long previous = process.getAndOrState(MailboxProducerFields.SCHEDULED);
                startDrain = (previous & MailboxProducerFields.SCHEDULED) == 0;
                armTimeout = !startDrain && x.suspendTimer == null;
            }
        }
        if (startDrain) {
            process.startThread();
        }
        if (armTimeout) {
            // Like a stop, a suspend waits for the message in progress only up to the shutdown
            // timeout, then interrupts it.
            Cancellable timer = process.clock.schedule(process.shutdownTimeout, process::suspendTimedOut);
            synchronized (process) {
                if (x.suspendWaiter == null) {
                    timer.cancel(); // already suspended (or ended)
                } else {
                    x.suspendTimer = timer;
                }
            }
        }
        return waiter;
    }

    @Override
    public boolean restart() {
        Extras x = process.extras();
        synchronized (process) {
            if (process.life != Life.SUSPENDED || x.stopReason != null) {
                return false;
            }
            process.life = Life.RESTARTING;
            x.restartRequested = true;
            process.controlPending = true;
            process.getAndOrState(MailboxProducerFields.SCHEDULED);
        }
        process.startThread();
        return true;
    }

    @Override
    public CompletableFuture<StopReason> terminate(StopReason reason) {
        Objects.requireNonNull(reason, "reason");
        Extras x = process.extras();
        synchronized (process) {
            if (x.stopReason == null && reason instanceof StopReason.Error) {
                x.terminateAsFailure = true;
            }
        }
        process.stop(reason);
        return process.termination();
    }

    @Override
    public boolean suspended() {
        synchronized (process) {
            return process.life == Life.SUSPENDED;
        }
    }

    @Override
    public String toString() {
        return "Supervised" + process;
    }
}

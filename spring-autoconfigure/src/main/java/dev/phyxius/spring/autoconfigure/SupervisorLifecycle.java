package dev.phyxius.spring.autoconfigure;

import dev.phyxius.spring.autoconfigure.internal.SupervisionTrees;
import dev.phyxius.supervisor.Supervisor;
import dev.phyxius.supervisor.SupervisorSnapshot;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;

/**
 * Stops the application's supervisors when the application context closes, in Spring's shutdown
 * phase and within its {@code spring.lifecycle.timeout-per-shutdown-phase}.
 *
 * <p><b>Start.</b> A supervisor runs from the moment it is created, so beans may spawn children
 * while the context is being refreshed; starting this lifecycle only marks it running.
 *
 * <p><b>Stop.</b> In {@link #PHASE}, after the web server has stopped taking requests (its
 * graceful shutdown and stop run in higher phases, so requests in flight may still ask processes),
 * every root supervisor bean (one that is not nested in another's tree) is stopped, the last
 * created first; each stops its children one after the other in reverse start order with
 * {@code SHUTDOWN}, lets the message in progress finish, runs {@code onStop}, and reports every
 * message still queued as a {@code MessageDropped} event: nothing is lost silently. Spring waits
 * for all of it up to the phase timeout. If it takes longer (a child's shutdown timeout longer
 * than the phase allows), a warning names what is still stopping, the context goes on closing,
 * and the supervisors finish in the background.
 *
 * <p><b>Destroy.</b> A context closed before it was started (a failed refresh) never runs the
 * lifecycle's stop; {@link #destroy()} then stops the supervisors and waits up to the same
 * timeout, so that no process outlives its context.
 *
 * <p>Thread-safe.
 *
 * @since 0.1
 */
public final class SupervisorLifecycle implements SmartLifecycle, DisposableBean {

    /**
     * The lifecycle phase: below Spring Boot's web server phases ({@code DEFAULT_PHASE - 1024} for
     * graceful shutdown, {@code DEFAULT_PHASE - 2048} for start and stop), so that supervisors
     * start before the server and stop after it.
     */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private static final Log log = LogFactory.getLog(SupervisorLifecycle.class);

    private final Supplier<List<Supervisor>> supervisors;
    private final Duration timeout;
    private final Object lock = new Object();
    /** Guarded by lock. */
    private boolean running;
    /** Guarded by lock; set by the first stop, then returned by every later one. */
    private CompletableFuture<Void> stopped;

    /**
     * A lifecycle for the supervisors {@code supervisors} returns when it stops.
     *
     * @param supervisors the application's supervisors, in creation order; read once, at stop
     * @param timeout     how long a stop may take: the shutdown phase's timeout
     * @throws NullPointerException     if an argument is {@code null}
     * @throws IllegalArgumentException if {@code timeout} is not positive
     */
    public SupervisorLifecycle(Supplier<List<Supervisor>> supervisors, Duration timeout) {
        this.supervisors = Objects.requireNonNull(supervisors, "supervisors");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        this.timeout = timeout;
    }

    @Override
    public void start() {
        synchronized (lock) {
            running = stopped == null;
        }
    }

    /**
     * Stops the supervisors and calls {@code callback} once they have all stopped; returns at
     * once.
     *
     * @param callback Spring's signal that this lifecycle has stopped
     */
    @Override
    public void stop(Runnable callback) {
        CompletableFuture<Void> done = stopAll();
        done.whenComplete((ignored, error) -> callback.run());
        CompletableFuture.delayedExecutor(timeout.toNanos(), TimeUnit.NANOSECONDS)
                .execute(() -> {
                    if (!done.isDone()) {
                        log.warn("Phyxius supervisors did not stop within spring.lifecycle.timeout-per-shutdown-phase ("
                                + timeout + "); the context goes on closing while they finish. Still stopping: "
                                + describe(supervisors.get()));
                    }
                });
    }

    /** Stops the supervisors and waits for them, up to the timeout. */
    @Override
    public void stop() {
        await(stopAll());
    }

    @Override
    public boolean isRunning() {
        synchronized (lock) {
            return running;
        }
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /** Stops the supervisors if no lifecycle stop did, and waits up to the timeout. */
    @Override
    public void destroy() {
        boolean neverStopped;
        synchronized (lock) {
            neverStopped = stopped == null;
        }
        if (neverStopped) {
            await(stopAll());
        }
    }

    /** Starts stopping, once; every call returns the same future. */
    private CompletableFuture<Void> stopAll() {
        synchronized (lock) {
            running = false;
            if (stopped == null) {
                stopped = stopInReverse(SupervisionTrees.roots(supervisors.get()));
            }
            return stopped;
        }
    }

    /** Each root after the one created after it: the reverse of creation, like children. */
    private static CompletableFuture<Void> stopInReverse(List<Supervisor> roots) {
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (int i = roots.size() - 1; i >= 0; i--) {
            Supervisor supervisor = roots.get(i);
            // A supervisor that fails to stop must not keep the ones before it from stopping.
            chain = chain.handle((ignored, error) -> null).thenCompose(ignored -> supervisor.stop());
        }
        return chain;
    }

    private void await(CompletableFuture<Void> done) {
        try {
            done.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            log.warn("Phyxius supervisors did not stop within " + timeout + "; still stopping: "
                    + describe(supervisors.get()));
        } catch (ExecutionException e) {
            log.warn("A Phyxius supervisor failed to stop", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String describe(List<Supervisor> supervisors) {
        StringBuilder out = new StringBuilder();
        for (Supervisor supervisor : supervisors) {
            SupervisorSnapshot snapshot = supervisor.snapshot();
            out.append(out.isEmpty() ? "" : "; ")
                    .append("supervisor ")
                    .append(snapshot.id().value())
                    .append(' ')
                    .append(snapshot.status());
            for (SupervisorSnapshot.Child child : snapshot.children()) {
                out.append(", ")
                        .append(child.name())
                        .append(' ')
                        .append(child.id().value())
                        .append(' ')
                        .append(child.status())
                        .append(" (")
                        .append(child.mailboxSize())
                        .append(" queued)");
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return "SupervisorLifecycle[phase=" + PHASE + ", timeout=" + timeout + "]";
    }
}

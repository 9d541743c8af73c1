package dev.phyxius.simulation.internal;

import dev.phyxius.clock.ClockEvent;
import dev.phyxius.clock.Event;
import dev.phyxius.process.ProcessEvent;
import dev.phyxius.process.ProcessId;
import dev.phyxius.simulation.SimulationFaultException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The failures of one run, in the order they happened: processes that failed (a handler or
 * {@code init} threw), {@code onStop}s that threw, clock tasks that threw, and forked tasks that
 * threw. Crashes the run's own fault plan injected are recorded but expected. Unless the scenario
 * declared that it provokes failures, the first unexpected one fails a run that would otherwise
 * pass, and is named first in a run that fails for another reason: it is the likely cause.
 *
 * <p>Written inside the run's serialized execution; synchronized because the watchdog thread
 * reads it when it ends a stuck run.
 */
public final class Failures {

    /** One failure. */
    public record Failure(String text, Throwable error, boolean injected, ForkFuture<?> fork, boolean watched) {

        /** Whether this failure should fail the run: not injected, and not a fork someone looked at. */
        boolean unnoticed() {
            return !injected && (fork == null || !(watched || fork.observed()));
        }
    }

    private final List<Failure> failures = new ArrayList<>();
    /** Processes whose handler threw and whose failure event has not come yet. */
    private final Map<ProcessId, Integer> handlerFailures = new HashMap<>();

    private volatile boolean expected;

    /** The scenario provokes failures: none of them fails the run. */
    public void expect() {
        expected = true;
    }

    /**
     * A handler threw: the process fails. Recorded now, on the handler's thread, and not when its
     * failure event comes: the failure drops the queued asks first, and an asker may end the run
     * before the event.
     */
    synchronized void handlerThrew(ProcessId process, String name, String message, Throwable error) {
        handlerFailures.merge(process, 1, Integer::sum);
        add(name + " (" + process.value() + ") failed handling " + message + ": " + Render.cause(error), error);
    }

    /** Takes an event into account; ignores those that are not failures. */
    synchronized void event(Event event) {
        switch (event) {
            case ProcessEvent.Failed failed -> {
                Integer pending = handlerFailures.get(failed.id());
                if (pending == null) {
                    // Not a handler: an init on restart, or a failure of the process's own machinery.
                    add(
                            failed.name() + " (" + failed.id().value() + ") failed: " + Render.cause(failed.error()),
                            failed.error());
                } else if (pending == 1) {
                    handlerFailures.remove(failed.id()); // recorded when the handler threw
                } else {
                    handlerFailures.put(failed.id(), pending - 1);
                }
            }
            case ProcessEvent.CleanupFailed cleanup ->
                add(
                        "onStop of " + cleanup.name() + " (" + cleanup.id().value() + ") threw "
                                + Render.cause(cleanup.error()),
                        cleanup.error());
            case ClockEvent.TaskFailed task -> add("a clock task threw " + Render.cause(task.error()), task.error());
            default -> {}
        }
    }

    /** A forked task threw; {@code watched} if something already depended on its future. */
    synchronized void forkFailed(String name, Throwable error, ForkFuture<?> future, boolean watched) {
        failures.add(new Failure(
                "fork " + name + " threw " + Render.cause(error) + " and nothing joined it",
                error,
                false,
                future,
                watched));
    }

    /** The first failure that fails the run, or null. */
    synchronized Failure firstUnexpected() {
        if (expected) {
            return null;
        }
        for (Failure failure : failures) {
            if (failure.unnoticed()) {
                return failure;
            }
        }
        return null;
    }

    /** How many failures fail the run. */
    synchronized int unexpectedCount() {
        if (expected) {
            return 0;
        }
        int count = 0;
        for (Failure failure : failures) {
            count += failure.unnoticed() ? 1 : 0;
        }
        return count;
    }

    private synchronized void add(String text, Throwable error) {
        failures.add(new Failure(text, error, isInjected(error), null, false));
    }

    private static boolean isInjected(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof SimulationFaultException) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }
}

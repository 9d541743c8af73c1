package dev.phyxius.process;

import dev.phyxius.process.internal.CombinedInstrumentation;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A hook around message handling for tracing and timing, given in
 * {@link SpawnOptions#withInstrumentation}. Without one, the hot path does no extra work and
 * allocates nothing.
 *
 * <p>{@link #capture} runs on the sender's thread inside {@code send}/{@code ask};
 * {@link #beforeHandle} and {@link #afterHandle} run on the process's thread around the handler;
 * {@link #attached} and {@link #detached} bracket the process's whole existence;
 * {@link #stopping} and {@link #awaitable} run on the thread that stops the process or gets one of
 * its futures. Implementations must be thread-safe,
 * fast and must not throw; anything thrown is contained and ignored. A process has one
 * instrumentation; {@link #combine} makes one out of two.
 *
 * @since 0.1
 */
public interface ProcessInstrumentation {

    /**
     * Captures what should travel with a message, such as the sender's trace context. Runs before
     * the send takes effect, so it also runs for a message the mailbox then refuses.
     *
     * @param target  the receiving process
     * @param message the message being sent
     * @return an opaque value handed to {@link #beforeHandle}, or {@code null} for nothing
     */
    Object capture(ProcessRef<?> target, Object message);

    /**
     * Called on the process's thread just before the handler runs, e.g. to make a captured trace
     * context current and start a span.
     *
     * @param process     the process
     * @param message     the message about to be handled
     * @param captured    what {@link #capture} returned for it
     * @param queuedNanos how long the message waited in the mailbox, in nanoseconds; {@code -1} if
     *                    the message is not in the process's
     *                    {@linkplain SpawnOptions#withTimingSample timed sample}
     * @return an opaque scope handed to {@link #afterHandle}, or {@code null}
     */
    Object beforeHandle(ProcessRef<?> process, Object message, Object captured, long queuedNanos);

    /**
     * Called on the process's thread right after the handler returned or threw.
     *
     * @param scope          what {@link #beforeHandle} returned
     * @param error          what the handler threw, or {@code null}
     * @param handlingNanos  how long the handler ran, in nanoseconds; {@code -1} if the message is
     *                       not in the process's {@linkplain SpawnOptions#withTimingSample timed
     *                       sample}
     */
    void afterHandle(Object scope, Throwable error, long handlingNanos);

    /**
     * One message in how many this instrumentation needs timed on the process's clock, when the
     * process's options choose no {@linkplain SpawnOptions#withTimingSample timing sample} of their
     * own. The others reach {@link #beforeHandle} and {@link #afterHandle} with {@code -1} for the
     * wait and the handling time (unless {@link #hooksEveryMessage} says not to call them), and emit no {@link ProcessEvent.MessageHandled}; every message is
     * still counted in {@link ProcessRef#handledCount()}. Read once, when a process is spawned.
     *
     * @return 1 (the default) to time every message, or more
     */
    default int timingSample() {
        return 1;
    }

    /**
     * Whether {@link #capture}, {@link #beforeHandle} and {@link #afterHandle} run for every
     * message, or only for the messages of the {@linkplain #timingSample timed sample}. Every
     * message by default, as tracing needs: a trace context travels with each. An instrumentation
     * that works only with timings (a handling-time event, a timer) answers {@code false} and then
     * costs nothing on the other messages, not even a call. Read once, when a process is spawned.
     *
     * @return {@code true} (the default) to be called for every message; {@code false} for the
     *     timed ones only
     */
    default boolean hooksEveryMessage() {
        return true;
    }

    /**
     * Called on the caller's thread when {@code stop} is called on a process, before the stop
     * takes effect: another point where one thread's order is seen by another, like a send (a
     * simulation schedules there).
     *
     * @param process the process being stopped
     * @param reason  the reason given
     */
    default void stopping(ProcessRef<?> process, StopReason reason) {}

    /**
     * Called on the caller's thread with every future a process hands out that the caller may wait
     * on: an ask's answer, a stop's completion, the termination. Lets a simulation know what a
     * blocked thread waits for (a wait-for graph of asks and joins).
     *
     * @param process the process the future belongs to
     * @param future  the future, exactly as returned to the caller
     */
    default void awaitable(ProcessRef<?> process, CompletableFuture<?> future) {}

    /**
     * Called once, on the spawning thread, when a process has started (its first {@code init}
     * returned), before any of its messages is handled: lets an instrumentation keep a handle on
     * its live processes, for example to sample mailbox sizes.
     *
     * @param process the process that started
     */
    default void attached(ProcessRef<?> process) {}

    /**
     * Called once when a process that was {@linkplain #attached attached} has ended for good
     * (stopped, or failed with nobody to restart it), after its final status is set. Not called
     * between the lives of a supervised restart.
     *
     * @param process the process that ended
     * @param reason  why it ended
     */
    default void detached(ProcessRef<?> process, StopReason reason) {}

    /**
     * Two instrumentations as one, each seeing exactly what it would see alone: its own capture and
     * its own scope, and every {@code afterHandle} call, even when its {@code beforeHandle} returned
     * {@code null}. {@code outer} runs first before the handler and last after it, so their scopes
     * nest; one that throws does not keep the other from running.
     *
     * @param outer the one that wraps
     * @param inner the one that is wrapped
     * @return the combination, timing what the more demanding of the two asks for (the smaller
     *     {@link #timingSample}, and every message for both if either {@link #hooksEveryMessage});
     *     allocates a small pair per message and hook
     * @throws NullPointerException if an argument is {@code null}; the message names it
     */
    static ProcessInstrumentation combine(ProcessInstrumentation outer, ProcessInstrumentation inner) {
        return new CombinedInstrumentation(
                Objects.requireNonNull(outer, "outer"), Objects.requireNonNull(inner, "inner"));
    }
}

package dev.phyxius.observability.observation;

import dev.phyxius.process.ProcessId;
import dev.phyxius.process.ProcessRef;
import io.micrometer.observation.Observation;
import java.time.Duration;
import java.util.Objects;

/**
 * What an {@link ProcessObservationConvention} and the registry's handlers see of one message
 * being handled: the process, the message and how long it waited in the mailbox.
 *
 * <p>Made by {@link PhyxiusObservationInstrumentation} on the process's thread just before the
 * handler runs, one per observed message. Like every {@link Observation.Context} it is mutable
 * (handlers store their own state in it) and meant for one observation on one thread at a time.
 *
 * <p>The message is exposed so that a convention can describe it, but its contents must never
 * become low-cardinality key values: each distinct value would make a time series of its own.
 *
 * @since 0.1
 */
public final class ProcessObservationContext extends Observation.Context {

    private final ProcessRef<?> process;
    private final Object message;
    private final long queuedNanos;

    /**
     * A context for {@code message} about to be handled by {@code process}.
     *
     * @param process     the process handling the message
     * @param message     the message
     * @param queuedNanos how long the message waited in the mailbox, in nanoseconds (negative
     *                    readings are taken as 0)
     * @throws NullPointerException if {@code process} or {@code message} is {@code null}
     */
    public ProcessObservationContext(ProcessRef<?> process, Object message, long queuedNanos) {
        this.process = Objects.requireNonNull(process, "process");
        this.message = Objects.requireNonNull(message, "message");
        this.queuedNanos = Math.max(0L, queuedNanos);
    }

    /**
     * The process handling the message.
     *
     * @return the process's ref
     */
    public ProcessRef<?> process() {
        return process;
    }

    /**
     * The process's name, as its spec gives it: bounded, one per kind of process.
     *
     * @return the name
     */
    public String processName() {
        return process.name();
    }

    /**
     * The process's id: one per process, so high-cardinality.
     *
     * @return the id
     */
    public ProcessId processId() {
        return process.id();
    }

    /**
     * The message being handled.
     *
     * @return the message, never {@code null}
     */
    public Object message() {
        return message;
    }

    /**
     * How long the message waited in the mailbox before its handler started, on the process's
     * clock.
     *
     * @return the wait, zero or positive
     */
    public Duration queued() {
        return Duration.ofNanos(queuedNanos);
    }
}

package dev.phyxius.observability.observation;

import dev.phyxius.process.ProcessInstrumentation;
import dev.phyxius.process.ProcessRef;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Micrometer Observation instrumentation of message handling: an {@link Observation} around every
 * observed message, as a child of the observation that was current when the message was sent.
 *
 * <pre>{@code
 * PhyxiusObservationInstrumentation observation = PhyxiusObservationInstrumentation.builder(registry).build();
 * Supervisor supervisor = new Supervisor(SupervisorOptions.of(clock).withInstrumentation(observation));
 * }</pre>
 *
 * <p>Whatever the registry's handlers do with observations happens for messages too: with
 * Micrometer Tracing a span per message, child of the sender's span (an HTTP request's, say);
 * with the meter handler a timer {@value DefaultProcessObservationConvention#NAME}; predicates,
 * filters and conventions of the registry apply as to any other observation. The name and key
 * values come from the {@link ProcessObservationConvention} given to
 * {@link Builder#convention}, else from {@link DefaultProcessObservationConvention}; they are
 * documented by {@link PhyxiusObservationDocumentation#MESSAGE_PROCESS}.
 *
 * <p>How it hooks the process:
 * <ul>
 *   <li>{@link #capture} runs on the sender's thread inside {@code send}/{@code ask} and keeps the
 *       registry's current observation as the parent;</li>
 *   <li>{@link #beforeHandle} starts the message's observation on the process's thread and opens
 *       its scope, so that it is current while the handler runs (observations and spans the
 *       handler starts are its children, and its sends to other processes carry it further);</li>
 *   <li>{@link #afterHandle} records what the handler threw, closes the scope and stops the
 *       observation. Every observation started is stopped, and its scope closed on the thread
 *       that opened it.</li>
 * </ul>
 *
 * <p>Cost control, as with {@code PhyxiusTracing}: by default a message is observed only if its
 * sender was inside an observation, so an unobserved send costs one thread-local read and no
 * object. {@link Builder#startObservationsFor} names processes whose every message is observed,
 * as the root of a new observation when the sender had none. A no-op registry costs nothing.
 *
 * <p>Spans made this way have the kind Micrometer Tracing gives a plain context
 * ({@code INTERNAL}), not {@code CONSUMER}: Micrometer picks the kind from the context's type, and
 * its receiver context would make it look for the parent in message headers, which in-process
 * messages do not have.
 *
 * <p>Thread-safe; one instance serves any number of processes. Its hooks throw only what the
 * registry's handlers or a custom convention throw, and the process contains that.
 *
 * @since 0.1
 */
public final class PhyxiusObservationInstrumentation implements ProcessInstrumentation {

    private static final DefaultProcessObservationConvention DEFAULT_CONVENTION =
            new DefaultProcessObservationConvention();

    /** Captured for a process that starts observations when its sender had none. */
    private static final Object NO_PARENT = new Object() {
        @Override
        public String toString() {
            return "NO_PARENT";
        }
    };

    private final ObservationRegistry registry;
    private final ProcessObservationConvention convention;
    private final Predicate<String> startsObservations;

    private PhyxiusObservationInstrumentation(Builder builder) {
        this.registry = builder.registry;
        this.convention = builder.convention;
        this.startsObservations = builder.startsObservations;
    }

    /**
     * A builder that observes with {@code registry}.
     *
     * @param registry the registry whose handlers receive the observations
     * @return the builder
     * @throws NullPointerException if {@code registry} is {@code null}
     */
    public static Builder builder(ObservationRegistry registry) {
        return new Builder(Objects.requireNonNull(registry, "registry"));
    }

    /**
     * Keeps the sender's current observation as the parent, if the message should be observed.
     *
     * @param target  the receiving process
     * @param message the message (never read)
     * @return the parent {@link Observation}, a marker for a root observation, or {@code null} for
     *     an unobserved message
     */
    @Override
    public Object capture(ProcessRef<?> target, Object message) {
        if (registry.isNoop()) {
            return null;
        }
        Observation parent = registry.getCurrentObservation();
        if (parent != null && !parent.isNoop()) {
            return parent;
        }
        return startsObservations.test(target.name()) ? NO_PARENT : null;
    }

    /**
     * Starts the message's observation and opens its scope.
     *
     * @param process     the process
     * @param message     the message, handed to the convention through the context
     * @param captured    what {@link #capture} returned
     * @param queuedNanos how long the message waited, for the context
     * @return the observation and its scope, or {@code null} for an unobserved message
     */
    @Override
    public Object beforeHandle(ProcessRef<?> process, Object message, Object captured, long queuedNanos) {
        if (captured == null) {
            return null;
        }
        ProcessObservationContext context = new ProcessObservationContext(process, message, queuedNanos);
        Observation observation = PhyxiusObservationDocumentation.MESSAGE_PROCESS.observation(
                convention, DEFAULT_CONVENTION, () -> context, registry);
        if (captured instanceof Observation parent) {
            observation.parentObservation(parent);
        }
        observation.start();
        try {
            return new MessageObservation(observation, observation.openScope());
        } catch (RuntimeException | Error e) {
            // Without a scope afterHandle gets nothing to stop: stop it here, so that no
            // observation is left started.
            observation.error(e);
            observation.stop();
            throw e;
        }
    }

    /**
     * Records the handler's error, closes the scope and stops the observation.
     *
     * @param scope         what {@link #beforeHandle} returned
     * @param error         what the handler threw, or {@code null}
     * @param handlingNanos unused: the observation has its own timing
     */
    @Override
    public void afterHandle(Object scope, Throwable error, long handlingNanos) {
        if (!(scope instanceof MessageObservation message)) {
            return;
        }
        try {
            if (error != null) {
                message.observation().error(error);
            }
        } finally {
            // Close before stop: the process thread must not keep the message's observation
            // current after the handler, whatever a handler of the registry does on stop.
            try {
                message.scope().close();
            } finally {
                message.observation().stop();
            }
        }
    }

    @Override
    public String toString() {
        return "PhyxiusObservationInstrumentation[registry=" + registry + ", convention="
                + (convention == null ? DEFAULT_CONVENTION : convention) + "]";
    }

    /** The observation of one message and its open scope, handed from beforeHandle to afterHandle. */
    private record MessageObservation(Observation observation, Observation.Scope scope) {}

    /**
     * Configures a {@link PhyxiusObservationInstrumentation}. Not thread-safe; {@link #build()} may
     * be called more than once.
     *
     * @since 0.1
     */
    public static final class Builder {

        private final ObservationRegistry registry;
        private ProcessObservationConvention convention;
        private Predicate<String> startsObservations = name -> false;

        private Builder(ObservationRegistry registry) {
            this.registry = registry;
        }

        /**
         * Names and describes observations with {@code convention} instead of
         * {@link DefaultProcessObservationConvention}. As Micrometer specifies, a convention given
         * here wins over one registered globally in the registry's configuration, which in turn
         * wins over the default.
         *
         * @param convention the convention
         * @return this builder
         * @throws NullPointerException if {@code convention} is {@code null}
         */
        public Builder convention(ProcessObservationConvention convention) {
            this.convention = Objects.requireNonNull(convention, "convention");
            return this;
        }

        /**
         * Observes every message of processes whose name matches, as a new root observation when
         * the sender was not inside one. Called on every send to such a process from outside an
         * observation, so it should be cheap, and it must not throw.
         *
         * @param processNames matches the names of processes that start observations
         * @return this builder
         * @throws NullPointerException if {@code processNames} is {@code null}
         */
        public Builder startObservationsFor(Predicate<String> processNames) {
            this.startsObservations = Objects.requireNonNull(processNames, "processNames");
            return this;
        }

        /**
         * The instrumentation, as configured.
         *
         * @return a new instrumentation
         */
        public PhyxiusObservationInstrumentation build() {
            return new PhyxiusObservationInstrumentation(this);
        }
    }
}

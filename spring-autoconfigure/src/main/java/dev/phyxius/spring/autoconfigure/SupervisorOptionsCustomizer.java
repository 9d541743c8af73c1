package dev.phyxius.spring.autoconfigure;

import dev.phyxius.supervisor.SupervisorOptions;

/**
 * Changes the {@link SupervisorOptions} the auto-configuration builds for the root supervisor.
 * Declare beans of this type to add what properties cannot say (a thread factory, an
 * instrumentation of your own); they run in {@link org.springframework.core.annotation.Order}
 * order, after Phyxius's own (observation at order 0, observability at 100).
 *
 * <p>The options a customizer receives already carry the event sink (every {@code EventSink} bean
 * and Phyxius's observability) and instrumentation: to add an instrumentation, combine it with the
 * one there ({@code ProcessInstrumentation.combine}); to add an event sink, declare an
 * {@code EventSink} bean instead, since {@code withEvents} replaces the sink.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface SupervisorOptionsCustomizer {

    /**
     * Returns the options to use instead of {@code options}.
     *
     * @param options the options so far (immutable)
     * @return the options to use; never {@code null}
     */
    SupervisorOptions customize(SupervisorOptions options);
}

package dev.phyxius.spring.autoconfigure.observability;

import dev.phyxius.observability.PhyxiusObservability;

/**
 * Adds to the {@link PhyxiusObservability.Builder} the auto-configuration builds: declare beans of
 * this type to forward events to a sink of your own or to trace processes the properties do not
 * name. They run in {@link org.springframework.core.annotation.Order} order, after Phyxius's own
 * (which set the meter registry and the OpenTelemetry bean when the application has them).
 *
 * @since 0.1
 */
@FunctionalInterface
public interface PhyxiusObservabilityCustomizer {

    /**
     * Configures {@code builder} further.
     *
     * @param builder the builder, with JFR, meters and tracing set as the properties say
     */
    void customize(PhyxiusObservability.Builder builder);
}

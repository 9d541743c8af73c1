package dev.phyxius.spring.autoconfigure.observability;

import dev.phyxius.observability.PhyxiusObservability;
import dev.phyxius.observability.observation.PhyxiusObservationInstrumentation;
import dev.phyxius.observability.observation.ProcessObservationConvention;
import dev.phyxius.process.ProcessInstrumentation;
import dev.phyxius.spring.autoconfigure.PhyxiusAutoConfiguration;
import dev.phyxius.spring.autoconfigure.PhyxiusProperties;
import dev.phyxius.spring.autoconfigure.SupervisorOptionsCustomizer;
import dev.phyxius.spring.autoconfigure.internal.ProcessNames;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.opentelemetry.api.OpenTelemetry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/**
 * Auto-configures Phyxius's observability from what the application context has, and applies it
 * to the root supervisor (and so to every child it spawns).
 *
 * <ul>
 *   <li><b>Observations</b>, with an {@code ObservationRegistry} bean and
 *       {@code phyxius.observation.enabled} (default on): a
 *       {@link PhyxiusObservationInstrumentation} named by a {@link ProcessObservationConvention}
 *       bean if there is one. Spring's own instrumentation works the same way, so the registry's
 *       handlers, predicates and filters apply: with Micrometer Tracing each observed message is a
 *       span, child of the HTTP request's.</li>
 *   <li><b>OpenTelemetry spans</b> through {@code PhyxiusTracing}, with an {@code OpenTelemetry}
 *       bean (Spring Boot's, or the OpenTelemetry Spring Boot starter's), unless observations
 *       already make the spans (see {@code phyxius.opentelemetry.enabled}).</li>
 *   <li><b>Meters</b>, with a {@code MeterRegistry} bean and {@code phyxius.metrics.enabled}
 *       (default on): the {@code phyxius.process.*} meters.</li>
 *   <li><b>JFR events</b> with {@code phyxius.jfr.enabled} (default on).</li>
 * </ul>
 * {@link PhyxiusObservabilityCustomizer} beans add to the builder; a {@link PhyxiusObservability}
 * bean of the application's own replaces the whole of it.
 *
 * @since 0.1
 */
@AutoConfiguration(
        before = PhyxiusAutoConfiguration.class,
        afterName = {
            "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
            "org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration",
            "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration",
            "org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
            "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration"
        })
@ConditionalOnClass({PhyxiusObservability.class, ProcessInstrumentation.class})
@ConditionalOnBooleanProperty(name = "phyxius.enabled", matchIfMissing = true)
@EnableConfigurationProperties(PhyxiusProperties.class)
public final class PhyxiusObservabilityAutoConfiguration {

    PhyxiusObservabilityAutoConfiguration() {}

    /**
     * The observability: JFR as the properties say, then every customizer (meters and tracing
     * first, when the context has them).
     *
     * @param properties  the properties
     * @param customizers the customizers, in order
     * @return the observability
     */
    @Bean
    @ConditionalOnMissingBean
    PhyxiusObservability phyxiusObservability(
            PhyxiusProperties properties, ObjectProvider<PhyxiusObservabilityCustomizer> customizers) {
        PhyxiusObservability.Builder builder =
                PhyxiusObservability.builder().jfr(properties.getJfr().isEnabled());
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        return builder.build();
    }

    /**
     * Applies the observability to the root supervisor's options.
     *
     * @param observability the observability
     * @return the customizer
     */
    @Bean
    @Order(100)
    SupervisorOptionsCustomizer phyxiusObservabilitySupervisorOptions(PhyxiusObservability observability) {
        return observability::apply;
    }

    /** Meters in the application's registry. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    @ConditionalOnBean(MeterRegistry.class)
    @ConditionalOnBooleanProperty(name = "phyxius.metrics.enabled", matchIfMissing = true)
    static class MetricsConfiguration {

        @Bean
        @Order(0)
        PhyxiusObservabilityCustomizer phyxiusMeters(MeterRegistry registry) {
            return builder -> builder.meterRegistry(registry);
        }
    }

    /** Spans through the application's OpenTelemetry, unless observations make them. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(OpenTelemetry.class)
    @ConditionalOnBean(OpenTelemetry.class)
    @ConditionalOnBooleanProperty(name = "phyxius.opentelemetry.enabled", matchIfMissing = true)
    @Conditional(OnOpenTelemetryTracingCondition.class)
    static class OpenTelemetryConfiguration {

        @Bean
        @Order(0)
        PhyxiusObservabilityCustomizer phyxiusOpenTelemetry(OpenTelemetry openTelemetry, PhyxiusProperties properties) {
            PhyxiusProperties.OpenTelemetryTracing tracing = properties.getOpentelemetry();
            return builder -> {
                builder.openTelemetry(openTelemetry);
                if (!tracing.getStartTracesFor().isEmpty()) {
                    builder.startTracesFor(ProcessNames.matcher(tracing.getStartTracesFor()));
                }
                if (tracing.isLinkToSenderSpan()) {
                    builder.linkToSenderSpan();
                }
            };
        }
    }

    /** Observations through the application's registry. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({ObservationRegistry.class, PhyxiusObservationInstrumentation.class})
    @ConditionalOnBean(ObservationRegistry.class)
    @ConditionalOnBooleanProperty(name = "phyxius.observation.enabled", matchIfMissing = true)
    static class ObservationConfiguration {

        @Bean
        @ConditionalOnMissingBean
        PhyxiusObservationInstrumentation phyxiusObservationInstrumentation(
                ObservationRegistry registry,
                PhyxiusProperties properties,
                ObjectProvider<ProcessObservationConvention> convention) {
            PhyxiusObservationInstrumentation.Builder builder = PhyxiusObservationInstrumentation.builder(registry);
            convention.ifAvailable(builder::convention);
            if (!properties.getObservation().getStartFor().isEmpty()) {
                builder.startObservationsFor(
                        ProcessNames.matcher(properties.getObservation().getStartFor()));
            }
            return builder.build();
        }

        /** Sets the instrumentation first, so that the observability applied after wraps inside it. */
        @Bean
        @Order(0)
        SupervisorOptionsCustomizer phyxiusObservationSupervisorOptions(
                PhyxiusObservationInstrumentation instrumentation) {
            return options -> options.withInstrumentation(options.instrumentation()
                    .map(existing -> ProcessInstrumentation.combine(existing, instrumentation))
                    .orElse(instrumentation));
        }
    }
}

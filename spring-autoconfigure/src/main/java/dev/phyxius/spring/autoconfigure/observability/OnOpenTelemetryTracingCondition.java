package dev.phyxius.spring.autoconfigure.observability;

import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;

/**
 * When {@code phyxius.opentelemetry.enabled} is unset, Phyxius's own OpenTelemetry spans are made
 * unless message observations already make them: that is when Micrometer Tracing has a bridge
 * (OpenTelemetry or Brave) and a {@code Tracer} bean, and {@code phyxius.observation.enabled} is
 * not {@code false}. One of the
 * nested conditions must hold; an explicit {@code false} is checked apart.
 */
final class OnOpenTelemetryTracingCondition extends AnyNestedCondition {

    OnOpenTelemetryTracingCondition() {
        super(ConfigurationPhase.REGISTER_BEAN);
    }

    @ConditionalOnBooleanProperty(name = "phyxius.opentelemetry.enabled")
    static final class AskedFor {}

    /** Spring Boot's no-op Tracer, made when Micrometer Tracing has no bridge, makes no spans. */
    @ConditionalOnMissingClass({
        "io.micrometer.tracing.otel.bridge.OtelTracer",
        "io.micrometer.tracing.brave.bridge.BraveTracer"
    })
    static final class NoMicrometerTracingBridge {}

    @ConditionalOnMissingBean(type = "io.micrometer.tracing.Tracer")
    static final class NoMicrometerTracer {}

    @ConditionalOnBooleanProperty(name = "phyxius.observation.enabled", havingValue = false)
    static final class NoObservations {}
}

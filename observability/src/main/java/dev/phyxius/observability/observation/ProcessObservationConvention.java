package dev.phyxius.observability.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names a message observation and gives its key values. Implement it (or extend
 * {@link DefaultProcessObservationConvention}) and hand it to
 * {@link PhyxiusObservationInstrumentation.Builder#convention} to change what Phyxius reports
 * without touching the instrumentation; in a Spring Boot application a bean of this type does the
 * same.
 *
 * <p>Implementations must be thread-safe (one convention serves every process) and should be
 * cheap: they run twice per observed message, when it starts and when it stops.
 *
 * @since 0.1
 */
public interface ProcessObservationConvention extends ObservationConvention<ProcessObservationContext> {

    /**
     * Supports the contexts that {@link PhyxiusObservationInstrumentation} makes.
     *
     * @param context a context
     * @return whether it is a {@link ProcessObservationContext}
     */
    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof ProcessObservationContext;
    }
}

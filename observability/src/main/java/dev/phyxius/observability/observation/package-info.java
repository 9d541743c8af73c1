/**
 * The Micrometer Observation bridge: {@link dev.phyxius.observability.observation.PhyxiusObservationInstrumentation}
 * makes an {@code Observation} of every message handled in an observed flow, named by a
 * replaceable {@link dev.phyxius.observability.observation.ProcessObservationConvention} and
 * documented by {@link dev.phyxius.observability.observation.PhyxiusObservationDocumentation}.
 * Whatever handlers the {@code ObservationRegistry} has turn those observations into timers,
 * spans (through Micrometer Tracing) or logs: the way Spring's own instrumentation works.
 *
 * <p>Needs {@code micrometer.observation} (and the {@code micrometer.commons} it brings); nothing
 * else in Phyxius loads this package.
 */
package dev.phyxius.observability.observation;

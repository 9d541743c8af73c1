/**
 * The Micrometer bridge: {@link dev.phyxius.observability.micrometer.PhyxiusMetrics}, a
 * {@code MeterBinder} fed by process events. Needs {@code micrometer.core}; nothing else in
 * Phyxius loads this package unless given a registry.
 */
package dev.phyxius.observability.micrometer;

/**
 * Phyxius observability: {@link dev.phyxius.observability.PhyxiusObservability}, the one entry
 * point that wires OpenTelemetry spans, Micrometer meters and JFR events into process and
 * supervisor options. The backends live in their own packages ({@code .otel}, {@code .micrometer},
 * {@code .jfr}), each usable alone.
 */
package dev.phyxius.observability;

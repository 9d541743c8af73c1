/**
 * The OpenTelemetry bridge: {@link dev.phyxius.observability.otel.PhyxiusTracing}. Needs
 * {@code io.opentelemetry.api} and {@code io.opentelemetry.context}; nothing else in Phyxius
 * loads this package unless asked to trace.
 */
package dev.phyxius.observability.otel;

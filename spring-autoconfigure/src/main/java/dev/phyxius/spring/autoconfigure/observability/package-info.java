/**
 * Auto-configuration of Phyxius's observability from the application context: observations,
 * OpenTelemetry spans, Micrometer meters and JFR events. Active only with {@code phyxius-observability}
 * on the class path (the starter brings it).
 */
package dev.phyxius.spring.autoconfigure.observability;

/**
 * Phyxius observability: OpenTelemetry spans, Micrometer metrics and JFR events for every
 * lifecycle event. Optional; core modules never depend on it.
 */
module dev.phyxius.observability {
    requires transitive dev.phyxius.process;
    requires transitive dev.phyxius.supervisor;
    requires jdk.jfr;
    requires static io.opentelemetry.api;
    requires static io.opentelemetry.context;
    requires static micrometer.core;
}

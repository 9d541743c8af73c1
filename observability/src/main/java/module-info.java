/**
 * Phyxius observability: OpenTelemetry spans, Micrometer metrics and JFR events for every
 * lifecycle event. Optional; core modules never depend on it.
 *
 * <p>Only {@code jdk.jfr} is required at run time. OpenTelemetry and Micrometer are
 * {@code requires static}: each bridge works wherever its library is present, and the JFR part
 * works in a runtime (jlink-ed or not) that has neither. Each backend has its own package, so
 * loading one never loads another's classes; the entry point {@code PhyxiusObservability} loads a
 * bridge only when the builder was given its library's object.
 */
module dev.phyxius.observability {
    requires transitive dev.phyxius.process;
    requires transitive dev.phyxius.supervisor;
    requires jdk.jfr;
    requires static io.opentelemetry.api;
    requires static io.opentelemetry.context;
    requires static micrometer.core;
    requires static micrometer.observation;
    requires static micrometer.commons;

    exports dev.phyxius.observability;
    exports dev.phyxius.observability.events;
    exports dev.phyxius.observability.otel;
    exports dev.phyxius.observability.micrometer;
    exports dev.phyxius.observability.jfr;
    exports dev.phyxius.observability.observation;
}

/**
 * A user's application as a named module: compiling it proves that every published Phyxius
 * artifact is a named module with the expected name that resolves on the module path without
 * optional dependencies (observability's OpenTelemetry and Micrometer meters are absent here; the
 * Spring Boot modules resolve as automatic modules, with Spring's own jars beside them).
 */
module com.example.consumer {
    requires dev.phyxius.clock;
    requires dev.phyxius.process;
    requires dev.phyxius.supervisor;
    requires dev.phyxius.testing;
    requires dev.phyxius.simulation;
    requires dev.phyxius.observability;
    requires dev.phyxius.analysis;
    requires dev.phyxius.jmc;
    requires dev.phyxius.kafka;
    // Automatic modules, named by their manifests: Spring Boot applications run on the class
    // path, but the names hold on the module path too.
    requires dev.phyxius.spring.autoconfigure;
    requires dev.phyxius.spring.starter;
}

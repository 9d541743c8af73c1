/**
 * A user's application as a named module: compiling it proves that every published Phyxius
 * artifact is a named module with the expected name that resolves on the module path without
 * optional dependencies (observability's OpenTelemetry and Micrometer are absent here).
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
}

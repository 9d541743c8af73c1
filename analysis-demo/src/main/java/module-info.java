/**
 * A small incident to record and report: a slow process with a backlog behind it, a crash loop
 * under a supervisor, and a handler that pins its carrier. Jlink-ed with the report into a
 * runtime of java.base, jdk.jfr and the Phyxius modules, without OpenTelemetry or Micrometer.
 */
module dev.phyxius.analysis.demo {
    requires dev.phyxius.supervisor;
    requires dev.phyxius.observability;

    exports dev.phyxius.analysis.demo;
}

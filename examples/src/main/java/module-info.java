/**
 * Runnable Phyxius examples; small enough to ship as a jlink-ed runtime of java.base and the
 * Phyxius core modules.
 */
module dev.phyxius.examples {
    requires dev.phyxius.supervisor;

    exports dev.phyxius.examples;
}

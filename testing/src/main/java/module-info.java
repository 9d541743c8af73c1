/**
 * Phyxius testing: the ControlledClock and a test kit for deterministic process tests.
 */
module dev.phyxius.testing {
    requires transitive dev.phyxius.clock;
    requires transitive dev.phyxius.process;
    requires transitive dev.phyxius.supervisor;

    exports dev.phyxius.testing;
}

/**
 * Phyxius supervisor: restart strategies, intensity, backoff and escalation.
 */
module dev.phyxius.supervisor {
    requires transitive dev.phyxius.process;

    exports dev.phyxius.supervisor;
    exports dev.phyxius.supervisor.spi to
            dev.phyxius.testing;
}

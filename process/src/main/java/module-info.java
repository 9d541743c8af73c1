/**
 * Phyxius process: processes that own state and a bounded mailbox, on virtual threads.
 */
module dev.phyxius.process {
    requires transitive dev.phyxius.clock;

    exports dev.phyxius.process;
    exports dev.phyxius.process.spi to
            dev.phyxius.supervisor,
            dev.phyxius.testing,
            dev.phyxius.observability;
}

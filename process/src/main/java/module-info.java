/**
 * Phyxius process: processes that own state and a bounded mailbox, on virtual threads.
 */
module dev.phyxius.process {
    requires transitive dev.phyxius.clock;
}

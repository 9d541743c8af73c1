/**
 * Phyxius clock.
 */
module dev.phyxius.clock {
    exports dev.phyxius.clock;
}

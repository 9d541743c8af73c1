/**
 * Phyxius simulation: seeded, replayable runs of processes under a scheduler that picks every
 * interleaving, with virtual time and injected faults.
 *
 * <p>It reaches the JDK's non-public seam for custom virtual thread schedulers, so the JVM must
 * run with {@code --add-opens java.base/java.lang=dev.phyxius.simulation} (or
 * {@code =ALL-UNNAMED} on the class path). The rest of the test kit, in
 * {@code dev.phyxius.testing}, needs no such flag.
 */
module dev.phyxius.simulation {
    requires transitive dev.phyxius.testing;
    // Optional at run time: only the JUnit extension (@SimulationTest) needs it.
    requires static org.junit.jupiter.api;

    exports dev.phyxius.simulation;
}

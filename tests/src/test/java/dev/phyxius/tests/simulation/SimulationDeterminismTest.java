package dev.phyxius.tests.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phyxius.simulation.Simulation;
import dev.phyxius.simulation.SimulationOutcome;
import dev.phyxius.simulation.SimulationResult;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One seed, one interleaving; many seeds, many interleavings. */
@Timeout(120)
class SimulationDeterminismTest {

    @Test
    void theSameSeedGivesTheSameLogEventForEvent() {
        for (long seed : new long[] {0, 1, 42, 12345}) {
            SimulationResult first = Simulation.run(seed, Scenarios.twoSendersOneSink(5, new ArrayList<>()));
            first.assertPassed();
            for (int rerun = 0; rerun < 5; rerun++) {
                SimulationResult again = Simulation.run(seed, Scenarios.twoSendersOneSink(5, new ArrayList<>()));
                assertEquals(first.logLines(), again.logLines(), "seed " + seed + ", rerun " + rerun);
            }
        }
    }

    @Test
    void differentSeedsExploreDifferentInterleavingsOfTwoSendersToAThird() {
        List<List<String>> orders = new ArrayList<>();
        for (long seed = 0; seed < 200; seed++) {
            Simulation.run(seed, Scenarios.twoSendersOneSink(3, orders)).assertPassed();
        }
        Set<List<String>> distinct = new HashSet<>(orders);
        // Each sender's three notes keep their order, so there are C(6,3) = 20 possible orders.
        assertTrue(distinct.size() >= 10, "only " + distinct.size() + " distinct orders in 200 seeds: " + distinct);
        assertTrue(distinct.size() <= 20, "an order broke per-sender FIFO: " + distinct);
        for (List<String> order : distinct) {
            assertEquals(
                    List.of("a1", "a2", "a3"),
                    order.stream().filter(s -> s.startsWith("a")).toList());
            assertEquals(
                    List.of("b1", "b2", "b3"),
                    order.stream().filter(s -> s.startsWith("b")).toList());
        }
    }

    @Test
    void differentSeedsGiveDifferentLogs() {
        SimulationResult one = Simulation.run(1, Scenarios.twoSendersOneSink(5, new ArrayList<>()));
        SimulationResult other = Simulation.run(2, Scenarios.twoSendersOneSink(5, new ArrayList<>()));
        assertEquals(SimulationOutcome.PASSED, one.outcome());
        assertNotEquals(one.logLines(), other.logLines());
    }
}

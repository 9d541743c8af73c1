package dev.phyxius.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.Reply;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * PCT against the random walk on bugs that need one actor to run many steps uninterrupted: the
 * random walk's chance halves with each step, PCT's does not.
 *
 * <p>The scenario: an uploader sends scores to a leaderboard one by one while a viewer asks for
 * the top page once. The board's paging has an off-by-one that shows only when the viewer's ask
 * lands at a particular moment of the upload.
 */
@Timeout(300)
class PctTest {

    sealed interface BoardMsg {}

    record Score(int points) implements BoardMsg {}

    record Top(Reply<List<Integer>> reply) implements BoardMsg {}

    /**
     * A board whose top page breaks when it holds exactly {@code broken} scores (the last entry
     * of a full page is read one past the end), or {@code broken} scores or more if
     * {@code orMore}.
     */
    static ProcessSpec<BoardMsg, List<Integer>, Void> board(int broken, boolean orMore) {
        return ProcessSpec.<BoardMsg, List<Integer>>named("board")
                .init(() -> new ArrayList<>())
                .handler((scores, msg, tools) -> switch (msg) {
                    case Score score -> {
                        scores.add(score.points());
                        yield scores;
                    }
                    case Top top -> {
                        int shown = Math.min(scores.size(), broken);
                        boolean atTheBrokenPage = orMore ? scores.size() >= broken : scores.size() == broken;
                        List<Integer> page = new ArrayList<>(scores.subList(0, atTheBrokenPage ? shown - 1 : shown));
                        if (atTheBrokenPage) {
                            page.add(scores.get(shown)); // off by one
                        }
                        top.reply().send(page);
                        yield scores;
                    }
                })
                .build();
    }

    /** The uploader sends {@code uploads} scores, the viewer asks for the top page once, concurrently. */
    static SimulationScenario uploadWhileViewing(int uploads, int broken, boolean orMore) {
        return sim -> {
            ProcessRef<BoardMsg> board = sim.spawn(board(broken, orMore));
            CompletableFuture<Void> uploader = sim.fork("uploader", () -> {
                for (int i = 1; i <= uploads; i++) {
                    board.send(new Score(i));
                }
                return null;
            });
            CompletableFuture<List<Integer>> viewer =
                    sim.fork("viewer", () -> board.<List<Integer>>ask(Top::new).join());
            uploader.join();
            viewer.join();
        };
    }

    static int failingSeeds(int seeds, SimulationStrategy strategy, SimulationScenario scenario) {
        SimulationOptions options = SimulationOptions.defaults().withStrategy(strategy);
        int failing = 0;
        for (long seed = 0; seed < seeds; seed++) {
            SimulationResult result = Simulation.run(seed, options, scenario);
            failing += result.passed() ? 0 : 1;
        }
        return failing;
    }

    @Test
    void aBugThatNeedsSixUninterruptedStepsFailsFiveTimesMoreSeedsUnderPct() {
        // The top page breaks once all six scores are in: the viewer's ask must wait for six sends.
        SimulationScenario sixSteps = uploadWhileViewing(6, 6, true);
        int random = failingSeeds(300, SimulationStrategy.random(), sixSteps);
        int pct = failingSeeds(300, SimulationStrategy.defaults(), sixSteps);
        assertTrue(pct >= 5 * random && pct >= 90, "pct failed " + pct + " of 300 seeds, random " + random);
    }

    @Test
    void pctFindsTheSixStepBugAtAnEarlierSeedThanTheRandomWalk() {
        SimulationScenario sixSteps = uploadWhileViewing(6, 6, true);
        SimulationExploration random = Simulation.explore(
                300, SimulationOptions.defaults().withStrategy(SimulationStrategy.random()), sixSteps);
        SimulationExploration pct = Simulation.explore(300, SimulationOptions.defaults(), sixSteps);
        assertFalse(pct.passed());
        assertTrue(
                pct.seedsRun() < random.seedsRun(),
                "pct needed " + pct.seedsRun() + " seeds, random " + random.seedsRun());
    }

    @Test
    void theRandomWalksChanceHalvesWithEachStepTheBugNeedsWhilePctsStaysAboveItsBound() {
        int[] random = new int[4];
        int[] pct = new int[4];
        for (int i = 0; i < 4; i++) {
            int steps = 2 * (i + 1); // 2, 4, 6, 8 uninterrupted sends
            SimulationScenario scenario = uploadWhileViewing(steps, steps, true);
            random[i] = failingSeeds(200, SimulationStrategy.random(), scenario);
            pct[i] = failingSeeds(200, SimulationStrategy.pct(1), scenario);
        }
        String counts = "random " + Arrays.toString(random) + ", pct(1) " + Arrays.toString(pct)
                + " failing seeds of 200 for 2, 4, 6, 8 steps";
        assertTrue(random[3] * 4 <= random[1], counts);
        // Depth 1: the bound is 1/n, n = 4 actors (scenario, board, uploader, viewer): 50 of 200.
        for (int failing : pct) {
            assertTrue(failing >= 50, counts);
        }
    }

    @Test
    void aDepthTwoBugIsFoundByPctAtLeastAsOftenAsItsGuaranteeSays() {
        // Breaks only when the viewer's ask lands after exactly ten of twenty scores: the uploader
        // runs ten steps, then the viewer, then the uploader again. Two orderings: depth 2.
        SimulationScenario tenOfTwenty = uploadWhileViewing(20, 10, false);
        SimulationStrategy depthTwo = SimulationStrategy.pct(2);
        long k = Simulation.run(0, SimulationOptions.defaults().withStrategy(depthTwo), tenOfTwenty)
                .strategy()
                .steps()
                .orElseThrow();
        int pct = failingSeeds(1000, depthTwo, tenOfTwenty);
        int random = failingSeeds(1000, SimulationStrategy.random(), tenOfTwenty);
        // 1 / (n * k^(d-1)) with n = 4 actors and d = 2.
        double bound = 1.0 / (4 * k);
        assertTrue(
                pct >= bound * 1000, pct + " of 1000 seeds failed, the bound is " + bound * 1000 + " (k = " + k + ")");
        assertTrue(pct >= 3 * Math.max(1, random), "pct failed " + pct + " of 1000 seeds, random " + random);
    }

    @Test
    void pastItsStepsPctGoesOnAsARandomWalkSoAPollerCannotStarveTheActorItWaitsFor() {
        SimulationScenario polling = sim -> {
            AtomicBoolean ready = new AtomicBoolean();
            ProcessRef<String> poller = sim.spawn(ProcessSpec.<String, Integer>named("poller")
                    .init(() -> 0)
                    .handler((polls, msg, tools) -> {
                        if (!ready.get()) {
                            tools.self().send("poll"); // busy, but through its mailbox: each poll is a step
                        }
                        return polls + 1;
                    })
                    .build());
            poller.send("poll");
            sim.fork("setter", () -> {
                        ready.set(true);
                        return null;
                    })
                    .join();
        };
        // With strict priorities a poller above the setter would poll until the step limit.
        SimulationOptions options = SimulationOptions.defaults()
                .withStrategy(SimulationStrategy.pct(3, 50))
                .withMaxSteps(100_000);
        SimulationExploration exploration = Simulation.explore(100, options, polling);
        exploration.assertPassed();
        assertEquals(100, exploration.seedsRun());
    }

    @Test
    void strategiesRejectWhatHasNoMeaning() {
        IllegalArgumentException depth = assertThrows(IllegalArgumentException.class, () -> SimulationStrategy.pct(0));
        assertEquals("depth must be >= 1, was 0", depth.getMessage());
        IllegalArgumentException steps =
                assertThrows(IllegalArgumentException.class, () -> SimulationStrategy.pct(2, 0));
        assertEquals("steps must be >= 1, was 0", steps.getMessage());
        assertEquals("pct(3)", SimulationStrategy.defaults().toString());
        assertEquals("pct(2, 40)", SimulationStrategy.pct(2, 40).toString());
        assertEquals("random()", SimulationStrategy.random().toString());
    }
}

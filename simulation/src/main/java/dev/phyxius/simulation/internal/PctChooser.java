package dev.phyxius.simulation.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Probabilistic concurrency testing (Burckhardt, Kothari, Musuvathi and Nagarakatte, "A
 * Randomized Scheduler with Probabilistic Guarantees of Finding Bugs", ASPLOS 2010).
 *
 * <p>Every actor (a process, the scenario, a forked task) gets a random priority the first time
 * one of its threads is ready, and the ready thread of highest priority always runs. Before the
 * run, {@code depth - 1} distinct change points are drawn from steps {@code 1..k}; the actor that
 * runs at the {@code i}-th change point drops to priority {@code i}, below every priority given
 * at first sight. For a program of {@code n} actors and at most {@code k} steps, a bug of depth
 * {@code d} (one that needs {@code d} ordering constraints between steps to show) is then hit by
 * a run with probability at least {@code 1 / (n * k^(d-1))}, however many steps the bug needs an
 * actor to run uninterrupted.
 *
 * <p>Priorities drawn as independent uniform values give the paper's random permutation (and
 * place an actor seen late at a uniformly random rank among the others) without knowing
 * {@code n} in advance. Past step {@code k} the run goes on as a random walk, which is fair: a
 * high-priority actor spinning on a lower one (polling, a retry loop) would otherwise starve it
 * until the step limit.
 */
final class PctChooser implements Chooser {

    private final SplittableRandom random;
    private final int depth;
    private final long k;
    /** Step number to the low priority its change point assigns (1 .. depth-1). */
    private final Map<Long, Integer> changePoints = new HashMap<>();
    /** Each actor's priority: first-sight ones in [depth, depth+1), lowered ones 1 .. depth-1. */
    private final Map<String, Double> priorities = new HashMap<>();

    PctChooser(SplittableRandom random, int depth, long k) {
        this.random = random;
        this.depth = depth;
        this.k = k;
        int points = (int) Math.min(depth - 1L, k);
        for (int i = 1; i <= points; i++) {
            long step;
            do {
                step = 1 + random.nextLong(k);
            } while (changePoints.containsKey(step));
            changePoints.put(step, i);
        }
    }

    @Override
    public int choose(List<SimThread> ready, long step) {
        if (step > k) {
            return ready.size() == 1 ? 0 : random.nextInt(ready.size());
        }
        int best = 0;
        double bestPriority = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < ready.size(); i++) {
            double priority = priorityOf(ready.get(i).key);
            // Strictly greater: of two ready threads of one actor, the one ready first runs.
            if (priority > bestPriority) {
                best = i;
                bestPriority = priority;
            }
        }
        Integer lowered = changePoints.get(step);
        if (lowered != null) {
            priorities.put(ready.get(best).key, (double) lowered);
        }
        return best;
    }

    /** The actor's priority, drawn the first time it is ready (in a deterministic order). */
    private double priorityOf(String key) {
        Double priority = priorities.get(key);
        if (priority == null) {
            priority = depth + random.nextDouble();
            priorities.put(key, priority);
        }
        return priority;
    }
}

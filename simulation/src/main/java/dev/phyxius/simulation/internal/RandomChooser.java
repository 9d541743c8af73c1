package dev.phyxius.simulation.internal;

import java.util.List;
import java.util.SplittableRandom;

/** The random walk: every ready thread is equally likely to run next. */
final class RandomChooser implements Chooser {

    private final SplittableRandom random;

    RandomChooser(SplittableRandom random) {
        this.random = random;
    }

    @Override
    public int choose(List<SimThread> ready, long step) {
        // No draw when there is no choice: the stream then moves only at real decisions.
        return ready.size() == 1 ? 0 : random.nextInt(ready.size());
    }
}

package dev.phyxius.simulation.internal;

import java.util.List;

/**
 * Picks which ready thread runs next: the one decision that shapes an interleaving. Its only
 * source of randomness is a stream of the run's seed, so a seed fixes every choice.
 */
interface Chooser {

    /**
     * Chooses the thread to run at a step.
     *
     * @param ready the ready threads, in the order they became ready; never empty
     * @param step  the number of this step, from 1
     * @return an index into {@code ready}
     */
    int choose(List<SimThread> ready, long step);
}

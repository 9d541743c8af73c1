package dev.phyxius.simulation.internal;

import dev.phyxius.simulation.SimulationFaultException;
import dev.phyxius.simulation.SimulationFaults;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * Draws the faults of one run from its own stream of the seed. Every draw happens inside the
 * serialized execution (a handler, a schedule call), so the same seed draws the same faults at
 * the same points; each injected fault is written to the journal.
 */
public final class FaultPlan {

    private final SimulationFaults faults;
    private final SplittableRandom random;
    private final Journal journal;

    public FaultPlan(SimulationFaults faults, long seed, Journal journal) {
        this.faults = faults;
        // A stream of its own, so that the scheduler's draws do not depend on how many faults were drawn.
        this.random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        this.journal = journal;
    }

    /**
     * Throws an injected crash, or returns so that the handler runs. Only processes and messages
     * the faults aim at are drawn for; the others do not move the fault stream.
     */
    void maybeCrash(String process, Object message) {
        if (faults.crashProbability() > 0
                && faults.aimsAt(process, message)
                && random.nextDouble() < faults.crashProbability()) {
            String type = Render.type(message.getClass());
            journal.add(process, "fault: injected crash handling " + type);
            throw new SimulationFaultException("injected crash of '" + process + "' handling " + type);
        }
    }

    /**
     * The delay to use for a one-shot timer or a sleep asked for {@code delay}, by {@code owner}.
     *
     * @param what {@code timer} or {@code sleep}, for the log
     */
    Duration delay(Duration delay, String owner, String what) {
        if (faults.delayProbability() > 0 && random.nextDouble() < faults.delayProbability()) {
            long extra = 1 + random.nextLong(Math.max(1, faults.maxDelay().toNanos()));
            Duration delayed = delay.plusNanos(extra);
            journal.add(
                    owner,
                    "fault: " + what + " of " + Durations.format(delay) + " delayed by "
                            + Durations.format(Duration.ofNanos(extra)));
            return delayed;
        }
        return delay;
    }

    /** The mailbox size for a spec asking for {@code asked}. */
    int capacity(int asked) {
        int cap = faults.mailboxCapacity();
        return cap > 0 ? Math.min(cap, asked) : asked;
    }
}

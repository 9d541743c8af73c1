package dev.phyxius.supervisor;

import dev.phyxius.clock.Cancellable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One restart round: its members are taken down (reverse start order, each waited for up to its
 * shutdown timeout), the backoff is waited for on the supervisor's clock, and the members still
 * covered are started again (start order). The round belongs to the supervisor's epoch at its
 * start: a stop or a parent's hold moves the epoch on and voids it at its next step.
 *
 * <p>While a round takes its members down or restarts them it counts as a decision in flight
 * ({@link Supervisor#deciding}); while it waits for its backoff timer it does not: the timer
 * shows that work to whoever moves the clock.
 */
final class RestartRound {

    private final Supervisor owner;
    private final Child failed;
    private final List<Child> members;
    private final int attempt;
    private final Duration delay;
    private final long epoch;
    /** The backoff timer once set; guarded by the owner's lock. */
    private Cancellable timer;

    private RestartRound(Supervisor owner, Child failed, List<Child> members, int attempt, Duration delay, long epoch) {
        this.owner = owner;
        this.failed = failed;
        this.members = members;
        this.attempt = attempt;
        this.delay = delay;
        this.epoch = epoch;
    }

    /**
     * Starts a round for {@code failed}: marks the members (leaving ones for good), counts the
     * round in flight, and returns what to run once the lock is released. Guarded by the owner's
     * lock.
     */
    static Runnable begin(
            Supervisor owner, Child failed, RoundMembers<Child> members, int attempt, Duration delay, long epoch) {
        for (Child member : members.covered()) {
            if (members.leaving().contains(member)) {
                member.phase = Child.Phase.HELD;
                member.leaving = true;
            } else {
                member.phase = Child.Phase.RESTARTING;
            }
        }
        owner.inFlight++; // until the round waits for its timer, or has resumed every member
        RestartRound round = new RestartRound(owner, failed, members.covered(), attempt, delay, epoch);
        return () -> owner.takeDown(round.members).thenRun(round::arm);
    }

    /** Every member has run {@code onStop}: wait for the backoff, then restart them. */
    private void arm() {
        owner.lock.lock();
        try {
            if (!owner.isCurrent(epoch)) {
                owner.inFlight--;
                return; // a stop or a parent's hold took over
            }
            if (!delay.isZero()) {
                // The timer removes itself under the lock, which we hold until it is in the set.
                // Scheduling under the lock is safe: a Clock never runs a task on the thread that
                // schedules it, and does not block.
                timer = owner.clock.schedule(delay, this::restartOnTimer);
                owner.backoffTimers.add(timer);
                owner.inFlight--; // the timer shows the work now
                // Delivered once the timer is set, so that whoever waits for it may move the clock.
                owner.emit(new SupervisorEvent.RestartScheduled(
                        owner.clock.now(), owner.id(), failed.id, failed.name, attempt, delay));
                return;
            }
            owner.emit(new SupervisorEvent.RestartScheduled(
                    owner.clock.now(), owner.id(), failed.id, failed.name, attempt, delay));
        } finally {
            owner.unlock();
        }
        // Backoff.none(): at once, with no clock advance needed; the round stays in flight.
        restart();
    }

    private void restartOnTimer() {
        owner.lock.lock();
        try {
            owner.backoffTimers.remove(timer);
            owner.inFlight++;
        } finally {
            owner.unlock();
        }
        restart();
    }

    /** Restarts the members still covered; takes over the round's count in flight. */
    private void restart() {
        List<Child> restarting = new ArrayList<>(members.size());
        owner.lock.lock();
        try {
            if (!owner.isCurrent(epoch)) {
                owner.inFlight--;
                return;
            }
            for (Child member : members) {
                if (member.phase == Child.Phase.RESTARTING && owner.registry.contains(member)) {
                    // It stays RESTARTING (covered by this round) until resume finds it suspended.
                    // Counted before the restart starts, so that whoever sees the fresh life sees
                    // the count too; taken back if the child ended meanwhile.
                    owner.registry.countRestart(member.id, 1);
                    restarting.add(member);
                }
            }
        } finally {
            owner.unlock();
        }
        try {
            for (Child member : restarting) {
                owner.resume(member, epoch, attempt, delay);
            }
        } finally {
            // A member still finishing its old life restarts when it suspends; it shows as busy.
            owner.settled();
        }
    }
}

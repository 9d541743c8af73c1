package dev.phyxius.simulation.internal;

import dev.phyxius.clock.Cancellable;
import dev.phyxius.clock.Clock;
import dev.phyxius.clock.Timestamp;
import dev.phyxius.testing.ControlledClock;
import java.time.Duration;
import java.util.Objects;

/**
 * The clock processes see in a simulation: the simulation's {@link ControlledClock}, with
 * one-shot timers and sleeps delayed as the fault plan draws. Reads are counted, so that a
 * handler waiting for time in a busy loop is reported instead of spinning forever (time moves
 * only when nothing runs), and a thread of a run that is over is stopped at its next call.
 */
public final class DelayingClock implements Clock {

    private final ControlledClock clock;
    private final FaultPlan plan;
    private final Scheduler scheduler;

    public DelayingClock(ControlledClock clock, FaultPlan plan, Scheduler scheduler) {
        this.clock = clock;
        this.plan = plan;
        this.scheduler = scheduler;
    }

    @Override
    public Timestamp now() {
        scheduler.clockRead();
        return clock.now();
    }

    @Override
    public long monoNanos() {
        scheduler.clockRead();
        return clock.monoNanos();
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        Objects.requireNonNull(delay, "delay");
        scheduler.stopIfOver();
        return clock.schedule(plan.delay(delay, owner(), "timer"), task);
    }

    @Override
    public Cancellable scheduleAtFixedRate(Duration period, Runnable task) {
        scheduler.stopIfOver();
        return clock.scheduleAtFixedRate(period, task);
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        Objects.requireNonNull(duration, "duration");
        scheduler.stopIfOver();
        clock.sleep(plan.delay(duration, owner(), "sleep"));
    }

    /** Who schedules: the running simulated thread, or the clock for a timer's own timer. */
    private String owner() {
        SimThread current = scheduler.current();
        return current != null ? current.name : "clock";
    }

    @Override
    public String toString() {
        return "SimulationClock[" + clock + "]";
    }
}

package dev.phyxius.simulation.internal;

import dev.phyxius.clock.Cancellable;
import dev.phyxius.clock.Clock;
import dev.phyxius.clock.Timestamp;
import dev.phyxius.testing.ControlledClock;
import java.time.Duration;
import java.util.Objects;

/**
 * The clock processes see in a simulation: the simulation's {@link ControlledClock}, with
 * one-shot timers delayed as the fault plan draws. Without timer faults it only forwards.
 */
public final class DelayingClock implements Clock {

    private final ControlledClock clock;
    private final FaultPlan plan;

    public DelayingClock(ControlledClock clock, FaultPlan plan) {
        this.clock = clock;
        this.plan = plan;
    }

    @Override
    public Timestamp now() {
        return clock.now();
    }

    @Override
    public long monoNanos() {
        return clock.monoNanos();
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        Objects.requireNonNull(delay, "delay");
        return clock.schedule(plan.delay(delay), task);
    }

    @Override
    public Cancellable scheduleAtFixedRate(Duration period, Runnable task) {
        return clock.scheduleAtFixedRate(period, task);
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        clock.sleep(duration);
    }

    @Override
    public String toString() {
        return "SimulationClock[" + clock + "]";
    }
}

package dev.phyxius.supervisor;

import dev.phyxius.clock.Cancellable;
import dev.phyxius.clock.Clock;
import dev.phyxius.clock.Timestamp;
import java.time.Duration;

/** A clock that never moves and never fires: enough for tests of configuration and validation. */
final class StillClock implements Clock {
    @Override
    public Timestamp now() {
        return new Timestamp(0L, 0L);
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        return () -> true;
    }

    @Override
    public Cancellable scheduleAtFixedRate(Duration period, Runnable task) {
        return () -> true;
    }

    @Override
    public void sleep(Duration duration) {
        throw new UnsupportedOperationException("a still clock never wakes up");
    }
}

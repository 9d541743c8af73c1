package dev.phyxius.clock.internal;

import dev.phyxius.clock.Cancellable;
import dev.phyxius.clock.Clock;
import dev.phyxius.clock.EventSink;
import dev.phyxius.clock.Timestamp;
import java.time.Duration;

/** Placeholder until the system clock lands. */
public final class SystemClock implements Clock {
    public static Clock silent() { throw new UnsupportedOperationException(); }
    public static Clock reportingTo(EventSink events) { throw new UnsupportedOperationException(); }
    @Override public Timestamp now() { throw new UnsupportedOperationException(); }
    @Override public Cancellable schedule(Duration delay, Runnable task) { throw new UnsupportedOperationException(); }
    @Override public Cancellable scheduleAtFixedRate(Duration period, Runnable task) { throw new UnsupportedOperationException(); }
    @Override public void sleep(Duration duration) { throw new UnsupportedOperationException(); }
}

package dev.phyxius.simulation.internal;

import dev.phyxius.clock.Event;
import dev.phyxius.clock.EventSink;
import dev.phyxius.simulation.SimulationEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The event log of one run. Entries are added from inside the serialized execution (the
 * scheduler loop or the one simulated thread it runs), so their order is the run's order; the
 * lock only guards against a foreign thread that reports into a run it does not belong to. Once
 * the run is over the log takes nothing more, and a simulated thread of the run that still tries
 * to write is stopped there (see {@link Scheduler#stopIfOver()}).
 */
public final class Journal implements EventSink {

    /** Reads the simulation clock's monotonic time. */
    private final LongSupplier monoNanos;

    private final Failures failures;
    private final MessageText messages;
    private final List<SimulationEvent> events = new ArrayList<>();
    private Scheduler scheduler;
    private volatile boolean closed;

    Journal(LongSupplier monoNanos, Failures failures, MessageText messages) {
        this.monoNanos = monoNanos;
        this.failures = failures;
        this.messages = messages;
    }

    /** Binds the scheduler that decides when the run is over. */
    void bind(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /**
     * Adds one entry at the clock's current monotonic time.
     *
     * @return the entry's number, for {@link #amend}; 0 once the log is closed
     */
    public int add(String source, String text) {
        if (closed) {
            stopIfOver();
            return 0;
        }
        synchronized (this) {
            int number = events.size() + 1;
            events.add(new SimulationEvent(number, Duration.ofNanos(monoNanos.getAsLong()), source, text));
            return number;
        }
    }

    /**
     * Rewrites the text of an entry that turned out to say too little (a send that was an ask's),
     * keeping its place, time and source. Does nothing once the log is closed, or for 0.
     */
    void amend(int number, String text) {
        if (closed || number == 0) {
            return;
        }
        synchronized (this) {
            SimulationEvent entry = events.get(number - 1);
            events.set(number - 1, new SimulationEvent(number, entry.at(), entry.source(), text));
        }
    }

    /** Adds a process, supervisor or clock event, formatted so that the text is the same every run. */
    @Override
    public void emit(Event event) {
        if (closed) {
            stopIfOver();
            return;
        }
        failures.event(event);
        add(EventFormat.source(event), EventFormat.text(event, messages));
    }

    /** The last entry of the run has been written (its verdict). */
    void close() {
        closed = true;
    }

    public synchronized List<SimulationEvent> snapshot() {
        return List.copyOf(events);
    }

    public synchronized int size() {
        return events.size();
    }

    private void stopIfOver() {
        Scheduler bound = scheduler;
        if (bound != null) {
            bound.stopIfOver();
        }
    }
}

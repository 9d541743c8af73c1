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
 * lock only guards against a foreign thread that reports into a run it does not belong to.
 */
public final class Journal implements EventSink {

    /** Reads the simulation clock's monotonic time. */
    private final LongSupplier monoNanos;
    private final List<SimulationEvent> events = new ArrayList<>();

    public Journal(LongSupplier monoNanos) {
        this.monoNanos = monoNanos;
    }

    /** Adds one entry at the clock's current monotonic time. */
    public synchronized void add(String source, String text) {
        events.add(new SimulationEvent(events.size() + 1, Duration.ofNanos(monoNanos.getAsLong()), source, text));
    }

    /** Adds a process, supervisor or clock event, formatted so that the text is the same every run. */
    @Override
    public void emit(Event event) {
        add(EventFormat.source(event), EventFormat.text(event));
    }

    public synchronized List<SimulationEvent> snapshot() {
        return List.copyOf(events);
    }

    public synchronized int size() {
        return events.size();
    }
}

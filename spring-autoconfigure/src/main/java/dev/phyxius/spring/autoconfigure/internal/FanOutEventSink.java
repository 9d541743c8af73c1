package dev.phyxius.spring.autoconfigure.internal;

import dev.phyxius.clock.Event;
import dev.phyxius.clock.EventSink;
import java.util.List;

/**
 * Hands every event to several sinks in order. A sink that throws neither stops the others nor
 * reaches the process that emitted the event: one broken listener must not cost the rest their
 * events. Not part of the API.
 */
public final class FanOutEventSink implements EventSink {

    private final EventSink[] sinks;

    private FanOutEventSink(EventSink[] sinks) {
        this.sinks = sinks;
    }

    /**
     * One sink for all of {@code sinks}: the sink itself for one, a fan-out otherwise.
     *
     * @param sinks at least one sink
     * @return the sink
     * @throws IllegalArgumentException if {@code sinks} is empty
     */
    public static EventSink of(List<EventSink> sinks) {
        if (sinks.isEmpty()) {
            throw new IllegalArgumentException("sinks must not be empty");
        }
        return sinks.size() == 1 ? sinks.get(0) : new FanOutEventSink(sinks.toArray(EventSink[]::new));
    }

    @Override
    public void emit(Event event) {
        for (EventSink sink : sinks) {
            try {
                sink.emit(event);
            } catch (RuntimeException | Error ignored) {
                // Contained per sink, for the reason in the class comment; the process would
                // contain it too, but only after skipping the remaining sinks.
            }
        }
    }

    @Override
    public String toString() {
        return "FanOutEventSink" + List.of(sinks);
    }
}

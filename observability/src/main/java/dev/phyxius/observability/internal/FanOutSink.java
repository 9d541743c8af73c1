package dev.phyxius.observability.internal;

import dev.phyxius.clock.Event;
import dev.phyxius.clock.EventSink;
import java.util.List;

/**
 * An event sink that hands every event to several sinks in order. One sink that throws neither
 * stops the others nor reaches the emitter: a broken backend must not cost the user's own sink
 * its events.
 */
public final class FanOutSink implements EventSink {

    private static final EventSink NONE = event -> {};

    private final EventSink[] sinks;

    private FanOutSink(EventSink[] sinks) {
        this.sinks = sinks;
    }

    /**
     * A sink for all of {@code sinks}: a sink that ignores everything for none, the sink itself
     * for one (no indirection on the hot path), a fan-out otherwise.
     *
     * @param sinks the sinks, in the order they are called
     * @return the sink
     */
    public static EventSink of(List<EventSink> sinks) {
        return switch (sinks.size()) {
            case 0 -> NONE;
            case 1 -> sinks.get(0);
            default -> new FanOutSink(sinks.toArray(EventSink[]::new));
        };
    }

    @Override
    public void emit(Event event) {
        for (EventSink sink : sinks) {
            try {
                sink.emit(event);
            } catch (RuntimeException | Error ignored) {
                // Contained per sink, for the reason in the class comment; the process module
                // would swallow it too, but only after skipping the remaining sinks.
            }
        }
    }
}

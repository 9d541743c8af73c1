package dev.phyxius.clock;

/**
 * Receives structured events. Sinks are called on the thread where the event happens, so they
 * should be fast and must be thread-safe; a sink that throws is contained by the emitter and
 * never breaks a timer or a process.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface EventSink {

    /**
     * Receives one event.
     *
     * @param event the event, never {@code null}
     */
    void emit(Event event);
}

package dev.phyxius.clock;

/**
 * The root of every structured event Phyxius emits: clock, process and supervisor events.
 *
 * @since 0.1
 */
public interface Event {

    /**
     * When the event happened, read from the clock of whatever emitted it.
     *
     * @return the reading, never {@code null}
     */
    Timestamp at();
}

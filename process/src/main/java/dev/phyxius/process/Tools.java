package dev.phyxius.process;

import dev.phyxius.clock.Cancellable;
import dev.phyxius.clock.Clock;
import dev.phyxius.clock.EventSink;
import java.time.Duration;

/**
 * What a handler may use besides its state and message. Meant to be used from the process's own
 * handler; scheduled self-messages are cancelled when the process stops or restarts.
 *
 * @param <M> the process's message type
 * @since 0.1
 */
public interface Tools<M> {

    /**
     * The process's clock.
     *
     * @return the clock given at spawn
     */
    Clock clock();

    /**
     * The process's event sink, for the handler's own events; a no-op sink when none was given.
     *
     * @return the sink, never {@code null}
     */
    EventSink events();

    /**
     * A ref to this process, to hand to others or to send to itself.
     *
     * @return this process's ref
     */
    ProcessRef<M> self();

    /**
     * Sends {@code message} to this process after {@code after} on its clock.
     *
     * @param after   the delay; zero or negative sends as soon as possible
     * @param message the message
     * @return a handle that cancels the send if it has not happened
     * @throws NullPointerException if an argument is {@code null}
     */
    Cancellable schedule(Duration after, M message);

    /**
     * Sends {@code message} to this process after {@code after}, replacing any schedule under the
     * same key. A message from a replaced or cancelled key is never delivered, even if its timer
     * already fired and it waits in the mailbox.
     *
     * @param key     identifies the timer; compared with {@code equals}
     * @param after   the delay
     * @param message the message
     * @return a handle that cancels this schedule
     * @throws NullPointerException if an argument is {@code null}
     */
    Cancellable schedule(Object key, Duration after, M message);

    /**
     * Sends {@code message} to this process every {@code period}, at a stable cadence, replacing
     * any schedule under the same key.
     *
     * @param key     identifies the timer
     * @param period  the interval, positive
     * @param message the message sent on every tick
     * @return a handle that stops the interval
     * @throws NullPointerException     if an argument is {@code null}
     * @throws IllegalArgumentException if {@code period} is not positive
     */
    Cancellable scheduleAtFixedRate(Object key, Duration period, M message);

    /**
     * Sends {@code message} to this process {@code delay} after the previous one was handled
     * (the first after {@code delay}), replacing any schedule under the same key. Unlike a fixed
     * rate, a slow handler never lets ticks pile up.
     *
     * @param key     identifies the timer
     * @param delay   the pause between handling one tick and sending the next, positive
     * @param message the message sent on every tick
     * @return a handle that stops the repetition
     * @throws NullPointerException     if an argument is {@code null}
     * @throws IllegalArgumentException if {@code delay} is not positive
     */
    Cancellable scheduleWithFixedDelay(Object key, Duration delay, M message);

    /**
     * Cancels the schedule under {@code key}, if any; a message it already queued is not delivered.
     *
     * @param key identifies the timer
     * @return {@code true} if a schedule was cancelled
     * @throws NullPointerException if {@code key} is {@code null}
     */
    boolean cancel(Object key);
}

package dev.phyxius.process;

import java.util.Objects;

/**
 * Why a process stopped: passed to {@code onStop} and carried by stop events.
 *
 * @since 0.1
 */
public sealed interface StopReason permits StopReason.Normal, StopReason.Shutdown, StopReason.Error {

    /** A stop the process's owner asked for. */
    StopReason NORMAL = new Normal();

    /** A stop imposed from outside: a supervisor shutting down or restarting its children. */
    StopReason SHUTDOWN = new Shutdown();

    /**
     * A stop caused by a failure.
     *
     * @param cause what was thrown
     * @return the reason
     * @throws NullPointerException if {@code cause} is {@code null}
     */
    static StopReason error(Throwable cause) {
        return new Error(cause);
    }

    /** The reason behind {@link #NORMAL}. */
    record Normal() implements StopReason {
        @Override
        public String toString() {
            return "NORMAL";
        }
    }

    /** The reason behind {@link #SHUTDOWN}. */
    record Shutdown() implements StopReason {
        @Override
        public String toString() {
            return "SHUTDOWN";
        }
    }

    /**
     * A failure.
     *
     * @param cause what was thrown, never {@code null}
     */
    record Error(Throwable cause) implements StopReason {
        /**
         * Creates the reason.
         *
         * @throws NullPointerException if {@code cause} is {@code null}
         */
        public Error {
            Objects.requireNonNull(cause, "cause");
        }
    }
}

package dev.phyxius.process;

import java.util.Objects;

/**
 * Why a process stopped: passed to {@code onStop} and carried by stop events.
 *
 * @since 0.1
 */
public sealed interface StopReason
        permits StopReason.Normal, StopReason.Shutdown, StopReason.Passivated, StopReason.Error {

    /** A stop the process's owner asked for. */
    StopReason NORMAL = new Normal();

    /** A stop imposed from outside: a supervisor shutting down or restarting its children. */
    StopReason SHUTDOWN = new Shutdown();

    /**
     * A stop by an owner that lets an idle process go and will start a fresh one on its next
     * message: a keyed group passivating an idle or least recently used key, or a partition
     * moving to another member.
     *
     * @param why what made the owner let it go, for people: {@code "idle for PT10M"}
     * @return the reason
     * @throws NullPointerException     if {@code why} is {@code null}
     * @throws IllegalArgumentException if {@code why} is blank
     */
    static StopReason passivated(String why) {
        return new Passivated(why);
    }

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
     * The reason behind {@link #passivated(String)}: not a failure and not a shutdown; the process
     * may come back, with fresh state, when it is needed again.
     *
     * @param why what made the owner let the process go, never blank
     */
    record Passivated(String why) implements StopReason {
        /**
         * Creates the reason.
         *
         * @throws NullPointerException     if {@code why} is {@code null}
         * @throws IllegalArgumentException if {@code why} is blank
         */
        public Passivated {
            Objects.requireNonNull(why, "why");
            if (why.isBlank()) {
                throw new IllegalArgumentException("why must not be blank");
            }
        }

        @Override
        public String toString() {
            return "PASSIVATED (" + why + ")";
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

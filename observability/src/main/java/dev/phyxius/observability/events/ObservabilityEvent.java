package dev.phyxius.observability.events;

import dev.phyxius.clock.Event;
import dev.phyxius.clock.Timestamp;
import java.util.Objects;

/**
 * What the observability itself has to report, as structured events: given to the sink of
 * {@code PhyxiusObservability.Builder.forwardTo} (and written as JFR events when JFR is on), like
 * every process event.
 *
 * @since 0.1
 */
public sealed interface ObservabilityEvent extends Event {

    /**
     * A backend met more distinct process names than its limit allows: the processes of
     * {@code processName}, and of every further new name, are counted under the name
     * {@code _other} until names are freed again. Emitted once per such episode. Usually a sign
     * that process names carry an id (a name per request or per user) where they should name a
     * kind of process.
     *
     * @param at          when, read from the system's clock (a backend has no process clock)
     * @param backend     which backend: {@code micrometer} or {@code jfr}
     * @param processName the first name refused
     * @param limit       the limit, as configured
     */
    record ProcessNameLimitReached(Timestamp at, String backend, String processName, int limit)
            implements ObservabilityEvent {
        /**
         * Creates the event.
         *
         * @throws NullPointerException if {@code at}, {@code backend} or {@code processName} is {@code null}
         */
        public ProcessNameLimitReached {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(backend, "backend");
            Objects.requireNonNull(processName, "processName");
        }
    }
}

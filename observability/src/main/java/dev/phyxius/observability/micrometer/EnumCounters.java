package dev.phyxius.observability.micrometer;

import io.micrometer.core.instrument.Counter;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;

/**
 * Counters tagged with one constant of an enum each, registered on first use and found by the
 * constant's ordinal: no map lookup on the event path, and no meter for a reason that never
 * happens. Thread-safe.
 *
 * @param <E> the enum whose constants tag the counters
 */
final class EnumCounters<E extends Enum<E>> {

    private final AtomicReferenceArray<Counter> counters;
    private final Function<E, Counter> register;

    /**
     * @param type     the enum
     * @param register registers (or finds) the counter of one constant; may be called more than
     *                 once for the same constant in a race
     */
    EnumCounters(Class<E> type, Function<E, Counter> register) {
        this.counters = new AtomicReferenceArray<>(type.getEnumConstants().length);
        this.register = Objects.requireNonNull(register, "register");
    }

    /** The counter of {@code constant}, registered now if this is its first use. */
    Counter get(E constant) {
        Counter c = counters.get(constant.ordinal());
        if (c == null) {
            // Registering twice in a race is harmless: the registry returns the same counter.
            c = register.apply(constant);
            counters.set(constant.ordinal(), c);
        }
        return c;
    }
}

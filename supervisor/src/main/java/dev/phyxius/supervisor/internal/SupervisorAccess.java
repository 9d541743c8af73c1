package dev.phyxius.supervisor.internal;

import dev.phyxius.supervisor.Supervisor;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The supervisor's package-private state that its SPI reports, handed over once by
 * {@link Supervisor}'s class initializer (the JDK's shared-secrets pattern): the SPI package may
 * read it without {@code Supervisor} growing public methods that only test kits need.
 */
public final class SupervisorAccess {

    private static volatile Predicate<Supervisor> deciding;

    private SupervisorAccess() {}

    /**
     * Installs the reading; called once, from {@code Supervisor}'s static initializer.
     *
     * @param reading whether a supervisor, or one nested below it, carries out a decision
     */
    public static void install(Predicate<Supervisor> reading) {
        deciding = Objects.requireNonNull(reading, "reading");
    }

    /**
     * Whether {@code supervisor}, or one nested below it, is carrying out a decision.
     *
     * @param supervisor an initialized supervisor (so the reading is installed)
     * @return {@code true} while a round, a hold's end or an escalation is under way
     */
    public static boolean deciding(Supervisor supervisor) {
        return deciding.test(Objects.requireNonNull(supervisor, "supervisor"));
    }
}

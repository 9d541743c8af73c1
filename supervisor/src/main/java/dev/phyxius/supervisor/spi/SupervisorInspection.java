package dev.phyxius.supervisor.spi;

import dev.phyxius.supervisor.Supervisor;
import dev.phyxius.supervisor.internal.SupervisorAccess;

/**
 * Read-only views of a supervisor's decisions, for test kits and schedulers that must know when
 * a system has come to rest.
 *
 * @since 0.1
 */
public final class SupervisorInspection {

    private SupervisorInspection() {}

    /**
     * Whether the supervisor, or a supervisor nested below it, is carrying out a decision: taking
     * a round's members down, restarting them, ending a hold, or handing a failure up. A round
     * waiting for its backoff timer is not deciding (the clock shows that work), nor is one
     * waiting for a child that is still finishing its message (the child shows it). The answer may
     * be stale as soon as it is returned.
     *
     * @param supervisor the supervisor
     * @return {@code true} if a decision is being carried out
     * @throws NullPointerException if {@code supervisor} is {@code null}
     */
    public static boolean deciding(Supervisor supervisor) {
        return SupervisorAccess.deciding(supervisor);
    }
}

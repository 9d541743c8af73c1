package dev.phyxius.simulation;

/**
 * The failure a simulation injects into a handler when {@link SimulationFaults#crashHandlers}
 * decides to crash it, so that a test can tell an injected crash from a real one.
 *
 * @since 0.1
 */
public final class SimulationFaultException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was crashed, for example {@code injected crash of 'counter' handling Increment}
     */
    public SimulationFaultException(String message) {
        super(message, null, false, false);
    }
}

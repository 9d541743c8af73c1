package dev.phyxius.simulation;

/**
 * A simulated run that did not pass, as a test failure: the message is the run's report (the
 * reproduction line first, then the reason and the event log), the cause what the scenario threw.
 *
 * @since 0.1
 */
public final class SimulationFailure extends AssertionError {

    private static final long serialVersionUID = 1L;

    /** The run; not serialized, as a log may hold anything. */
    private final transient SimulationResult result;

    /**
     * Creates the failure.
     *
     * @param result  the failing run
     * @param message the report to show
     */
    public SimulationFailure(SimulationResult result, String message) {
        super(message, result.failure().orElse(null));
        this.result = result;
    }

    /**
     * The failing run, with its seed and full log; {@code null} after deserialization.
     *
     * @return the run
     */
    public SimulationResult result() {
        return result;
    }
}

package dev.phyxius.observability.jfr;

/**
 * Where the JFR events read the ids of the current span, so that a recording can be joined to a
 * trace: {@code PhyxiusTracing.traceCorrelation()} reads OpenTelemetry's current span, and
 * {@code PhyxiusObservability} wires it when both tracing and JFR are on. Any other tracer can
 * implement it.
 *
 * <p>Called on the thread that raises an event, only for events a recording wants; must be
 * thread-safe, cheap and must not throw (anything thrown is contained and the ids are left out).
 *
 * @since 0.1
 */
public interface TraceCorrelation {

    /** No tracing: every event is written without trace ids. */
    TraceCorrelation NONE = new TraceCorrelation() {
        @Override
        public String traceId() {
            return "";
        }

        @Override
        public String spanId() {
            return "";
        }

        @Override
        public String toString() {
            return "TraceCorrelation.NONE";
        }
    };

    /**
     * The trace id of the span current on this thread.
     *
     * @return the id (32 hex digits for OpenTelemetry), or the empty string if no span is current
     */
    String traceId();

    /**
     * The span id of the span current on this thread.
     *
     * @return the id (16 hex digits for OpenTelemetry), or the empty string if no span is current
     */
    String spanId();
}

package dev.phyxius.observability.jfr;

import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;

/**
 * The fields a process event carries to join it to a trace: the ids of the span current where the
 * event was raised (inside a traced handler, the message's span), absent where none was.
 */
abstract class TracedEvent extends Event {
    @Label("Trace Id")
    @Description("The trace id of the span current when the event was raised; absent if none was")
    String traceId;

    @Label("Span Id")
    @Description("The span id of the span current when the event was raised; absent if none was")
    String spanId;

    /** Reads the current span's ids, if a span is current; a broken correlation leaves them out. */
    final void correlate(TraceCorrelation correlation) {
        try {
            String trace = correlation.traceId();
            if (trace != null && !trace.isEmpty()) {
                traceId = trace;
                spanId = correlation.spanId();
            }
        } catch (RuntimeException ignored) {
            // Documented not to throw; the event is still worth more without the ids than lost.
        }
    }
}

package dev.phyxius.observability.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** The JFR event {@code dev.phyxius.MessageDropped}; see {@link PhyxiusFlightRecording}. */
@Name("dev.phyxius.MessageDropped")
@Label("Message Dropped")
@Description("An accepted message will never be handled")
@Category({"Phyxius", "Process"})
// The stack of the thread that reports the event is Phyxius's own machinery, never the user's.
@StackTrace(false)
final class MessageDroppedEvent extends TracedEvent {
    @Label("Process Name")
    @Description("The name of the process, from its spec")
    String processName;

    @Label("Process Id")
    @Description("The identity of the process")
    String processId;

    @Label("Message Type")
    @Description("The class of the message (never its contents)")
    Class<?> messageType;

    @Label("Reason")
    @Description("Why: EVICTED, STOPPED, FAILED, HANDLER_FAILED or SUPERSEDED")
    String reason;
}

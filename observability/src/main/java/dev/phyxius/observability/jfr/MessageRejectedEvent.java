package dev.phyxius.observability.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** The JFR event {@code dev.phyxius.MessageRejected}; see {@link PhyxiusFlightRecording}. */
@Name("dev.phyxius.MessageRejected")
@Label("Message Rejected")
@Description("A process refused a send; the sender saw false")
@Category({"Phyxius", "Process"})
// The stack of the thread that reports the event is Phyxius's own machinery, never the user's.
@StackTrace(false)
final class MessageRejectedEvent extends TracedEvent {
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
    @Description("Why: MAILBOX_FULL or NOT_ACCEPTING")
    String reason;
}

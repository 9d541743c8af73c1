package dev.phyxius.observability.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** The JFR event {@code dev.phyxius.MessageHandled}; see {@link PhyxiusFlightRecording}. */
@Name("dev.phyxius.MessageHandled")
@Label("Message Handled")
@Description("A process handled a message; the event spans the handler on the process's thread")
@Category({"Phyxius", "Process"})
// The stack of the thread that reports the event is Phyxius's own machinery, never the user's.
@StackTrace(false)
final class MessageHandledEvent extends TracedEvent {
    @Label("Process Name")
    @Description("The name of the process, from its spec")
    String processName;

    @Label("Process Id")
    @Description("The identity of the process")
    String processId;

    @Label("Message Type")
    @Description("The class of the message (never its contents)")
    Class<?> messageType;

    @Label("Time in Mailbox")
    @Description("How long the message waited in the mailbox, on the process's clock")
    @Timespan(Timespan.NANOSECONDS)
    long queued;

    @Label("Handling Time")
    @Description("How long the handler ran, on the process's clock")
    @Timespan(Timespan.NANOSECONDS)
    long handling;

    @Label("Error Type")
    @Description("The class name of what the handler threw; absent if it returned normally")
    String errorType;
}

package dev.phyxius.observability.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** The JFR event {@code dev.phyxius.ProcessFailed}; see {@link PhyxiusFlightRecording}. */
@Name("dev.phyxius.ProcessFailed")
@Label("Process Failed")
@Description("A handler or init of a process threw")
@Category({"Phyxius", "Process"})
// The stack of the thread that reports the event is Phyxius's own machinery, never the user's.
@StackTrace(false)
final class ProcessFailedEvent extends TracedEvent {
    @Label("Process Name")
    @Description("The name of the process, from its spec")
    String processName;

    @Label("Process Id")
    @Description("The identity of the process")
    String processId;

    @Label("Error Type")
    @Description("The class name of what was thrown")
    String errorType;
}

package dev.phyxius.observability.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** The JFR event {@code dev.phyxius.ProcessStopped}; see {@link PhyxiusFlightRecording}. */
@Name("dev.phyxius.ProcessStopped")
@Label("Process Stopped")
@Description("A process stopped for good after a stop request")
@Category({"Phyxius", "Process"})
// The stack of the thread that reports the event is Phyxius's own machinery, never the user's.
@StackTrace(false)
final class ProcessStoppedEvent extends TracedEvent {
    @Label("Process Name")
    @Description("The name of the process, from its spec")
    String processName;

    @Label("Process Id")
    @Description("The identity of the process")
    String processId;

    @Label("Reason")
    @Description("The stop reason: NORMAL, SHUTDOWN, PASSIVATED or ERROR")
    String reason;
}

package dev.phyxius.observability.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** The JFR event {@code dev.phyxius.ProcessRestarted}; see {@link PhyxiusFlightRecording}. */
@Name("dev.phyxius.ProcessRestarted")
@Label("Process Restarted")
@Description("A supervised process ran init again and is running with fresh state")
@Category({"Phyxius", "Process"})
// The stack of the thread that reports the event is Phyxius's own machinery, never the user's.
@StackTrace(false)
final class ProcessRestartedEvent extends TracedEvent {
    @Label("Process Name")
    @Description("The name of the process, from its spec")
    String processName;

    @Label("Process Id")
    @Description("The identity of the process")
    String processId;
}

package dev.phyxius.observability.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** The JFR event {@code dev.phyxius.ProcessNameLimitReached}; see {@link PhyxiusFlightRecording}. */
@Name("dev.phyxius.ProcessNameLimitReached")
@Label("Process Name Limit Reached")
@Description("More distinct process names than the limit: further names are counted under _other")
@Category({"Phyxius", "Observability"})
// The stack of the thread that reports the event is Phyxius's own machinery, never the user's.
@StackTrace(false)
final class ProcessNameLimitReachedEvent extends Event {
    @Label("Backend")
    @Description("Which backend hit its limit: micrometer or jfr")
    String backend;

    @Label("Process Name")
    @Description("The first process name refused")
    String processName;

    @Label("Limit")
    @Description("The most names with a row of their own")
    int limit;
}

package dev.phyxius.observability.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;

/** The JFR event {@code dev.phyxius.ProcessStatistics}; see {@link PhyxiusFlightRecording}. */
@Name("dev.phyxius.ProcessStatistics")
@Label("Process Statistics")
@Description(
        "Per process name, at the recording's period: live processes, their mailboxes, and what they did since the last period")
@Category({"Phyxius", "Process"})
// The stack of the thread that reports the event is Phyxius's own machinery, never the user's.
@StackTrace(false)
// The default period; a recording's settings (phyxius.jfc: 10 s) override it.
@Period("10 s")
final class ProcessStatisticsEvent extends Event {
    @Label("Process Name")
    @Description("The name of the process, from its spec")
    String processName;

    @Label("Live Processes")
    @Description("Processes of this name that have started and not yet ended for good")
    int liveProcesses;

    @Label("Mailbox Size")
    @Description("Messages queued in the mailboxes of those processes, summed; a sample")
    long mailboxSize;

    @Label("Largest Mailbox")
    @Description("The deepest of those mailboxes; a sample")
    int maxMailboxSize;

    @Label("Handled")
    @Description("Messages handled normally since the last period")
    long handled;

    @Label("Failed")
    @Description("Handler or init failures since the last period")
    long failed;

    @Label("Dropped")
    @Description("Accepted messages dropped since the last period")
    long dropped;

    @Label("Rejected")
    @Description("Sends refused since the last period")
    long rejected;
}

package dev.phyxius.observability.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** The JFR event {@code dev.phyxius.SupervisorRestart}; see {@link PhyxiusFlightRecording}. */
@Name("dev.phyxius.SupervisorRestart")
@Label("Supervisor Restart")
@Description("A supervisor decided to restart a failed child after a backoff")
@Category({"Phyxius", "Supervisor"})
// The stack of the thread that reports the event is Phyxius's own machinery, never the user's.
@StackTrace(false)
final class SupervisorRestartEvent extends Event {
    @Label("Supervisor Id")
    @Description("The identity of the supervisor that restarts")
    String supervisorId;

    @Label("Child Name")
    @Description("The name of the child whose failure (or self-stop) started the restart")
    String childName;

    @Label("Child Id")
    @Description("The identity of that child")
    String childId;

    @Label("Attempt")
    @Description("The number of this restart inside the intensity window, from 1")
    int attempt;

    @Label("Backoff")
    @Description("How long the supervisor waits before the restart, jitter included")
    @Timespan(Timespan.NANOSECONDS)
    long delay;
}

package dev.phyxius.observability.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** The JFR event {@code dev.phyxius.SupervisorGaveUp}; see {@link PhyxiusFlightRecording}. */
@Name("dev.phyxius.SupervisorGaveUp")
@Label("Supervisor Gave Up")
@Description("A supervisor stopped restarting a child that failed too often")
@Category({"Phyxius", "Supervisor"})
// The stack of the thread that reports the event is Phyxius's own machinery, never the user's.
@StackTrace(false)
final class SupervisorGaveUpEvent extends Event {
    @Label("Supervisor Id")
    @Description("The identity of the supervisor that gave up")
    String supervisorId;

    @Label("Child Name")
    @Description("The name of the child; absent if the supervisor never announced it")
    String childName;

    @Label("Child Id")
    @Description("The identity of the child")
    String childId;

    @Label("Restarts")
    @Description("The restarts inside the window: the strategy's maximum")
    int restarts;

    @Label("Window")
    @Description("The sliding window in which the restarts are counted")
    @Timespan(Timespan.NANOSECONDS)
    long within;
}

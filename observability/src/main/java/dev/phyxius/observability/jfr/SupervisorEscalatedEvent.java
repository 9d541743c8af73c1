package dev.phyxius.observability.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** The JFR event {@code dev.phyxius.SupervisorEscalated}; see {@link PhyxiusFlightRecording}. */
@Name("dev.phyxius.SupervisorEscalated")
@Label("Supervisor Escalated")
@Description("A supervisor handed a child's failure to its parent supervisor")
@Category({"Phyxius", "Supervisor"})
// The stack of the thread that reports the event is Phyxius's own machinery, never the user's.
@StackTrace(false)
final class SupervisorEscalatedEvent extends Event {
    @Label("Supervisor Id")
    @Description("The identity of the supervisor that escalated")
    String supervisorId;

    @Label("Parent Id")
    @Description("The identity of the parent supervisor that now decides")
    String parentId;

    @Label("Child Name")
    @Description("The name of the child whose failure escalated; absent if never announced")
    String childName;

    @Label("Child Id")
    @Description("The identity of the child whose failure escalated")
    String childId;

    @Label("Error Type")
    @Description("The class name of the child's error")
    String errorType;
}

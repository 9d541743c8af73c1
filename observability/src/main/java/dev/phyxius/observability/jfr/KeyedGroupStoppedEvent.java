package dev.phyxius.observability.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** The JFR event {@code dev.phyxius.KeyedGroupStopped}; see {@link PhyxiusFlightRecording}. */
@Name("dev.phyxius.KeyedGroupStopped")
@Label("Keyed Group Stopped")
@Description("A keyed group stopped: every key's process ended and every waiting message was reported")
@Category({"Phyxius", "Keyed"})
// The stack of the thread that reports the event is Phyxius's own machinery, never the user's.
@StackTrace(false)
final class KeyedGroupStoppedEvent extends Event {
    @Label("Group Name")
    @Description("The name of the keyed group")
    String groupName;
}

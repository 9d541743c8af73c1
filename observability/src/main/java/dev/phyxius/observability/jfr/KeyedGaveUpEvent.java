package dev.phyxius.observability.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** The JFR event {@code dev.phyxius.KeyedGaveUp}; see {@link PhyxiusFlightRecording}. */
@Name("dev.phyxius.KeyedGaveUp")
@Label("Key Gave Up")
@Description("The supervisor gave up on a key's process; the key refuses messages for its quarantine")
@Category({"Phyxius", "Keyed"})
// The stack of the thread that reports the event is Phyxius's own machinery, never the user's.
@StackTrace(false)
final class KeyedGaveUpEvent extends Event {
    @Label("Group Name")
    @Description("The name of the keyed group")
    String groupName;

    @Label("Key")
    @Description("The key, as its toString")
    String key;

    @Label("Process Id")
    @Description("The identity of the key's process: the group's name, a slash and the key")
    String processId;

    @Label("Error Type")
    @Description("The class name of the process's last failure")
    String errorType;

    @Label("Quarantine")
    @Description("How long the key refuses messages")
    @Timespan(Timespan.NANOSECONDS)
    long quarantine;
}

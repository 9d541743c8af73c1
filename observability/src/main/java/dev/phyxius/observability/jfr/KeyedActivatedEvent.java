package dev.phyxius.observability.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** The JFR event {@code dev.phyxius.KeyedActivated}; see {@link PhyxiusFlightRecording}. */
@Name("dev.phyxius.KeyedActivated")
@Label("Key Activated")
@Description("A key came to life: its process was spawned, before it handled any message")
@Category({"Phyxius", "Keyed"})
// The stack of the thread that reports the event is Phyxius's own machinery, never the user's.
@StackTrace(false)
final class KeyedActivatedEvent extends Event {
    @Label("Group Name")
    @Description("The name of the keyed group")
    String groupName;

    @Label("Key")
    @Description("The key, as its toString")
    String key;

    @Label("Process Id")
    @Description("The identity of the key's process: the group's name, a slash and the key")
    String processId;
}

package dev.phyxius.observability.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** The JFR event {@code dev.phyxius.KeyedEvicted}; see {@link PhyxiusFlightRecording}. */
@Name("dev.phyxius.KeyedEvicted")
@Label("Key Evicted")
@Description(
        "The least recently used live key was chosen to passivate because the group had more live keys than its maximum")
@Category({"Phyxius", "Keyed"})
// The stack of the thread that reports the event is Phyxius's own machinery, never the user's.
@StackTrace(false)
final class KeyedEvictedEvent extends Event {
    @Label("Group Name")
    @Description("The name of the keyed group")
    String groupName;

    @Label("Key")
    @Description("The key, as its toString")
    String key;

    @Label("Process Id")
    @Description("The identity of the key's process: the group's name, a slash and the key")
    String processId;

    @Label("Live Keys")
    @Description("How many keys were live, counting the one that made room necessary")
    int liveKeys;

    @Label("Max Live Keys")
    @Description("The group's maximum of live keys")
    int maxLiveKeys;
}

package dev.phyxius.observability.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** The JFR event {@code dev.phyxius.KeyedPassivated}; see {@link PhyxiusFlightRecording}. */
@Name("dev.phyxius.KeyedPassivated")
@Label("Key Passivated")
@Description("A key's life ended passivated; its next message starts a fresh life")
@Category({"Phyxius", "Keyed"})
// The stack of the thread that reports the event is Phyxius's own machinery, never the user's.
@StackTrace(false)
final class KeyedPassivatedEvent extends Event {
    @Label("Group Name")
    @Description("The name of the keyed group")
    String groupName;

    @Label("Key")
    @Description("The key, as its toString")
    String key;

    @Label("Process Id")
    @Description("The identity of the key's process: the group's name, a slash and the key")
    String processId;

    @Label("Cause")
    @Description("Why the group let it go: IDLE, EVICTED, REQUESTED or RELEASED")
    String cause;

    @Label("Reason")
    @Description("The text of the passivation its onStop was given")
    String reason;
}

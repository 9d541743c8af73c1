package dev.phyxius.observability.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** The JFR event {@code dev.phyxius.KeyedActivationFailed}; see {@link PhyxiusFlightRecording}. */
@Name("dev.phyxius.KeyedActivationFailed")
@Label("Key Activation Failed")
@Description(
        "A key could not come to life: its spec factory or init threw; its waiting messages are dropped and the key is quarantined")
@Category({"Phyxius", "Keyed"})
// The stack of the thread that reports the event is Phyxius's own machinery, never the user's.
@StackTrace(false)
final class KeyedActivationFailedEvent extends Event {
    @Label("Group Name")
    @Description("The name of the keyed group")
    String groupName;

    @Label("Key")
    @Description("The key, as its toString")
    String key;

    @Label("Error Type")
    @Description("The class name of what was thrown")
    String errorType;
}

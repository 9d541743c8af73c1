package dev.phyxius.observability.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** The JFR event {@code dev.phyxius.KeyedMessageDropped}; see {@link PhyxiusFlightRecording}. */
@Name("dev.phyxius.KeyedMessageDropped")
@Label("Keyed Message Dropped")
@Description("A message the group accepted for a key's next life will never be handled")
@Category({"Phyxius", "Keyed"})
// The stack of the thread that reports the event is Phyxius's own machinery, never the user's.
@StackTrace(false)
final class KeyedMessageDroppedEvent extends Event {
    @Label("Group Name")
    @Description("The name of the keyed group")
    String groupName;

    @Label("Key")
    @Description("The key, as its toString")
    String key;

    @Label("Message Type")
    @Description("The message's class (for an ask, the request function's); never its contents")
    Class<?> messageType;

    @Label("Reason")
    @Description("Why: STOPPED, ACTIVATION_FAILED, GAVE_UP, RELEASED, EVICTED or REFUSED")
    String reason;
}

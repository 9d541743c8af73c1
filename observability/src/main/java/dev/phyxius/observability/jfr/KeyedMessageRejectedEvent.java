package dev.phyxius.observability.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** The JFR event {@code dev.phyxius.KeyedMessageRejected}; see {@link PhyxiusFlightRecording}. */
@Name("dev.phyxius.KeyedMessageRejected")
@Label("Keyed Message Rejected")
@Description("The group refused a message for a key; the sender saw false or the reason")
@Category({"Phyxius", "Keyed"})
// The stack of the thread that reports the event is Phyxius's own machinery, never the user's.
@StackTrace(false)
final class KeyedMessageRejectedEvent extends TracedEvent {
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
    @Description("Why: MAILBOX_FULL, STOPPED, GIVEN_UP, NOT_OWNED or SPEC_FAILED")
    String reason;
}

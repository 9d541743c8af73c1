package dev.phyxius.jmc;

import dev.phyxius.jmc.internal.PhyxiusRule;
import java.util.List;
import org.openjdk.jmc.common.unit.IQuantity;
import org.openjdk.jmc.common.unit.UnitLookup;
import org.openjdk.jmc.common.util.TypedPreference;
import org.openjdk.jmc.flightrecorder.rules.util.RulesToolkit.EventAvailability;
import org.openjdk.jmc.flightrecorder.rules.util.RulesToolkit.RequiredEventsBuilder;

/**
 * Carrier pinned in a handler: jdk.VirtualThreadPinned events on the thread of a recorded
 * handler, while it ran. The finding, its score and its explanation are those of the Phyxius
 * report
 * ({@code dev.phyxius.analysis}).
 *
 * @since 0.1
 */
public final class PinnedInHandlerRule extends PhyxiusRule {

    /** A pin inside a handler that is a problem; default 20 ms. */
    public static final TypedPreference<IQuantity> BLOCKING = new TypedPreference<>(
            "phyxius.blocking",
            "Pin threshold",
            "A pin inside a handler that is a problem",
            UnitLookup.TIMESPAN.getPersister(),
            UnitLookup.MILLISECOND.quantity(20));

    /** Creates the rule; JMC does, through {@code ServiceLoader}. */
    public PinnedInHandlerRule() {
        super(
                "PinnedInHandler",
                "Carrier pinned in a handler",
                RequiredEventsBuilder.create()
                        .addEventType("jdk.VirtualThreadPinned", EventAvailability.ENABLED)
                        .addEventType("dev.phyxius.MessageHandled", EventAvailability.ENABLED)
                        .build(),
                List.of(BLOCKING),
                (options, values) -> options.withBlocking(duration(values, BLOCKING)));
    }
}

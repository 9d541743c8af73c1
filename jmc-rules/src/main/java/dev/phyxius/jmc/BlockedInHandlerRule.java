package dev.phyxius.jmc;

import dev.phyxius.jmc.internal.PhyxiusRule;
import java.util.List;
import org.openjdk.jmc.common.unit.IQuantity;
import org.openjdk.jmc.common.unit.UnitLookup;
import org.openjdk.jmc.common.util.TypedPreference;
import org.openjdk.jmc.flightrecorder.rules.util.RulesToolkit.EventAvailability;
import org.openjdk.jmc.flightrecorder.rules.util.RulesToolkit.RequiredEventsBuilder;

/**
 * Handler blocked on a monitor or parked: jdk.JavaMonitorEnter and jdk.ThreadPark events on the
 * thread of a recorded handler, while it ran. The finding, its score and its explanation are
 * those of the Phyxius report ({@code dev.phyxius.analysis}).
 *
 * @since 0.1
 */
public final class BlockedInHandlerRule extends PhyxiusRule {

    /** A wait inside a handler that is a problem; default 20 ms. */
    public static final TypedPreference<IQuantity> BLOCKING = new TypedPreference<>(
            "phyxius.blocking",
            "Wait threshold",
            "A wait inside a handler that is a problem",
            UnitLookup.TIMESPAN.getPersister(),
            UnitLookup.MILLISECOND.quantity(20));

    /** Creates the rule; JMC does, through {@code ServiceLoader}. */
    public BlockedInHandlerRule() {
        super(
                "BlockedInHandler",
                "Handler blocked on a monitor or parked",
                RequiredEventsBuilder.create()
                        .addEventType("jdk.JavaMonitorEnter", EventAvailability.ENABLED)
                        .addEventType("jdk.ThreadPark", EventAvailability.ENABLED)
                        .addEventType("dev.phyxius.MessageHandled", EventAvailability.ENABLED)
                        .build(),
                List.of(BLOCKING),
                (options, values) -> options.withBlocking(duration(values, BLOCKING)));
    }
}

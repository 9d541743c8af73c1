package dev.phyxius.jmc;

import dev.phyxius.jmc.internal.PhyxiusRule;
import java.util.List;
import org.openjdk.jmc.common.unit.IQuantity;
import org.openjdk.jmc.common.unit.UnitLookup;
import org.openjdk.jmc.common.util.TypedPreference;
import org.openjdk.jmc.flightrecorder.rules.util.RulesToolkit.EventAvailability;
import org.openjdk.jmc.flightrecorder.rules.util.RulesToolkit.RequiredEventsBuilder;

/**
 * GC pauses behind slow handlers: the share of slow handlers' time that the JVM spent in GC
 * pauses. The finding, its score and its explanation are those of the Phyxius report ({@code dev.phyxius.analysis}).
 *
 * @since 0.1
 */
public final class GcBehindSlowHandlersRule extends PhyxiusRule {

    /** The handling time from which a message counts as slow; default 100 ms. */
    public static final TypedPreference<IQuantity> SLOW_HANDLER = new TypedPreference<>(
            "phyxius.slowHandler",
            "Slow handler",
            "The handling time from which a message counts as slow",
            UnitLookup.TIMESPAN.getPersister(),
            UnitLookup.MILLISECOND.quantity(100));

    /** Creates the rule; JMC does, through {@code ServiceLoader}. */
    public GcBehindSlowHandlersRule() {
        super(
                "GcBehindSlowHandlers",
                "GC pauses behind slow handlers",
                RequiredEventsBuilder.create()
                        .addEventType("jdk.GCPhasePause", EventAvailability.ENABLED)
                        .addEventType("dev.phyxius.MessageHandled", EventAvailability.ENABLED)
                        .build(),
                List.of(SLOW_HANDLER),
                (options, values) -> options.withSlowHandler(duration(values, SLOW_HANDLER)));
    }
}

package dev.phyxius.jmc;

import dev.phyxius.jmc.internal.PhyxiusRule;
import java.util.List;
import org.openjdk.jmc.common.unit.IQuantity;
import org.openjdk.jmc.common.unit.UnitLookup;
import org.openjdk.jmc.common.util.TypedPreference;
import org.openjdk.jmc.flightrecorder.rules.util.RulesToolkit.EventAvailability;
import org.openjdk.jmc.flightrecorder.rules.util.RulesToolkit.RequiredEventsBuilder;

/**
 * Slow process handlers: a process name whose handlers take long at the 99th percentile, holding
 * up every message behind them. The finding, its score and its explanation are those of the
 * Phyxius report ({@code dev.phyxius.analysis}).
 *
 * @since 0.1
 */
public final class SlowHandlersRule extends PhyxiusRule {

    /** The p99 handling time that makes handlers slow; default 100 ms. */
    public static final TypedPreference<IQuantity> SLOW_HANDLER = new TypedPreference<>(
            "phyxius.slowHandler",
            "Slow handler",
            "The p99 handling time that makes handlers slow",
            UnitLookup.TIMESPAN.getPersister(),
            UnitLookup.MILLISECOND.quantity(100));

    /** Creates the rule; JMC does, through {@code ServiceLoader}. */
    public SlowHandlersRule() {
        super(
                "SlowHandlers",
                "Slow process handlers",
                RequiredEventsBuilder.create()
                        .addEventType("dev.phyxius.MessageHandled", EventAvailability.ENABLED)
                        .build(),
                List.of(SLOW_HANDLER),
                (options, values) -> options.withSlowHandler(duration(values, SLOW_HANDLER)));
    }
}

package dev.phyxius.jmc;

import dev.phyxius.jmc.internal.PhyxiusRule;
import java.util.List;
import org.openjdk.jmc.common.unit.IQuantity;
import org.openjdk.jmc.common.unit.UnitLookup;
import org.openjdk.jmc.common.util.TypedPreference;
import org.openjdk.jmc.flightrecorder.rules.util.RulesToolkit.EventAvailability;
import org.openjdk.jmc.flightrecorder.rules.util.RulesToolkit.RequiredEventsBuilder;

/**
 * Restart storm: a supervised process restarted again and again, or given up on. The finding,
 * its score and its explanation are those of the Phyxius report ({@code dev.phyxius.analysis}).
 *
 * @since 0.1
 */
public final class RestartStormRule extends PhyxiusRule {

    /** The restarts inside the window that make a storm; default 5. */
    public static final TypedPreference<IQuantity> RESTARTS = new TypedPreference<>(
            "phyxius.restartStorm",
            "Restarts",
            "The restarts inside the window that make a storm",
            UnitLookup.NUMBER.getPersister(),
            UnitLookup.NUMBER_UNITY.quantity(5));
    /** The sliding window in which restarts are counted; default 1 min. */
    public static final TypedPreference<IQuantity> WINDOW = new TypedPreference<>(
            "phyxius.restartWindow",
            "Restart window",
            "The sliding window in which restarts are counted",
            UnitLookup.TIMESPAN.getPersister(),
            UnitLookup.MINUTE.quantity(1));

    /** Creates the rule; JMC does, through {@code ServiceLoader}. */
    public RestartStormRule() {
        super(
                "RestartStorm",
                "Restart storm",
                RequiredEventsBuilder.create()
                        .addEventType("dev.phyxius.ProcessRestarted", EventAvailability.ENABLED)
                        .build(),
                List.of(RESTARTS, WINDOW),
                (options, values) -> options.withRestartStorm(
                        (int) Math.min(Integer.MAX_VALUE, count(values, RESTARTS)), duration(values, WINDOW)));
    }
}

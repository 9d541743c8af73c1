package dev.phyxius.jmc;

import dev.phyxius.jmc.internal.PhyxiusRule;
import java.util.List;
import org.openjdk.jmc.common.unit.IQuantity;
import org.openjdk.jmc.common.unit.UnitLookup;
import org.openjdk.jmc.common.util.TypedPreference;
import org.openjdk.jmc.flightrecorder.rules.util.RulesToolkit.EventAvailability;
import org.openjdk.jmc.flightrecorder.rules.util.RulesToolkit.RequiredEventsBuilder;

/**
 * Mailbox backlog: a process name whose mailboxes fill up or whose messages wait long before
 * their handler runs. The finding, its score and its explanation are those of the Phyxius report ({@code dev.phyxius.analysis}).
 *
 * @since 0.1
 */
public final class MailboxBacklogRule extends PhyxiusRule {

    /** The mailbox depth that makes a backlog; default 1000. */
    public static final TypedPreference<IQuantity> BACKLOG_MESSAGES = new TypedPreference<>(
            "phyxius.backlogMessages",
            "Backlog depth",
            "The mailbox depth that makes a backlog",
            UnitLookup.NUMBER.getPersister(),
            UnitLookup.NUMBER_UNITY.quantity(1000));
    /** The p99 mailbox wait that makes a backlog; default 1 s. */
    public static final TypedPreference<IQuantity> BACKLOG_WAIT = new TypedPreference<>(
            "phyxius.backlogWait",
            "Backlog wait",
            "The p99 mailbox wait that makes a backlog",
            UnitLookup.TIMESPAN.getPersister(),
            UnitLookup.SECOND.quantity(1));

    /** Creates the rule; JMC does, through {@code ServiceLoader}. */
    public MailboxBacklogRule() {
        super(
                "MailboxBacklog",
                "Mailbox backlog",
                RequiredEventsBuilder.create()
                        .addEventType("dev.phyxius.MessageHandled", EventAvailability.ENABLED)
                        .build(),
                List.of(BACKLOG_MESSAGES, BACKLOG_WAIT),
                (options, values) -> options.withBacklogMessages(count(values, BACKLOG_MESSAGES))
                        .withBacklogWait(duration(values, BACKLOG_WAIT)));
    }
}

package dev.phyxius.jmc.internal;

import dev.phyxius.analysis.spi.RecordingFacts;
import java.util.Set;
import org.openjdk.jmc.common.IMCThread;
import org.openjdk.jmc.common.IMCType;
import org.openjdk.jmc.common.item.Attribute;
import org.openjdk.jmc.common.item.IAttribute;
import org.openjdk.jmc.common.item.IItem;
import org.openjdk.jmc.common.item.IItemCollection;
import org.openjdk.jmc.common.item.IItemIterable;
import org.openjdk.jmc.common.item.IMemberAccessor;
import org.openjdk.jmc.common.item.IType;
import org.openjdk.jmc.common.item.ItemFilters;
import org.openjdk.jmc.common.unit.IQuantity;
import org.openjdk.jmc.common.unit.UnitLookup;
import org.openjdk.jmc.flightrecorder.JfrAttributes;
import org.openjdk.jmc.flightrecorder.jdk.JdkAttributes;

/**
 * JDK Mission Control's parsed events, fed to {@link RecordingFacts} with the same mapping as the
 * report's {@code jdk.jfr.consumer} reader: JMC's rules and the report analyse the same facts.
 */
public final class JmcFacts {

    private static final Set<String> TYPES = Set.of(
            "dev.phyxius.MessageHandled",
            "dev.phyxius.MessageDropped",
            "dev.phyxius.MessageRejected",
            "dev.phyxius.ProcessStarted",
            "dev.phyxius.ProcessStopped",
            "dev.phyxius.ProcessFailed",
            "dev.phyxius.ProcessRestarted",
            "dev.phyxius.SupervisorRestart",
            "dev.phyxius.SupervisorGaveUp",
            "dev.phyxius.SupervisorEscalated",
            "dev.phyxius.ProcessStatistics",
            "dev.phyxius.ProcessNameLimitReached",
            "jdk.VirtualThreadPinned",
            "jdk.JavaMonitorEnter",
            "jdk.ThreadPark",
            "jdk.GCPhasePause",
            "jdk.ActiveSetting");

    private static final IAttribute<String> PROCESS_NAME =
            Attribute.attr("processName", "Process Name", UnitLookup.PLAIN_TEXT);
    private static final IAttribute<String> PROCESS_ID =
            Attribute.attr("processId", "Process Id", UnitLookup.PLAIN_TEXT);
    private static final IAttribute<String> ERROR_TYPE =
            Attribute.attr("errorType", "Error Type", UnitLookup.PLAIN_TEXT);
    private static final IAttribute<String> TRACE_ID = Attribute.attr("traceId", "Trace Id", UnitLookup.PLAIN_TEXT);
    private static final IAttribute<String> REASON = Attribute.attr("reason", "Reason", UnitLookup.PLAIN_TEXT);
    private static final IAttribute<String> SUPERVISOR_ID =
            Attribute.attr("supervisorId", "Supervisor Id", UnitLookup.PLAIN_TEXT);
    private static final IAttribute<String> CHILD_NAME =
            Attribute.attr("childName", "Child Name", UnitLookup.PLAIN_TEXT);
    private static final IAttribute<String> CHILD_ID = Attribute.attr("childId", "Child Id", UnitLookup.PLAIN_TEXT);
    private static final IAttribute<IMCType> MESSAGE_TYPE =
            Attribute.attr("messageType", "Message Type", UnitLookup.CLASS);
    private static final IAttribute<IQuantity> QUEUED =
            Attribute.attr("queued", "Time in Mailbox", UnitLookup.TIMESPAN);
    private static final IAttribute<IQuantity> DELAY = Attribute.attr("delay", "Backoff", UnitLookup.TIMESPAN);
    private static final IAttribute<IQuantity> WITHIN = Attribute.attr("within", "Window", UnitLookup.TIMESPAN);
    private static final IAttribute<IQuantity> ATTEMPT = Attribute.attr("attempt", "Attempt", UnitLookup.NUMBER);
    private static final IAttribute<IQuantity> RESTARTS = Attribute.attr("restarts", "Restarts", UnitLookup.NUMBER);
    private static final IAttribute<IQuantity> LIVE =
            Attribute.attr("liveProcesses", "Live Processes", UnitLookup.NUMBER);
    private static final IAttribute<IQuantity> MAILBOX =
            Attribute.attr("mailboxSize", "Mailbox Size", UnitLookup.NUMBER);
    private static final IAttribute<IQuantity> MAX_MAILBOX =
            Attribute.attr("maxMailboxSize", "Largest Mailbox", UnitLookup.NUMBER);
    private static final IAttribute<IQuantity> HANDLED = Attribute.attr("handled", "Handled", UnitLookup.NUMBER);
    private static final IAttribute<String> BLOCKING_OPERATION =
            Attribute.attr("blockingOperation", "Blocking Operation", UnitLookup.PLAIN_TEXT);
    private static final IAttribute<String> PINNED_REASON =
            Attribute.attr("pinnedReason", "Pinned Reason", UnitLookup.PLAIN_TEXT);
    private static final IAttribute<IMCType> PARKED_CLASS =
            Attribute.attr("parkedClass", "Class Parked On", UnitLookup.CLASS);

    private JmcFacts() {}

    /**
     * The facts of {@code items}.
     *
     * @param items the events JMC parsed
     * @return the facts
     */
    public static RecordingFacts of(IItemCollection items) {
        RecordingFacts facts = RecordingFacts.create("JDK Mission Control");
        for (IItemIterable iterable : items.apply(ItemFilters.type(TYPES))) {
            IType<IItem> type = iterable.getType();
            Reader r = new Reader(type);
            for (IItem item : iterable) {
                feed(facts, type.getIdentifier(), r, item);
            }
        }
        return facts;
    }

    private static void feed(RecordingFacts facts, String type, Reader r, IItem item) {
        long start = r.time(JfrAttributes.START_TIME, item);
        long end = r.time(JfrAttributes.END_TIME, item);
        switch (type) {
            case "dev.phyxius.MessageHandled" ->
                facts.handled(
                        r.text(PROCESS_NAME, item),
                        r.text(PROCESS_ID, item),
                        start,
                        end,
                        r.thread(item),
                        r.nanos(QUEUED, item),
                        r.type(MESSAGE_TYPE, item),
                        r.text(ERROR_TYPE, item),
                        r.text(TRACE_ID, item));
            case "dev.phyxius.MessageDropped" -> facts.dropped(r.text(PROCESS_NAME, item), start, r.text(REASON, item));
            case "dev.phyxius.MessageRejected" ->
                facts.rejected(r.text(PROCESS_NAME, item), start, r.text(REASON, item));
            case "dev.phyxius.ProcessStarted", "dev.phyxius.ProcessStopped" ->
                facts.lifecycle(r.text(PROCESS_NAME, item), start);
            case "dev.phyxius.ProcessFailed" ->
                facts.failed(r.text(PROCESS_NAME, item), start, r.text(ERROR_TYPE, item));
            case "dev.phyxius.ProcessRestarted" ->
                facts.restarted(r.text(PROCESS_NAME, item), r.text(PROCESS_ID, item), start);
            case "dev.phyxius.SupervisorRestart" ->
                facts.restartScheduled(
                        start,
                        r.text(SUPERVISOR_ID, item),
                        r.text(CHILD_NAME, item),
                        r.text(CHILD_ID, item),
                        (int) r.number(ATTEMPT, item),
                        r.nanos(DELAY, item));
            case "dev.phyxius.SupervisorGaveUp" ->
                facts.gaveUp(
                        start,
                        r.text(SUPERVISOR_ID, item),
                        r.text(CHILD_NAME, item),
                        r.text(CHILD_ID, item),
                        (int) r.number(RESTARTS, item),
                        r.nanos(WITHIN, item));
            case "dev.phyxius.SupervisorEscalated" ->
                facts.escalated(
                        start,
                        r.text(SUPERVISOR_ID, item),
                        r.text(CHILD_NAME, item),
                        r.text(CHILD_ID, item),
                        r.text(ERROR_TYPE, item));
            case "dev.phyxius.ProcessStatistics" ->
                facts.statistics(
                        start,
                        r.text(PROCESS_NAME, item),
                        (int) r.number(LIVE, item),
                        r.number(MAILBOX, item),
                        (int) r.number(MAX_MAILBOX, item),
                        r.number(HANDLED, item));
            case "jdk.VirtualThreadPinned" -> {
                String reason = r.text(PINNED_REASON, item);
                String operation = r.text(BLOCKING_OPERATION, item);
                facts.pinned(
                        start,
                        end,
                        r.thread(item),
                        reason != null && operation != null
                                ? operation + " while " + reason
                                : reason != null ? reason : operation);
            }
            case "jdk.JavaMonitorEnter" ->
                facts.monitorEnter(start, end, r.thread(item), r.type(JdkAttributes.MONITOR_CLASS, item));
            case "jdk.ThreadPark" -> facts.park(start, end, r.thread(item), r.type(PARKED_CLASS, item));
            case "jdk.GCPhasePause" -> facts.gcPause(start, end);
            case "jdk.ActiveSetting" ->
                facts.setting(
                        r.text(JdkAttributes.REC_SETTING_FOR_NAME, item),
                        r.text(JdkAttributes.REC_SETTING_NAME, item),
                        r.text(JdkAttributes.REC_SETTING_VALUE, item));
            default -> facts.otherPhyxiusEvent(start);
        }
    }

    /** Reads attributes of one event type; an attribute the type lacks reads as absent. */
    private static final class Reader {
        private final IType<IItem> type;

        Reader(IType<IItem> type) {
            this.type = type;
        }

        private <T> T get(IAttribute<T> attribute, IItem item) {
            IMemberAccessor<T, IItem> accessor = attribute.getAccessor(type);
            return accessor == null ? null : accessor.getMember(item);
        }

        String text(IAttribute<String> attribute, IItem item) {
            return get(attribute, item);
        }

        String type(IAttribute<IMCType> attribute, IItem item) {
            IMCType t = get(attribute, item);
            return t == null ? null : t.getFullName();
        }

        long time(IAttribute<IQuantity> attribute, IItem item) {
            IQuantity q = get(attribute, item);
            return q == null ? 0 : q.clampedLongValueIn(UnitLookup.EPOCH_NS);
        }

        long nanos(IAttribute<IQuantity> attribute, IItem item) {
            IQuantity q = get(attribute, item);
            return q == null ? 0 : q.clampedLongValueIn(UnitLookup.NANOSECOND);
        }

        long number(IAttribute<IQuantity> attribute, IItem item) {
            IQuantity q = get(attribute, item);
            return q == null ? 0 : q.longValue();
        }

        long thread(IItem item) {
            IMCThread thread = get(JfrAttributes.EVENT_THREAD, item);
            return thread == null || thread.getThreadId() == null ? -1 : thread.getThreadId();
        }
    }
}

package dev.phyxius.analysis.spi;

import dev.phyxius.analysis.Analysis;
import dev.phyxius.analysis.AnalysisOptions;
import dev.phyxius.analysis.Distribution;
import dev.phyxius.analysis.JdkActivity;
import dev.phyxius.analysis.KeyedGroupSummary;
import dev.phyxius.analysis.MessageTypeSummary;
import dev.phyxius.analysis.ProcessSummary;
import dev.phyxius.analysis.RecordingInfo;
import dev.phyxius.analysis.SupervisorDecision;
import dev.phyxius.analysis.internal.Findings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The facts a recording holds, fed one event at a time by whatever parsed it
 * ({@code jdk.jfr.consumer} for the report, JDK Mission Control's parser for its rules), and the
 * analysis over them: both readers therefore report the same figures and the same findings.
 *
 * <p>Times are nanoseconds since the epoch; durations are nanoseconds. Feed events in any order,
 * then call {@link #analyze} once. Not thread-safe.
 *
 * @since 0.1
 */
public final class RecordingFacts {

    /** The JDK events whose settings the report describes. */
    public static final List<String> JDK_EVENTS =
            List.of("jdk.VirtualThreadPinned", "jdk.JavaMonitorEnter", "jdk.ThreadPark", "jdk.GCPhasePause");

    private static final int SLOWEST_TYPES = 5;
    /** The wait of a message outside its process's timing sample; below every real wait. */
    private static final long UNMEASURED = -1L;

    private final String source;
    private final Map<String, ProcessFacts> processes = new TreeMap<>();
    private final Map<String, KeyedFacts> keyedGroups = new TreeMap<>();
    private final List<Handled> allHandled = new ArrayList<>();
    private final List<Interval> blocking = new ArrayList<>();
    private final List<long[]> gcPauses = new ArrayList<>();
    private final List<Decision> decisions = new ArrayList<>();
    private final Map<String, String> settings = new HashMap<>();
    private final Set<String> enabledJdkEvents = new HashSet<>();
    private long phyxiusEvents;
    private long start = Long.MAX_VALUE;
    private long end = Long.MIN_VALUE;

    private RecordingFacts(String source) {
        this.source = source;
    }

    /**
     * No facts yet.
     *
     * @param source where the recording comes from, for the report (a file name)
     * @return an empty collection of facts
     */
    public static RecordingFacts create(String source) {
        return new RecordingFacts(Objects.requireNonNull(source, "source"));
    }

    // ---------------------------------------------------------------------------------------
    // Phyxius events

    /**
     * A {@code dev.phyxius.MessageHandled}: a handler ran from {@code start} to {@code end} on
     * thread {@code thread}.
     *
     * @param process     the process name
     * @param processId   the process id
     * @param start       the event's start
     * @param end         the event's end
     * @param thread      the Java id of the thread it ran on
     * @param queued      its {@code queued} field; negative if the message was outside the
     *                    process's timing sample (the wait was not measured)
     * @param messageType the message class's name
     * @param errorType   what the handler threw, or {@code null}
     * @param traceId     the trace id, or {@code null}
     */
    public void handled(
            String process,
            String processId,
            long start,
            long end,
            long thread,
            long queued,
            String messageType,
            String errorType,
            String traceId) {
        Handled h = new Handled(
                process,
                orEmpty(processId),
                start,
                end,
                thread,
                queued < 0 ? UNMEASURED : queued,
                orEmpty(messageType),
                errorType,
                orEmpty(traceId));
        ProcessFacts p = process(process);
        p.handled.add(h);
        allHandled.add(h);
        phyxius(start, end);
    }

    /**
     * A {@code dev.phyxius.MessageDropped}.
     *
     * @param process the process name
     * @param time    when
     * @param reason  its {@code reason} field
     */
    public void dropped(String process, long time, String reason) {
        process(process).drops.merge(orEmpty(reason), 1L, Long::sum);
        phyxius(time, time);
    }

    /**
     * A {@code dev.phyxius.MessageRejected}.
     *
     * @param process the process name
     * @param time    when
     * @param reason  its {@code reason} field
     */
    public void rejected(String process, long time, String reason) {
        process(process).rejections.merge(orEmpty(reason), 1L, Long::sum);
        phyxius(time, time);
    }

    /**
     * A {@code dev.phyxius.ProcessStarted} or {@code ProcessStopped}: only that the process existed.
     *
     * @param process the process name
     * @param time    when
     */
    public void lifecycle(String process, long time) {
        process(process);
        phyxius(time, time);
    }

    /**
     * A {@code dev.phyxius.ProcessFailed}.
     *
     * @param process   the process name
     * @param time      when
     * @param errorType its {@code errorType} field
     */
    public void failed(String process, long time, String errorType) {
        ProcessFacts p = process(process);
        p.failures.merge(orEmpty(errorType), 1L, Long::sum);
        p.failureTimes.add(time);
        phyxius(time, time);
    }

    /**
     * A {@code dev.phyxius.ProcessRestarted}.
     *
     * @param process   the process name
     * @param processId the process id
     * @param time      when
     */
    public void restarted(String process, String processId, long time) {
        process(process).restartTimes.add(time);
        decisions.add(new Decision(time, SupervisorDecision.Kind.RESTARTED, "", process, orEmpty(processId), 0, 0, ""));
        phyxius(time, time);
    }

    /**
     * A {@code dev.phyxius.SupervisorRestart}.
     *
     * @param time       when
     * @param supervisor the supervisor's id
     * @param child      the child's name, or {@code null}
     * @param childId    the child's id
     * @param attempt    the attempt
     * @param delay      the backoff
     */
    public void restartScheduled(long time, String supervisor, String child, String childId, int attempt, long delay) {
        decisions.add(new Decision(
                time,
                SupervisorDecision.Kind.RESTART,
                orEmpty(supervisor),
                orEmpty(child),
                orEmpty(childId),
                attempt,
                delay,
                ""));
        phyxius(time, time);
    }

    /**
     * A {@code dev.phyxius.SupervisorGaveUp}.
     *
     * @param time       when
     * @param supervisor the supervisor's id
     * @param child      the child's name, or {@code null}
     * @param childId    the child's id
     * @param restarts   the restarts inside the window
     * @param within     the window
     */
    public void gaveUp(long time, String supervisor, String child, String childId, int restarts, long within) {
        if (child != null) {
            process(child).giveUps++;
        }
        decisions.add(new Decision(
                time,
                SupervisorDecision.Kind.GAVE_UP,
                orEmpty(supervisor),
                orEmpty(child),
                orEmpty(childId),
                restarts,
                within,
                ""));
        phyxius(time, time);
    }

    /**
     * A {@code dev.phyxius.SupervisorEscalated}.
     *
     * @param time       when
     * @param supervisor the supervisor's id
     * @param child      the child's name, or {@code null}
     * @param childId    the child's id
     * @param errorType  the error
     */
    public void escalated(long time, String supervisor, String child, String childId, String errorType) {
        decisions.add(new Decision(
                time,
                SupervisorDecision.Kind.ESCALATED,
                orEmpty(supervisor),
                orEmpty(child),
                orEmpty(childId),
                0,
                0,
                orEmpty(errorType)));
        phyxius(time, time);
    }

    /**
     * A {@code dev.phyxius.ProcessStatistics}.
     *
     * @param time        when
     * @param process     the process name
     * @param live        {@code liveProcesses}
     * @param mailboxSize {@code mailboxSize}
     * @param maxMailbox  {@code maxMailboxSize}
     * @param handled     {@code handled}
     */
    public void statistics(long time, String process, int live, long mailboxSize, int maxMailbox, long handled) {
        ProcessFacts p = process(process);
        p.statistics = true;
        p.statisticsHandled += handled;
        p.maxLive = Math.max(p.maxLive, live);
        p.maxMailbox = Math.max(p.maxMailbox, Math.max(mailboxSize, maxMailbox));
        p.mailboxSamples.add(new long[] {time, Math.max(mailboxSize, maxMailbox)});
        phyxius(time, time);
    }

    // ---------------------------------------------------------------------------------------
    // Keyed groups

    /**
     * A {@code dev.phyxius.KeyedActivated}: a key of {@code group} came to life.
     *
     * @param time  when
     * @param group the group's name
     */
    public void keyedActivated(long time, String group) {
        keyed(group).activations++;
        phyxius(time, time);
    }

    /**
     * A {@code dev.phyxius.KeyedActivationFailed}.
     *
     * @param time  when
     * @param group the group's name
     */
    public void keyedActivationFailed(long time, String group) {
        keyed(group).activationFailures++;
        phyxius(time, time);
    }

    /**
     * A {@code dev.phyxius.KeyedPassivated}.
     *
     * @param time  when
     * @param group the group's name
     * @param cause why the group let the key go ({@code IDLE}, {@code EVICTED}, ...), or {@code null}
     */
    public void keyedPassivated(long time, String group, String cause) {
        keyed(group).passivations.merge(orEmpty(cause).isEmpty() ? "unknown" : cause, 1L, Long::sum);
        phyxius(time, time);
    }

    /**
     * A {@code dev.phyxius.KeyedEvicted}.
     *
     * @param time  when
     * @param group the group's name
     */
    public void keyedEvicted(long time, String group) {
        keyed(group).evictions++;
        phyxius(time, time);
    }

    /**
     * A {@code dev.phyxius.KeyedGaveUp}.
     *
     * @param time  when
     * @param group the group's name
     */
    public void keyedGaveUp(long time, String group) {
        keyed(group).giveUps++;
        phyxius(time, time);
    }

    /**
     * A {@code dev.phyxius.KeyedMessageDropped}.
     *
     * @param time   when
     * @param group  the group's name
     * @param reason why, or {@code null}
     */
    public void keyedDropped(long time, String group, String reason) {
        keyed(group).drops.merge(orEmpty(reason).isEmpty() ? "unknown" : reason, 1L, Long::sum);
        phyxius(time, time);
    }

    /**
     * A {@code dev.phyxius.KeyedMessageRejected}.
     *
     * @param time   when
     * @param group  the group's name
     * @param reason why, or {@code null}
     */
    public void keyedRejected(long time, String group, String reason) {
        keyed(group).rejections.merge(orEmpty(reason).isEmpty() ? "unknown" : reason, 1L, Long::sum);
        phyxius(time, time);
    }

    private KeyedFacts keyed(String group) {
        return keyedGroups.computeIfAbsent(orEmpty(group).isEmpty() ? "(unnamed)" : group, g -> new KeyedFacts());
    }

    /** What one keyed group's events said. */
    private static final class KeyedFacts {
        long activations;
        long activationFailures;
        long evictions;
        long giveUps;
        final Map<String, Long> passivations = new TreeMap<>();
        final Map<String, Long> drops = new TreeMap<>();
        final Map<String, Long> rejections = new TreeMap<>();
    }

    /**
     * Any other {@code dev.phyxius.*} event: counted, and its time extends the recording's span.
     *
     * @param time when
     */
    public void otherPhyxiusEvent(long time) {
        phyxius(time, time);
    }

    // ---------------------------------------------------------------------------------------
    // JDK events

    /**
     * A {@code jdk.VirtualThreadPinned}.
     *
     * @param start  its start
     * @param end    its end
     * @param thread the Java id of the pinned (virtual) thread
     * @param detail what it was doing (its blocking operation), or {@code null}
     */
    public void pinned(long start, long end, long thread, String detail) {
        blocking.add(new Interval(Blocking.PINNED, start, end, thread, orEmpty(detail)));
        span(start, end);
    }

    /**
     * A {@code jdk.JavaMonitorEnter}.
     *
     * @param start  its start
     * @param end    its end
     * @param thread the Java id of the waiting thread
     * @param detail the monitor's class, or {@code null}
     */
    public void monitorEnter(long start, long end, long thread, String detail) {
        blocking.add(new Interval(Blocking.MONITOR, start, end, thread, orEmpty(detail)));
        span(start, end);
    }

    /**
     * A {@code jdk.ThreadPark}.
     *
     * @param start  its start
     * @param end    its end
     * @param thread the Java id of the parked thread
     * @param detail the class parked on, or {@code null}
     */
    public void park(long start, long end, long thread, String detail) {
        blocking.add(new Interval(Blocking.PARK, start, end, thread, orEmpty(detail)));
        span(start, end);
    }

    /**
     * A {@code jdk.GCPhasePause}: the world stood still from {@code start} to {@code end}.
     *
     * @param start its start
     * @param end   its end
     */
    public void gcPause(long start, long end) {
        gcPauses.add(new long[] {start, end});
        span(start, end);
    }

    /**
     * A {@code jdk.ActiveSetting}: a recording setting in force from then on.
     *
     * @param eventName the event type's name
     * @param name      the setting's name ({@code enabled}, {@code threshold}, ...)
     * @param value     its value
     */
    public void setting(String eventName, String name, String value) {
        if (eventName == null || name == null || value == null) {
            return;
        }
        settings.put(eventName + "#" + name, value);
        if (JDK_EVENTS.contains(eventName) && name.equals("enabled")) {
            if (value.equals("true")) {
                enabledJdkEvents.add(eventName);
            } else {
                enabledJdkEvents.remove(eventName);
            }
        }
    }

    /**
     * Any other event: its time extends the recording's span.
     *
     * @param start its start
     * @param end   its end
     */
    public void span(long start, long end) {
        this.start = Math.min(this.start, start);
        this.end = Math.max(this.end, end);
    }

    /**
     * How many {@code dev.phyxius.*} events were fed.
     *
     * @return the count
     */
    public long phyxiusEvents() {
        return phyxiusEvents;
    }

    private void phyxius(long start, long end) {
        phyxiusEvents++;
        span(start, end);
    }

    private ProcessFacts process(String name) {
        return processes.computeIfAbsent(orEmpty(name).isEmpty() ? "(unnamed)" : name, n -> new ProcessFacts());
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    // ---------------------------------------------------------------------------------------
    // The analysis

    /**
     * The analysis of everything fed so far.
     *
     * @param options the thresholds of the findings
     * @return the analysis
     * @throws NullPointerException if {@code options} is {@code null}
     */
    public Analysis analyze(AnalysisOptions options) {
        Objects.requireNonNull(options, "options");
        long first = start == Long.MAX_VALUE ? 0 : start;
        long last = end == Long.MIN_VALUE ? first : end;
        long width = Math.max(1_000_000L, (last - first + Analysis.BINS - 1) / Analysis.BINS);
        Attribution attribution = attribute(options.slowHandler().toNanos());

        List<ProcessSummary> summaries = new ArrayList<>();
        for (Map.Entry<String, ProcessFacts> entry : processes.entrySet()) {
            summaries.add(summarize(entry.getKey(), entry.getValue(), attribution, first, width));
        }
        RecordingInfo info = new RecordingInfo(
                source,
                instant(first),
                instant(last),
                phyxiusEvents,
                threshold(settings.get("dev.phyxius.MessageHandled#threshold")),
                enabledJdkEvents);
        List<SupervisorDecision> timeline = decisions.stream()
                .sorted(Comparator.comparingLong(Decision::time))
                .map(d -> new SupervisorDecision(
                        instant(d.time),
                        d.kind,
                        d.supervisor,
                        d.child,
                        d.childId,
                        d.count,
                        Duration.ofNanos(d.duration),
                        d.errorType))
                .toList();
        List<ProcessSummary> done = List.copyOf(summaries);
        List<KeyedGroupSummary> groups = keyedGroups.entrySet().stream()
                .map(e -> new KeyedGroupSummary(
                        e.getKey(),
                        e.getValue().activations,
                        e.getValue().activationFailures,
                        e.getValue().passivations,
                        e.getValue().evictions,
                        e.getValue().giveUps,
                        e.getValue().drops,
                        e.getValue().rejections))
                .toList();
        return new Analysis(
                info,
                done,
                timeline,
                Findings.of(done, restartWindows(options), options),
                instant(first),
                Duration.ofNanos(width),
                groups);
    }

    /** The most restarts of each process inside any window of the storm length. */
    private Map<String, Long> restartWindows(AnalysisOptions options) {
        long window = options.restartWindow().toNanos();
        Map<String, Long> most = new HashMap<>();
        for (Map.Entry<String, ProcessFacts> entry : processes.entrySet()) {
            long[] times = entry.getValue().restartTimes.stream()
                    .mapToLong(Long::longValue)
                    .sorted()
                    .toArray();
            long best = 0;
            for (int i = 0, j = 0; i < times.length; i++) {
                while (times[i] - times[j] > window) {
                    j++;
                }
                best = Math.max(best, i - j + 1);
            }
            most.put(entry.getKey(), best);
        }
        return most;
    }

    private ProcessSummary summarize(String name, ProcessFacts p, Attribution attribution, long first, long width) {
        int n = p.handled.size();
        long[] handling = new long[n];
        long[] queued = new long[n];
        int waits = 0;
        long normal = 0;
        Long[] histogram = zeros(Analysis.HANDLING_BUCKETS.size() + 1);
        Long[] waitPerBin = zeros(Analysis.BINS);
        Map<String, List<Handled>> byType = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            Handled h = p.handled.get(i);
            handling[i] = h.end - h.start;
            if (h.queued != UNMEASURED) {
                queued[waits++] = h.queued;
            }
            if (h.errorType == null) {
                normal++;
            }
            histogram[bucket(handling[i])]++;
            int bin = bin(h.start, first, width);
            waitPerBin[bin] = Math.max(waitPerBin[bin], h.queued);
            byType.computeIfAbsent(h.messageType, t -> new ArrayList<>()).add(h);
        }
        List<MessageTypeSummary> types = new ArrayList<>();
        for (Map.Entry<String, List<Handled>> type : byType.entrySet()) {
            List<Handled> list = type.getValue();
            long[] durations = list.stream().mapToLong(h -> h.end - h.start).toArray();
            Handled slowest = list.stream()
                    .max(Comparator.comparingLong(h -> h.end - h.start))
                    .orElseThrow();
            types.add(new MessageTypeSummary(
                    type.getKey(),
                    Distribution.ofNanos(durations, durations.length),
                    instant(slowest.start),
                    slowest.processId,
                    slowest.traceId));
        }
        types.sort(Comparator.comparing((MessageTypeSummary t) -> t.handling().max())
                .reversed());
        Long[] mailboxPerBin = zeros(Analysis.BINS);
        for (long[] sample : p.mailboxSamples) {
            int bin = bin(sample[0], first, width);
            mailboxPerBin[bin] = Math.max(mailboxPerBin[bin], sample[1]);
        }
        ProcessSummary.Series series = new ProcessSummary.Series(
                List.of(histogram),
                List.of(waitPerBin),
                List.of(mailboxPerBin),
                perBin(p.failureTimes, first, width),
                perBin(p.restartTimes, first, width));
        // The statistics miss what was handled after their last period (a recording that ends at
        // exit), the events miss what was under the threshold: each is a lower bound.
        return new ProcessSummary(
                name,
                p.statistics ? Math.max(p.statisticsHandled, normal) : normal,
                n,
                Distribution.ofNanos(handling, n),
                Distribution.ofNanos(queued, waits),
                p.maxMailbox,
                p.maxLive,
                p.failures,
                p.restartTimes.size(),
                p.giveUps,
                p.drops,
                p.rejections,
                types.subList(0, Math.min(SLOWEST_TYPES, types.size())),
                attribution.of(name),
                series);
    }

    private static List<Long> perBin(List<Long> times, long first, long width) {
        Long[] bins = zeros(Analysis.BINS);
        for (long time : times) {
            bins[bin(time, first, width)]++;
        }
        return List.of(bins);
    }

    private static Long[] zeros(int length) {
        Long[] zeros = new Long[length];
        Arrays.fill(zeros, 0L);
        return zeros;
    }

    private static int bin(long time, long first, long width) {
        return (int) Math.max(0, Math.min(Analysis.BINS - 1, (time - first) / width));
    }

    private static int bucket(long nanos) {
        List<Duration> bounds = Analysis.HANDLING_BUCKETS;
        for (int i = 0; i < bounds.size(); i++) {
            if (nanos < bounds.get(i).toNanos()) {
                return i;
            }
        }
        return bounds.size();
    }

    /**
     * JDK events inside recorded handlers, and GC pauses inside slow ones: an event belongs to
     * the handler that ran on its thread when it started.
     */
    private Attribution attribute(long slowNanos) {
        Map<Long, List<Handled>> byThread = new HashMap<>();
        for (Handled h : allHandled) {
            byThread.computeIfAbsent(h.thread, t -> new ArrayList<>()).add(h);
        }
        byThread.values().forEach(list -> list.sort(Comparator.comparingLong(Handled::start)));
        Attribution attribution = new Attribution();
        for (Interval event : blocking) {
            Handled handler = containing(byThread.get(event.thread), event.start);
            if (handler != null) {
                attribution.blocking(handler.process, event);
            }
        }
        gcPauses.sort(Comparator.comparingLong(pause -> pause[0]));
        for (Handled h : allHandled) {
            if (h.end - h.start < slowNanos) {
                continue;
            }
            long inGc = 0;
            for (long[] pause : gcPauses) {
                if (pause[0] >= h.end) {
                    break;
                }
                inGc += Math.max(0, Math.min(pause[1], h.end) - Math.max(pause[0], h.start));
            }
            attribution.slow(h.process, h.end - h.start, inGc);
        }
        return attribution;
    }

    private static Handled containing(List<Handled> sorted, long time) {
        if (sorted == null) {
            return null;
        }
        int low = 0;
        int high = sorted.size() - 1;
        Handled found = null;
        while (low <= high) { // the last handler that started at or before time
            int mid = (low + high) >>> 1;
            if (sorted.get(mid).start <= time) {
                found = sorted.get(mid);
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return found != null && time < found.end ? found : null;
    }

    private static Instant instant(long epochNanos) {
        return Instant.ofEpochSecond(0, epochNanos);
    }

    /** A JFR duration setting ("10 ms", "0 ns", "20ms", "1 s"), or zero if absent or unreadable. */
    static Duration threshold(String value) {
        if (value == null) {
            return Duration.ZERO;
        }
        String v = value.trim().replace(" ", "");
        String[][] units = {
            {"ns", "1"},
            {"us", "1000"},
            {"ms", "1000000"},
            {"s", "1000000000"},
            {"m", "60000000000"},
            {"h", "3600000000000"},
            {"d", "86400000000000"}
        };
        for (String[] unit : units) {
            if (v.endsWith(unit[0]) && v.length() > unit[0].length()) {
                String number = v.substring(0, v.length() - unit[0].length());
                if (number.chars().allMatch(Character::isDigit)) {
                    return Duration.ofNanos(Long.parseLong(number) * Long.parseLong(unit[1]));
                }
            }
        }
        return Duration.ZERO;
    }

    // ---------------------------------------------------------------------------------------
    // Storage

    private record Handled(
            String process,
            String processId,
            long start,
            long end,
            long thread,
            long queued,
            String messageType,
            String errorType,
            String traceId) {}

    private enum Blocking {
        PINNED,
        MONITOR,
        PARK
    }

    private record Interval(Blocking kind, long start, long end, long thread, String detail) {}

    private record Decision(
            long time,
            SupervisorDecision.Kind kind,
            String supervisor,
            String child,
            String childId,
            int count,
            long duration,
            String errorType) {}

    private static final class ProcessFacts {
        final List<Handled> handled = new ArrayList<>();
        final Map<String, Long> failures = new TreeMap<>();
        final Map<String, Long> drops = new TreeMap<>();
        final Map<String, Long> rejections = new TreeMap<>();
        final List<Long> failureTimes = new ArrayList<>();
        final List<Long> restartTimes = new ArrayList<>();
        final List<long[]> mailboxSamples = new ArrayList<>();
        long giveUps;
        boolean statistics;
        long statisticsHandled;
        long maxMailbox;
        int maxLive;
    }

    /** Per process: the JDK events inside its handlers, and its slow handlers' GC time. */
    private static final class Attribution {
        private final Map<String, long[][]> blocking = new HashMap<>(); // kind -> {count, total, max}
        private final Map<String, String[]> details = new HashMap<>();
        private final Map<String, long[]> slow = new HashMap<>(); // {count, time, duringGc, gcTime}

        void blocking(String process, Interval event) {
            long[][] kinds = blocking.computeIfAbsent(process, p -> new long[3][3]);
            String[] detail = details.computeIfAbsent(process, p -> new String[] {"", "", ""});
            long[] k = kinds[event.kind.ordinal()];
            long duration = event.end - event.start;
            k[0]++;
            k[1] += duration;
            if (duration >= k[2]) {
                k[2] = duration;
                detail[event.kind.ordinal()] = event.detail;
            }
        }

        void slow(String process, long duration, long inGc) {
            long[] s = slow.computeIfAbsent(process, p -> new long[4]);
            s[0]++;
            s[1] += duration;
            if (inGc > 0) {
                s[2]++;
                s[3] += inGc;
            }
        }

        JdkActivity of(String process) {
            long[][] kinds = blocking.getOrDefault(process, new long[3][3]);
            String[] detail = details.getOrDefault(process, new String[] {"", "", ""});
            long[] s = slow.getOrDefault(process, new long[4]);
            return new JdkActivity(
                    summary(kinds[0], detail[0]),
                    summary(kinds[1], detail[1]),
                    summary(kinds[2], detail[2]),
                    s[0],
                    Duration.ofNanos(s[1]),
                    s[2],
                    Duration.ofNanos(s[3]));
        }

        private static JdkActivity.Blocking summary(long[] k, String detail) {
            return k[0] == 0
                    ? JdkActivity.Blocking.NONE
                    : new JdkActivity.Blocking(k[0], Duration.ofNanos(k[1]), Duration.ofNanos(k[2]), detail);
        }
    }
}

package dev.phyxius.analysis.internal;

import dev.phyxius.analysis.Analysis;
import dev.phyxius.analysis.Distribution;
import dev.phyxius.analysis.Finding;
import dev.phyxius.analysis.JdkActivity;
import dev.phyxius.analysis.KeyedGroupSummary;
import dev.phyxius.analysis.MessageTypeSummary;
import dev.phyxius.analysis.ProcessSummary;
import dev.phyxius.analysis.RecordingInfo;
import dev.phyxius.analysis.SupervisorDecision;
import dev.phyxius.analysis.spi.RecordingFacts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The report as plain text for a terminal: findings first, then a table, then the details. */
public final class TextReport {

    /** The most timeline entries written; the rest are counted. */
    static final int TIMELINE_LIMIT = 40;

    private TextReport() {}

    /**
     * The analysis as text.
     *
     * @param analysis the analysis
     * @return the text, ending with a newline
     */
    public static String of(Analysis analysis) {
        StringBuilder out = new StringBuilder();
        header(analysis.recording(), out);
        findings(analysis.findings(), out);
        table(analysis.processes(), out);
        for (ProcessSummary p : analysis.processes()) {
            details(p, out);
        }
        keyedGroups(analysis.keyedGroups(), out);
        timeline(analysis.decisions(), out);
        return out.toString();
    }

    /** One line per keyed group: what came to life and how lives ended. */
    private static void keyedGroups(List<KeyedGroupSummary> groups, StringBuilder out) {
        if (groups.isEmpty()) {
            return;
        }
        out.append("Keyed groups\n");
        for (KeyedGroupSummary g : groups) {
            out.append("  ")
                    .append(g.group())
                    .append(": ")
                    .append(g.activations())
                    .append(" activated");
            if (g.activationFailures() > 0) {
                out.append(" (").append(g.activationFailures()).append(" failed)");
            }
            out.append(", ").append(g.passivated()).append(" passivated").append(inParentheses(g.passivations()));
            out.append(", ")
                    .append(g.evictions())
                    .append(" evicted, ")
                    .append(g.giveUps())
                    .append(" given up");
            if (!g.drops().isEmpty()) {
                out.append(", dropped").append(inParentheses(g.drops()));
            }
            if (!g.rejections().isEmpty()) {
                out.append(", rejected").append(inParentheses(g.rejections()));
            }
            out.append('\n');
        }
        out.append('\n');
    }

    /** " (IDLE 2, EVICTED 1)", most first, or nothing for no counts. */
    private static String inParentheses(Map<String, Long> counts) {
        return counts.isEmpty() ? "" : " (" + counts(counts) + ")";
    }

    private static void header(RecordingInfo r, StringBuilder out) {
        out.append("Phyxius recording report: ").append(r.source()).append('\n');
        out.append("Recorded ")
                .append(Text.time(r.start()))
                .append(" to ")
                .append(Text.time(r.end()))
                .append(" UTC (")
                .append(Text.duration(r.duration()))
                .append("), ")
                .append(r.phyxiusEvents())
                .append(" Phyxius events\n");
        if (r.messageThreshold().isZero()) {
            out.append("MessageHandled threshold: none (every handled message is in the percentiles)\n");
        } else {
            out.append("MessageHandled threshold: ")
                    .append(Text.duration(r.messageThreshold()))
                    .append(" (only messages that took longer are in the percentiles)\n");
        }
        List<String> missing = RecordingFacts.JDK_EVENTS.stream()
                .filter(e -> !r.jdkEvents().contains(e))
                .toList();
        out.append("JDK events read: ")
                .append(r.jdkEvents().isEmpty() ? "none" : String.join(", ", sorted(r.jdkEvents())));
        if (!missing.isEmpty()) {
            out.append(" (not enabled: ").append(String.join(", ", missing)).append(')');
        }
        out.append("\n\n");
    }

    private static List<String> sorted(java.util.Set<String> set) {
        return set.stream().sorted().toList();
    }

    private static void findings(List<Finding> findings, StringBuilder out) {
        out.append("Findings\n");
        if (findings.isEmpty()) {
            out.append("  none: no rule scored 25 or more\n\n");
            return;
        }
        for (Finding f : findings) {
            // Truncated, not rounded, so that 74.9 (INFO) never reads as 75 (WARNING).
            out.append(String.format(
                    Locale.ROOT, "  %-7s %3d  %-38s %s%n", f.severity(), (int) f.score(), f.title(), f.summary()));
        }
        out.append('\n');
    }

    private static void table(List<ProcessSummary> processes, StringBuilder out) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {
            "process",
            "handled",
            "recorded",
            "handling p50 / p99 / max",
            "mailbox wait p50 / p99 / max",
            "max mailbox",
            "failures",
            "restarts",
            "give-ups",
            "dropped",
            "rejected"
        });
        for (ProcessSummary p : processes) {
            rows.add(new String[] {
                p.name(),
                Long.toString(p.handled()),
                Long.toString(p.recordedMessages()),
                distribution(p.handling()),
                distribution(p.mailboxWait()),
                Long.toString(p.maxMailbox()),
                Long.toString(p.failureCount()),
                Long.toString(p.restarts()),
                Long.toString(p.giveUps()),
                Long.toString(sum(p.drops())),
                Long.toString(sum(p.rejections()))
            });
        }
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        out.append("Processes\n");
        for (String[] row : rows) {
            out.append(' ');
            for (int i = 0; i < row.length; i++) {
                out.append(' ');
                // Names and durations left, counts right.
                boolean left = i == 0 || i == 3 || i == 4;
                String cell = row[i];
                String pad = " ".repeat(widths[i] - cell.length());
                out.append(left ? cell + pad : pad + cell);
            }
            out.append('\n');
        }
        out.append('\n');
    }

    private static String distribution(Distribution d) {
        if (d.count() == 0) {
            return "-";
        }
        return Text.duration(d.p50()) + " / " + Text.duration(d.p99()) + " / " + Text.duration(d.max());
    }

    private static long sum(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    private static void details(ProcessSummary p, StringBuilder out) {
        List<String> lines = new ArrayList<>();
        if (!p.failures().isEmpty()) {
            lines.add("failures: " + counts(p.failures()));
        }
        if (!p.drops().isEmpty()) {
            lines.add("dropped: " + counts(p.drops()));
        }
        if (!p.rejections().isEmpty()) {
            lines.add("rejected: " + counts(p.rejections()));
        }
        if (!p.slowestTypes().isEmpty()) {
            lines.add("slowest message types:");
            for (MessageTypeSummary t : p.slowestTypes()) {
                lines.add("  " + t.messageType() + ": " + t.handling().count() + " recorded, p99 "
                        + Text.duration(t.handling().p99()) + ", max "
                        + Text.duration(t.handling().max()) + " at "
                        + Text.time(t.slowestAt()) + " (process " + t.slowestProcessId()
                        + (t.slowestTraceId().isEmpty() ? "" : ", trace " + t.slowestTraceId()) + ")");
            }
        }
        JdkActivity jdk = p.jdk();
        blocking("pinned its carrier", jdk.pinned(), lines);
        blocking("waited on a monitor", jdk.monitorEnter(), lines);
        blocking("parked", jdk.park(), lines);
        if (jdk.slowMessages() > 0) {
            lines.add("slow messages: " + jdk.slowMessages() + " (" + Text.duration(jdk.slowTime()) + "), "
                    + jdk.slowDuringGc() + " overlapped GC pauses taking " + Text.duration(jdk.gcPauseInSlow()));
        }
        if (lines.isEmpty()) {
            return;
        }
        out.append(p.name()).append('\n');
        for (String line : lines) {
            out.append("  ").append(line).append('\n');
        }
        out.append('\n');
    }

    private static void blocking(String what, JdkActivity.Blocking b, List<String> lines) {
        if (b.count() > 0) {
            lines.add("in handlers, " + what + ": " + (b.count() == 1 ? "once" : b.count() + " times") + ", "
                    + Text.duration(b.total()) + " in all, longest "
                    + Text.duration(b.max()) + (b.detail().isEmpty() ? "" : " (" + b.detail() + ")"));
        }
    }

    private static String counts(Map<String, Long> counts) {
        StringBuilder s = new StringBuilder();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> s.append(s.isEmpty() ? "" : ", ")
                        .append(e.getKey())
                        .append(" ")
                        .append(e.getValue()));
        return s.toString();
    }

    private static void timeline(List<SupervisorDecision> decisions, StringBuilder out) {
        out.append("Supervisor decisions\n");
        if (decisions.isEmpty()) {
            out.append("  none\n");
            return;
        }
        List<SupervisorDecision> shown = decisions.size() <= TIMELINE_LIMIT
                ? decisions
                : decisions.subList(decisions.size() - TIMELINE_LIMIT, decisions.size());
        if (shown.size() < decisions.size()) {
            out.append("  (")
                    .append(decisions.size() - shown.size())
                    .append(" earlier decisions not shown; see --json)\n");
        }
        for (SupervisorDecision d : shown) {
            out.append("  ")
                    .append(Text.time(d.time()))
                    .append("  ")
                    .append(decision(d))
                    .append('\n');
        }
    }

    static String decision(SupervisorDecision d) {
        String child = (d.child().isEmpty() ? "(unnamed)" : d.child()) + " (" + d.childId() + ")";
        return switch (d.kind()) {
            case RESTART -> "restart     " + child + ", attempt " + d.count() + ", after " + backoff(d.duration());
            case RESTARTED -> "restarted   " + child;
            case GAVE_UP ->
                "gave up on  " + child + " after " + d.count() + " restarts within " + Text.duration(d.duration());
            case ESCALATED -> "escalated   " + child + ": " + d.errorType();
        };
    }

    private static String backoff(Duration delay) {
        return delay.isZero() ? "no backoff" : Text.duration(delay) + " of backoff";
    }
}

package dev.phyxius.analysis.internal;

import dev.phyxius.analysis.AnalysisOptions;
import dev.phyxius.analysis.Finding;
import dev.phyxius.analysis.JdkActivity;
import dev.phyxius.analysis.MessageTypeSummary;
import dev.phyxius.analysis.ProcessSummary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The rules: each turns one figure of a process summary into a score, 75 (a warning) exactly at
 * its threshold and growing linearly with the figure, capped at 100. Findings below 25 are left
 * out. The JDK Mission Control rules report the same findings: they call this class.
 */
public final class Findings {

    /** Rule ids and names, in the order the report lists them. */
    public static final String SLOW_HANDLERS = "SlowHandlers";
    /** See {@link #SLOW_HANDLERS}. */
    public static final String MAILBOX_BACKLOG = "MailboxBacklog";
    /** See {@link #SLOW_HANDLERS}. */
    public static final String RESTART_STORM = "RestartStorm";
    /** See {@link #SLOW_HANDLERS}. */
    public static final String PINNED_IN_HANDLER = "PinnedInHandler";
    /** See {@link #SLOW_HANDLERS}. */
    public static final String BLOCKED_IN_HANDLER = "BlockedInHandler";
    /** See {@link #SLOW_HANDLERS}. */
    public static final String GC_BEHIND_SLOW_HANDLERS = "GcBehindSlowHandlers";

    /** The rules' names, by id. */
    public static final Map<String, String> TITLES = Map.of(
            SLOW_HANDLERS, "Slow process handlers",
            MAILBOX_BACKLOG, "Mailbox backlog",
            RESTART_STORM, "Restart storm",
            PINNED_IN_HANDLER, "Carrier pinned in a handler",
            BLOCKED_IN_HANDLER, "Handler blocked on a monitor or parked",
            GC_BEHIND_SLOW_HANDLERS, "GC pauses behind slow handlers");

    /** The rule ids in report order. */
    public static final List<String> RULES = List.of(
            SLOW_HANDLERS,
            MAILBOX_BACKLOG,
            RESTART_STORM,
            PINNED_IN_HANDLER,
            BLOCKED_IN_HANDLER,
            GC_BEHIND_SLOW_HANDLERS);

    private Findings() {}

    /**
     * Every finding of score 25 or more, highest first.
     *
     * @param processes      the process summaries
     * @param restartsInWindow the most restarts of each process inside one restart window
     * @param options        the thresholds
     * @return the findings
     */
    public static List<Finding> of(
            List<ProcessSummary> processes, Map<String, Long> restartsInWindow, AnalysisOptions options) {
        List<Finding> findings = new ArrayList<>();
        for (ProcessSummary p : processes) {
            slowHandlers(p, options, findings);
            backlog(p, options, findings);
            restartStorm(p, restartsInWindow.getOrDefault(p.name(), 0L), options, findings);
            pinned(p, options, findings);
            blocked(p, options, findings);
            gc(p, findings);
        }
        findings.removeIf(f -> f.score() < 25);
        findings.sort(Comparator.comparingDouble(Finding::score)
                .reversed()
                .thenComparing(f -> RULES.indexOf(f.rule()))
                .thenComparing(Finding::process));
        return findings;
    }

    /** 75 at the threshold, linear, within 0 to 100. */
    static double score(double value, double threshold) {
        return Math.max(0, Math.min(100, 75 * value / threshold));
    }

    private static void slowHandlers(ProcessSummary p, AnalysisOptions options, List<Finding> out) {
        if (p.handling().count() == 0) {
            return;
        }
        Duration p99 = p.handling().p99();
        double score = score(p99.toNanos(), options.slowHandler().toNanos());
        String slowest =
                p.slowestTypes().isEmpty() ? "" : slowestType(p.slowestTypes().get(0));
        out.add(new Finding(
                SLOW_HANDLERS,
                TITLES.get(SLOW_HANDLERS),
                p.name(),
                score,
                "Handlers of '" + p.name() + "' took " + Text.duration(p99) + " at p99 (max "
                        + Text.duration(p.handling().max()) + ") over "
                        + p.handling().count() + " recorded message"
                        + (p.handling().count() == 1 ? "." : "s."),
                "A process handles one message at a time, so every message behind a slow one waits for it. "
                        + slowest + "The threshold is " + Text.duration(options.slowHandler())
                        + " at p99. Move slow work (I/O, a call to another service) out of the handler or"
                        + " split the process, so that one slow message does not hold up the others."));
    }

    private static String slowestType(MessageTypeSummary type) {
        return "The slowest message type is " + type.messageType() + " (max "
                + Text.duration(type.handling().max())
                + (type.slowestTraceId().isEmpty() ? "" : ", trace " + type.slowestTraceId()) + "). ";
    }

    private static void backlog(ProcessSummary p, AnalysisOptions options, List<Finding> out) {
        double byDepth = score(p.maxMailbox(), options.backlogMessages());
        double byWait =
                score(p.mailboxWait().p99().toNanos(), options.backlogWait().toNanos());
        double score = Math.max(byDepth, byWait);
        out.add(new Finding(
                MAILBOX_BACKLOG,
                TITLES.get(MAILBOX_BACKLOG),
                p.name(),
                score,
                "The mailbox of '" + p.name() + "' held up to " + p.maxMailbox()
                        + " messages; recorded messages waited "
                        + Text.duration(p.mailboxWait().p99()) + " at p99 (max "
                        + Text.duration(p.mailboxWait().max())
                        + ").",
                "Messages arrive faster than the process handles them. The thresholds are " + options.backlogMessages()
                        + " queued messages and " + Text.duration(options.backlogWait()) + " of wait at p99. Make the"
                        + " handler faster, spread the work over several processes, or bound the mailbox and let"
                        + " senders see refusals. The mailbox depth is sampled by dev.phyxius.ProcessStatistics."));
    }

    private static void restartStorm(ProcessSummary p, long inWindow, AnalysisOptions options, List<Finding> out) {
        if (p.restarts() == 0 && p.giveUps() == 0) {
            return;
        }
        double score = score(inWindow, options.restartStorm());
        if (p.giveUps() > 0) {
            score = Math.max(score, 90);
        }
        out.add(new Finding(
                RESTART_STORM,
                TITLES.get(RESTART_STORM),
                p.name(),
                score,
                "'" + p.name() + "' was restarted " + p.restarts() + " times (" + inWindow + " within "
                        + Text.duration(options.restartWindow()) + ")"
                        + (p.giveUps() > 0 ? " and its supervisor gave up " + times(p.giveUps()) : "")
                        + "; failures: " + counts(p.failures()) + ".",
                "A process that fails again right after each restart does no useful work and may hold up its"
                        + " senders. The threshold is " + options.restartStorm() + " restarts within "
                        + Text.duration(options.restartWindow()) + "; a give-up always counts. Look at the"
                        + " failure's error type and at the timeline of supervisor decisions; a longer backoff"
                        + " gives a failing dependency time to recover."));
    }

    private static void pinned(ProcessSummary p, AnalysisOptions options, List<Finding> out) {
        JdkActivity.Blocking pinned = p.jdk().pinned();
        if (pinned.count() == 0) {
            return;
        }
        double score =
                Math.max(25, score(pinned.max().toNanos(), options.blocking().toNanos()));
        out.add(new Finding(
                PINNED_IN_HANDLER,
                TITLES.get(PINNED_IN_HANDLER),
                p.name(),
                score,
                "Handlers of '" + p.name() + "' pinned their carrier thread " + times(pinned.count()) + ", for "
                        + Text.duration(pinned.total()) + " in all (longest " + Text.duration(pinned.max()) + ").",
                "A virtual thread that blocks while pinned (in a native frame, a class initializer, or, before"
                        + " JDK 24, inside synchronized) keeps its carrier thread from running any other process."
                        + (pinned.detail().isEmpty() ? "" : " The longest was: " + pinned.detail() + ".")
                        + " The threshold is " + Text.duration(options.blocking()) + ". Look at the stack traces of"
                        + " jdk.VirtualThreadPinned in the recording."));
    }

    private static void blocked(ProcessSummary p, AnalysisOptions options, List<Finding> out) {
        JdkActivity.Blocking monitor = p.jdk().monitorEnter();
        JdkActivity.Blocking park = p.jdk().park();
        if (monitor.count() == 0 && park.count() == 0) {
            return;
        }
        JdkActivity.Blocking worst = monitor.max().compareTo(park.max()) >= 0 ? monitor : park;
        double score = score(worst.max().toNanos(), options.blocking().toNanos());
        List<String> waits = new ArrayList<>();
        if (monitor.count() > 0) {
            waits.add("waited to enter a monitor " + times(monitor.count()) + " (" + Text.duration(monitor.total())
                    + ", longest " + Text.duration(monitor.max()) + ")");
        }
        if (park.count() > 0) {
            waits.add("parked " + times(park.count()) + " (" + Text.duration(park.total()) + ", longest "
                    + Text.duration(park.max()) + ")");
        }
        out.add(new Finding(
                BLOCKED_IN_HANDLER,
                TITLES.get(BLOCKED_IN_HANDLER),
                p.name(),
                score,
                "Handlers of '" + p.name() + "' " + String.join(" and ", waits) + ".",
                "A handler that waits for a lock or a condition holds up its process's mailbox."
                        + (worst.detail().isEmpty() ? "" : " The longest wait was on " + worst.detail() + ".")
                        + " The threshold is " + Text.duration(options.blocking()) + ". JFR records these waits only"
                        + " on platform threads and pinned virtual threads: a virtual thread that unmounts to wait is"
                        + " not recorded, and shows only as a slow handler."));
    }

    private static String times(long count) {
        return count == 1 ? "once" : count + " times";
    }

    private static String counts(Map<String, Long> counts) {
        StringBuilder s = new StringBuilder();
        counts.forEach((type, n) ->
                s.append(s.isEmpty() ? "" : ", ").append(n).append(" x ").append(type));
        return s.isEmpty() ? "none" : s.toString();
    }

    private static void gc(ProcessSummary p, List<Finding> out) {
        JdkActivity jdk = p.jdk();
        if (jdk.slowMessages() == 0 || jdk.slowDuringGc() == 0) {
            return;
        }
        // A warning when GC pauses account for half of the slow handlers' time.
        double share = (double) jdk.gcPauseInSlow().toNanos()
                / Math.max(1, jdk.slowTime().toNanos());
        double score = score(share, 0.5);
        out.add(new Finding(
                GC_BEHIND_SLOW_HANDLERS,
                TITLES.get(GC_BEHIND_SLOW_HANDLERS),
                p.name(),
                score,
                jdk.slowDuringGc() + " of the " + jdk.slowMessages() + " slow messages of '" + p.name()
                        + "' overlapped GC pauses, which took " + Text.duration(jdk.gcPauseInSlow()) + " of their "
                        + Text.duration(jdk.slowTime()) + ".",
                "While the JVM is paused for garbage collection no handler runs, so a pause inside a slow message"
                        + " explains that much of its time; the rest is the handler's own. Look at the GC events of"
                        + " the recording (heap size, allocation rate) before the handler's code."));
    }
}

package dev.phyxius.analysis.internal;

import dev.phyxius.analysis.Analysis;
import dev.phyxius.analysis.Distribution;
import dev.phyxius.analysis.Finding;
import dev.phyxius.analysis.JdkActivity;
import dev.phyxius.analysis.KeyedGroupSummary;
import dev.phyxius.analysis.MessageTypeSummary;
import dev.phyxius.analysis.ProcessSummary;
import dev.phyxius.analysis.SupervisorDecision;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The report as JSON, schema {@value #SCHEMA}: every duration in nanoseconds (a number), every
 * time an ISO-8601 instant (a string). The README's "Analysing a recording" documents each field.
 */
public final class JsonReport {

    /** The schema id written as the report's {@code schema} field; changes when a field changes. */
    public static final String SCHEMA = "phyxius-report/1";

    private JsonReport() {}

    /**
     * The analysis as JSON text.
     *
     * @param analysis the analysis
     * @return the JSON document
     */
    public static String of(Analysis analysis) {
        return Json.write(tree(analysis));
    }

    /**
     * The analysis as the tree of maps and lists that {@link #of} writes; the HTML page embeds it.
     *
     * @param analysis the analysis
     * @return the tree
     */
    static Map<String, Object> tree(Analysis analysis) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("schema", SCHEMA);
        Map<String, Object> recording = new LinkedHashMap<>();
        recording.put("source", analysis.recording().source());
        recording.put("start", analysis.recording().start().toString());
        recording.put("end", analysis.recording().end().toString());
        recording.put("durationNanos", analysis.recording().duration().toNanos());
        recording.put("phyxiusEvents", analysis.recording().phyxiusEvents());
        recording.put(
                "messageThresholdNanos", analysis.recording().messageThreshold().toNanos());
        recording.put(
                "jdkEvents", analysis.recording().jdkEvents().stream().sorted().toList());
        root.put("recording", recording);
        root.put(
                "findings",
                analysis.findings().stream().map(JsonReport::finding).toList());
        root.put(
                "processes",
                analysis.processes().stream().map(JsonReport::process).toList());
        root.put(
                "decisions",
                analysis.decisions().stream().map(JsonReport::decision).toList());
        root.put(
                "keyedGroups",
                analysis.keyedGroups().stream().map(JsonReport::keyedGroup).toList());
        Map<String, Object> bins = new LinkedHashMap<>();
        bins.put("start", analysis.binStart().toString());
        bins.put("widthNanos", analysis.binWidth().toNanos());
        bins.put("count", Analysis.BINS);
        bins.put(
                "handlingBucketBoundsNanos",
                Analysis.HANDLING_BUCKETS.stream().map(Duration::toNanos).toList());
        root.put("bins", bins);
        return root;
    }

    private static Map<String, Object> keyedGroup(KeyedGroupSummary g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("group", g.group());
        m.put("activations", g.activations());
        m.put("activationFailures", g.activationFailures());
        m.put("passivations", g.passivations());
        m.put("evictions", g.evictions());
        m.put("giveUps", g.giveUps());
        m.put("drops", g.drops());
        m.put("rejections", g.rejections());
        return m;
    }

    private static Map<String, Object> finding(Finding f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rule", f.rule());
        m.put("title", f.title());
        m.put("process", f.process());
        m.put("score", f.score());
        m.put("severity", f.severity().name());
        m.put("summary", f.summary());
        m.put("explanation", f.explanation());
        return m;
    }

    private static Map<String, Object> process(ProcessSummary p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", p.name());
        m.put("handled", p.handled());
        m.put("recordedMessages", p.recordedMessages());
        m.put("handlingNanos", distribution(p.handling()));
        m.put("mailboxWaitNanos", distribution(p.mailboxWait()));
        m.put("maxMailboxSize", p.maxMailbox());
        m.put("maxLiveProcesses", p.maxLive());
        m.put("failures", p.failures());
        m.put("restarts", p.restarts());
        m.put("giveUps", p.giveUps());
        m.put("drops", p.drops());
        m.put("rejections", p.rejections());
        m.put(
                "slowestMessageTypes",
                p.slowestTypes().stream().map(JsonReport::type).toList());
        JdkActivity jdk = p.jdk();
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("pinned", blocking(jdk.pinned()));
        j.put("monitorEnter", blocking(jdk.monitorEnter()));
        j.put("park", blocking(jdk.park()));
        j.put("slowMessages", jdk.slowMessages());
        j.put("slowTimeNanos", jdk.slowTime().toNanos());
        j.put("slowDuringGc", jdk.slowDuringGc());
        j.put("gcPauseInSlowNanos", jdk.gcPauseInSlow().toNanos());
        m.put("jdk", j);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("handlingHistogram", p.series().handlingHistogram());
        s.put("maxMailboxWaitNanos", p.series().maxMailboxWait());
        s.put("maxMailboxSize", p.series().maxMailboxSize());
        s.put("failures", p.series().failures());
        s.put("restarts", p.series().restarts());
        m.put("series", s);
        return m;
    }

    private static Map<String, Object> distribution(Distribution d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", d.count());
        m.put("p50", d.p50().toNanos());
        m.put("p99", d.p99().toNanos());
        m.put("max", d.max().toNanos());
        return m;
    }

    private static Map<String, Object> type(MessageTypeSummary t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("messageType", t.messageType());
        m.put("handlingNanos", distribution(t.handling()));
        m.put("slowestAt", t.slowestAt().toString());
        m.put("slowestProcessId", t.slowestProcessId());
        m.put("slowestTraceId", t.slowestTraceId());
        return m;
    }

    private static Map<String, Object> blocking(JdkActivity.Blocking b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", b.count());
        m.put("totalNanos", b.total().toNanos());
        m.put("maxNanos", b.max().toNanos());
        m.put("detail", b.detail());
        return m;
    }

    private static Map<String, Object> decision(SupervisorDecision d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", d.time().toString());
        m.put("kind", d.kind().name());
        m.put("supervisor", d.supervisor());
        m.put("child", d.child());
        m.put("childId", d.childId());
        m.put("count", d.count());
        m.put("durationNanos", d.duration().toNanos());
        m.put("errorType", d.errorType());
        return m;
    }
}

package dev.phyxius.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phyxius.analysis.scenarios.Scenarios;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import jdk.jfr.Recording;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The report of a real recording of {@link Scenarios}: what the analysis, the text and the JSON say. */
@Timeout(120)
class RecordingReportTest {

    static final AnalysisOptions OPTIONS = AnalysisOptions.defaults()
            .withSlowHandler(Duration.ofMillis(50))
            .withBacklogMessages(5)
            .withRestartStorm(3, Duration.ofMinutes(1));

    @TempDir
    static Path dir;

    static Path recording;
    static Analysis analysis;

    @BeforeAll
    static void record() throws Exception {
        recording = ScenarioRecording.get();
        analysis = Analysis.of(recording, OPTIONS);
    }

    static ProcessSummary process(String name) {
        return analysis.process(name)
                .orElseThrow(() -> new AssertionError("no process " + name + " in "
                        + analysis.processes().stream()
                                .map(ProcessSummary::name)
                                .toList()));
    }

    static Finding finding(String rule, String process) {
        return analysis.findings(rule).stream()
                .filter(f -> f.process().equals(process))
                .findFirst()
                .orElseThrow(() ->
                        new AssertionError("no " + rule + " finding for " + process + " in " + analysis.findings()));
    }

    @Nested
    class TheAnalysis {
        @Test
        void aSlowHandlerShowsItsHandlingTimeItsBacklogAndItsSlowestMessageType() {
            ProcessSummary slow = process("slow");
            assertEquals(11, slow.handled(), "the held message and the 10 slow ones, counted by ProcessStatistics");
            assertEquals(11, slow.recordedMessages());
            assertTrue(slow.handling().p50().compareTo(Scenarios.SLOW) >= 0, slow.handling()::toString);
            assertTrue(slow.handling().p50().compareTo(Scenarios.SLOW.multipliedBy(3)) < 0, slow.handling()::toString);
            assertTrue(slow.maxMailbox() >= 10, () -> "max mailbox " + slow.maxMailbox());
            // The last slow message waited behind the held one and nine others of 60 ms.
            assertTrue(
                    slow.mailboxWait().max().compareTo(Scenarios.SLOW.multipliedBy(9)) >= 0,
                    slow.mailboxWait()::toString);
            MessageTypeSummary jobs = slow.slowestTypes().stream()
                    .filter(t -> t.messageType().endsWith("Scenarios$SlowJob"))
                    .findFirst()
                    .orElseThrow();
            assertEquals(10, jobs.handling().count());
            assertTrue(jobs.handling().max().compareTo(Scenarios.SLOW) >= 0);

            assertEquals(Severity.WARNING, finding("SlowHandlers", "slow").severity());
            assertEquals(100.0, finding("MailboxBacklog", "slow").score(), "10 queued against a threshold of 5");
        }

        @Test
        void aCrashLoopShowsItsFailuresRestartsGiveUpAndTheSupervisorsDecisionsInOrder() {
            ProcessSummary crashy = process("crashy");
            assertEquals(Map.of("java.lang.IllegalStateException", 4L), crashy.failures());
            assertEquals(3, crashy.restarts());
            assertEquals(1, crashy.giveUps());
            assertEquals(4L, crashy.drops().get("HANDLER_FAILED"), "each failing message is reported");
            List<SupervisorDecision> decisions = analysis.decisions().stream()
                    .filter(d -> d.child().equals("crashy"))
                    .toList();
            assertEquals(
                    List.of(
                            "RESTART 1",
                            "RESTARTED 0",
                            "RESTART 2",
                            "RESTARTED 0",
                            "RESTART 3",
                            "RESTARTED 0",
                            "GAVE_UP 3"),
                    decisions.stream().map(d -> d.kind() + " " + d.count()).toList());
            assertEquals(
                    Duration.ofMinutes(1), decisions.get(decisions.size() - 1).duration());
            Finding storm = finding("RestartStorm", "crashy");
            assertTrue(storm.score() >= 90, storm::toString);
            assertTrue(storm.summary().contains("gave up once"), storm.summary());
        }

        @Test
        void aHandlerWaitingForAMonitorIsAttributedToItsProcess() {
            JdkActivity.Blocking monitor = process("locked").jdk().monitorEnter();
            assertEquals(1, monitor.count(), monitor::toString);
            assertTrue(monitor.max().compareTo(Duration.ofMillis(40)) >= 0, monitor::toString);
            assertEquals("java.lang.Object", monitor.detail());
            assertEquals(Severity.WARNING, finding("BlockedInHandler", "locked").severity());
            assertEquals(0, process("slow").jdk().monitorEnter().count(), "no other process is blamed");
        }

        @Test
        void aHandlerThatPinsItsCarrierIsAttributedToItsProcess() {
            JdkActivity.Blocking pinned = process("pinned").jdk().pinned();
            assertEquals(1, pinned.count(), pinned::toString);
            assertTrue(pinned.max().compareTo(Duration.ofMillis(50)) >= 0, pinned::toString);
            assertEquals(Severity.WARNING, finding("PinnedInHandler", "pinned").severity());
            assertTrue(analysis.processes().stream()
                    .filter(p -> !p.name().equals("pinned"))
                    .allMatch(p -> p.jdk().pinned().count() == 0));
        }

        @Test
        void aGcPauseInsideASlowHandlerIsCounted() throws Exception {
            // The full GC is the gc handler's whole work: with a low slow threshold it is slow, and
            // most of its time is the pause.
            Analysis sensitive = Analysis.of(recording, OPTIONS.withSlowHandler(Duration.ofNanos(1)));
            JdkActivity gc = sensitive.process("gc").orElseThrow().jdk();
            assertEquals(1, gc.slowMessages());
            assertEquals(1, gc.slowDuringGc());
            assertTrue(gc.gcPauseInSlow().compareTo(gc.slowTime().dividedBy(2)) >= 0, gc::toString);
            assertTrue(
                    sensitive.findings("GcBehindSlowHandlers").stream()
                            .anyMatch(f -> f.process().equals("gc") && f.severity() == Severity.WARNING),
                    sensitive.findings()::toString);
        }

        @Test
        void refusalsAndDropsAreCountedByReason() {
            ProcessSummary small = process("small");
            assertEquals(Map.of("MAILBOX_FULL", 3L), small.rejections());
            assertEquals(Map.of("STOPPED", 2L), small.drops());
        }

        @Test
        void theRecordingDescribesItsThresholdAndTheJdkEventsItHad() {
            assertEquals(
                    Duration.ZERO,
                    analysis.recording().messageThreshold(),
                    "phyxius-profile.jfc records every message");
            assertTrue(
                    analysis.recording()
                            .jdkEvents()
                            .containsAll(List.of(
                                    "jdk.VirtualThreadPinned",
                                    "jdk.JavaMonitorEnter",
                                    "jdk.ThreadPark",
                                    "jdk.GCPhasePause")),
                    analysis.recording().jdkEvents()::toString);
            assertTrue(analysis.recording().phyxiusEvents() > 50);
        }
    }

    @Nested
    class TheText {
        final String text = Report.text(analysis);

        @Test
        void startsWithTheRecordingAndItsFindingsThenATableOfEveryProcess() {
            List<String> lines = text.lines().toList();
            assertEquals("Phyxius recording report: scenarios.jfr", lines.get(0));
            assertTrue(lines.get(2).startsWith("MessageHandled threshold: none"), lines.get(2));
            assertEquals("Findings", lines.get(5));
            assertTrue(lines.get(6).startsWith("  WARNING"), lines.get(6));
            int table = lines.indexOf("Processes");
            assertTrue(
                    lines.get(table + 1)
                            .trim()
                            .matches("process +handled +recorded +handling p50 / p99 / max +mailbox wait.*"),
                    lines.get(table + 1));
            for (String name : List.of("crashy", "gc", "locked", "pinned", "slow", "small")) {
                assertTrue(
                        lines.stream().skip(table + 2).anyMatch(l -> l.trim().startsWith(name + " ")),
                        name + "\n" + text);
            }
        }

        @Test
        void namesTheFindingsTheDetailsAndTheDecisions() {
            assertTrue(text.contains("Slow process handlers"), text);
            assertTrue(text.contains("Restart storm"), text);
            assertTrue(text.contains("Carrier pinned in a handler"), text);
            assertTrue(text.contains("Handler blocked on a monitor or parked"), text);
            assertTrue(text.contains("failures: java.lang.IllegalStateException 4"), text);
            assertTrue(text.contains("rejected: MAILBOX_FULL 3"), text);
            assertTrue(text.contains("in handlers, waited on a monitor: once"), text);
            assertTrue(text.contains("in handlers, pinned its carrier: once"), text);
            assertTrue(
                    text.lines()
                            .anyMatch(
                                    l -> l.matches(" {2}\\d\\d:\\d\\d:\\d\\d\\.\\d{3} {2}gave up on {2}crashy \\(.+\\)"
                                            + " after 3 restarts within 60\\.0 s")),
                    text);
        }
    }

    @Nested
    class TheJson {
        @SuppressWarnings("unchecked")
        final Map<String, Object> json = (Map<String, Object>) JsonParser.parse(Report.json(analysis));

        @SuppressWarnings("unchecked")
        Map<String, Object> process(String name) {
            return ((List<Map<String, Object>>) json.get("processes"))
                    .stream()
                            .filter(p -> p.get("name").equals(name))
                            .findFirst()
                            .orElseThrow();
        }

        @Test
        @SuppressWarnings("unchecked")
        void hasTheSchemaIdAndTheDocumentedTopLevelFields() {
            assertEquals("phyxius-report/1", json.get("schema"));
            assertEquals(
                    List.of("schema", "recording", "findings", "processes", "decisions", "keyedGroups", "bins"),
                    List.copyOf(json.keySet()));
            Map<String, Object> rec = (Map<String, Object>) json.get("recording");
            assertEquals(
                    List.of(
                            "source",
                            "start",
                            "end",
                            "durationNanos",
                            "phyxiusEvents",
                            "messageThresholdNanos",
                            "jdkEvents"),
                    List.copyOf(rec.keySet()));
            assertEquals(0L, rec.get("messageThresholdNanos"));
        }

        @Test
        @SuppressWarnings("unchecked")
        void saysWhatTheAnalysisSaysInNanoseconds() {
            Map<String, Object> slow = process("slow");
            assertEquals(11L, slow.get("handled"));
            Map<String, Object> handling = (Map<String, Object>) slow.get("handlingNanos");
            assertEquals(analysis.process("slow").orElseThrow().handling().p99().toNanos(), handling.get("p99"));
            Map<String, Object> crashy = process("crashy");
            assertEquals(Map.of("java.lang.IllegalStateException", 4L), crashy.get("failures"));
            assertEquals(3L, crashy.get("restarts"));
            assertEquals(1L, crashy.get("giveUps"));
            Map<String, Object> pinned = (Map<String, Object>)
                    ((Map<String, Object>) process("pinned").get("jdk")).get("pinned");
            assertEquals(1L, pinned.get("count"));
            List<Map<String, Object>> findings = (List<Map<String, Object>>) json.get("findings");
            assertEquals(analysis.findings().size(), findings.size());
            assertEquals(
                    List.of("rule", "title", "process", "score", "severity", "summary", "explanation"),
                    List.copyOf(findings.get(0).keySet()));
            List<Object> histogram = (List<Object>) ((Map<String, Object>) slow.get("series")).get("handlingHistogram");
            assertEquals(Analysis.HANDLING_BUCKETS.size() + 1, histogram.size());
            assertEquals(11L, histogram.stream().mapToLong(n -> (Long) n).sum());
        }
    }

    @Nested
    class TheCommand {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();

        int run(String... args) {
            return Report.run(
                    args,
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
        }

        String err() {
            return err.toString(StandardCharsets.UTF_8);
        }

        void assertOneSentenceAndNoStackTrace() {
            assertFalse(err().contains("\tat ") || err().contains("Exception in thread"), err());
            assertEquals("", out.toString(StandardCharsets.UTF_8));
        }

        @Test
        void printsTheTextReportAndWritesTheHtmlPage() throws Exception {
            Path html = dir.resolve("cli.html");
            assertEquals(
                    0,
                    run("--slow-handler", "50ms", "--backlog", "5", "--html", html.toString(), recording.toString()));
            String text = out.toString(StandardCharsets.UTF_8);
            assertTrue(text.startsWith("Phyxius recording report: scenarios.jfr"), text);
            assertTrue(text.endsWith("HTML report written to " + html + System.lineSeparator()), text);
            String page = Files.readString(html);
            assertTrue(page.startsWith("<!DOCTYPE html>") && page.contains("id=\"chart-handling\""));
            assertFalse(page.matches("(?s).*(src|href)=\"https?:.*"), "the page loads nothing from the network");
        }

        @Test
        void printsJsonWithJson() {
            assertEquals(0, run("--json", recording.toString()));
            assertEquals(
                    "phyxius-report/1",
                    ((Map<?, ?>) JsonParser.parse(out.toString(StandardCharsets.UTF_8))).get("schema"));
        }

        @Test
        void aFileThatIsNotARecordingIsTold() throws Exception {
            Path file = Files.writeString(dir.resolve("notes.jfr"), "these are notes, not a recording\n");
            assertEquals(Report.BAD_RECORDING, run(file.toString()));
            assertEquals(
                    "phyxius-report: " + file
                            + " is not a JFR recording (it does not start with a Flight Recorder chunk)",
                    err().strip());
            assertOneSentenceAndNoStackTrace();
        }

        @Test
        void aTruncatedRecordingIsTold() throws Exception {
            byte[] whole = Files.readAllBytes(recording);
            Path file = Files.write(dir.resolve("cut.jfr"), java.util.Arrays.copyOf(whole, whole.length / 2));
            assertEquals(Report.BAD_RECORDING, run(file.toString()));
            assertTrue(err().startsWith("phyxius-report: " + file + " is cut off: its chunk at byte "), err());
            assertTrue(
                    err().strip()
                            .endsWith("but the file ends after " + whole.length / 2
                                    + " (was it copied while being written?)"),
                    err());
            assertOneSentenceAndNoStackTrace();
        }

        @Test
        void aRecordingWithoutPhyxiusEventsIsTold() throws Exception {
            Path file = dir.resolve("jdk-only.jfr");
            try (Recording jdkOnly = new Recording()) {
                jdkOnly.enable("jdk.JavaMonitorEnter");
                jdkOnly.start();
                jdkOnly.stop();
                jdkOnly.dump(file);
            }
            assertEquals(Report.NO_PHYXIUS_EVENTS, run(file.toString()));
            assertTrue(err().startsWith("phyxius-report: " + file + " holds no Phyxius event."), err());
            assertOneSentenceAndNoStackTrace();
        }

        @Test
        void aMissingFileIsTold() {
            assertEquals(Report.BAD_RECORDING, run(dir.resolve("nowhere.jfr").toString()));
            assertEquals("phyxius-report: cannot read " + dir.resolve("nowhere.jfr") + ": no such file", err().strip());
            assertOneSentenceAndNoStackTrace();
        }

        @Test
        void wrongArgumentsPrintTheUsage() {
            assertEquals(Report.USAGE, run());
            assertTrue(err().startsWith("phyxius-report: no recording given"), err());
            err.reset();
            assertEquals(Report.USAGE, run("--slow-handler", "fast", "x.jfr"));
            assertTrue(
                    err().startsWith(
                                    "phyxius-report: --slow-handler needs a duration such as 250ms, 2s or 1m, was fast"),
                    err());
            err.reset();
            assertEquals(Report.USAGE, run("--colour", "x.jfr"));
            assertTrue(err().startsWith("phyxius-report: unknown option --colour"), err());
        }
    }
}

package dev.phyxius.jmc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phyxius.analysis.Analysis;
import dev.phyxius.analysis.AnalysisOptions;
import dev.phyxius.analysis.Finding;
import dev.phyxius.analysis.scenarios.Scenarios;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RunnableFuture;
import jdk.jfr.Recording;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmc.common.item.IItemCollection;
import org.openjdk.jmc.common.unit.IQuantity;
import org.openjdk.jmc.common.unit.UnitLookup;
import org.openjdk.jmc.common.util.IPreferenceValueProvider;
import org.openjdk.jmc.common.util.TypedPreference;
import org.openjdk.jmc.flightrecorder.JfrLoaderToolkit;
import org.openjdk.jmc.flightrecorder.rules.IResult;
import org.openjdk.jmc.flightrecorder.rules.IRule;
import org.openjdk.jmc.flightrecorder.rules.RuleRegistry;
import org.openjdk.jmc.flightrecorder.rules.Severity;
import org.openjdk.jmc.flightrecorder.rules.TypedResult;
import org.openjdk.jmc.flightrecorder.rules.report.html.JfrHtmlRulesReport;

/**
 * The rules, found and run by JMC's own core libraries on a real recording of the analysis'
 * scenarios, report what the Phyxius report reports.
 */
@Timeout(180)
class PhyxiusRulesTest {

    @TempDir
    static Path dir;

    static Path file;
    static IItemCollection items;
    static Analysis analysis;

    /** The thresholds of the analysis' own tests, as rule preferences. */
    static final IPreferenceValueProvider PREFERENCES = new IPreferenceValueProvider() {
        @Override
        @SuppressWarnings("unchecked")
        public <T> T getPreferenceValue(TypedPreference<T> preference) {
            Map<TypedPreference<?>, IQuantity> values = Map.of(
                    SlowHandlersRule.SLOW_HANDLER, UnitLookup.MILLISECOND.quantity(50),
                    MailboxBacklogRule.BACKLOG_MESSAGES, UnitLookup.NUMBER_UNITY.quantity(5),
                    RestartStormRule.RESTARTS, UnitLookup.NUMBER_UNITY.quantity(3));
            IQuantity value = values.get(preference);
            return value != null ? (T) value : preference.getDefaultValue();
        }
    };

    @BeforeAll
    static void record() throws Exception {
        file = Scenarios.recordAll(dir.resolve("scenarios.jfr"));
        items = JfrLoaderToolkit.loadEvents(file.toFile());
        analysis = Analysis.of(
                file,
                AnalysisOptions.defaults()
                        .withSlowHandler(Duration.ofMillis(50))
                        .withBacklogMessages(5)
                        .withRestartStorm(3, Duration.ofMinutes(1)));
    }

    static IRule rule(String id) {
        return RuleRegistry.getRules().stream()
                .filter(r -> r.getId().equals(id))
                .findFirst()
                .orElseThrow(() -> new AssertionError("JMC's registry has no rule " + id + ": "
                        + RuleRegistry.getRules().stream().map(IRule::getId).toList()));
    }

    static IResult evaluate(IRule rule, IItemCollection events) throws Exception {
        RunnableFuture<IResult> evaluation = rule.createEvaluation(events, PREFERENCES, null);
        evaluation.run();
        return evaluation.get();
    }

    @Test
    void jmcsRegistryFindsTheSixRulesBesideTheJdksOwn() {
        Collection<IRule> rules = RuleRegistry.getRules();
        List<String> ids = rules.stream().map(IRule::getId).toList();
        assertTrue(
                ids.containsAll(List.of(
                        "PhyxiusSlowHandlers",
                        "PhyxiusMailboxBacklog",
                        "PhyxiusRestartStorm",
                        "PhyxiusPinnedInHandler",
                        "PhyxiusBlockedInHandler",
                        "PhyxiusGcBehindSlowHandlers")),
                ids::toString);
        assertTrue(ids.contains("JavaBlocking"), "the JDK's rules are loaded by the same registry");
        for (IRule rule : rules) {
            if (rule.getId().startsWith("Phyxius")) {
                assertEquals("phyxius", rule.getTopic());
                assertTrue(
                        rule.getRequiredEvents().containsKey("dev.phyxius.MessageHandled")
                                || rule.getRequiredEvents().containsKey("dev.phyxius.ProcessRestarted"),
                        rule.getId());
            }
        }
    }

    @Test
    void eachRuleReportsTheReportsTopFindingWithItsScoreAndSeverity() throws Exception {
        Map<String, String> rules = Map.of(
                "PhyxiusSlowHandlers",
                "SlowHandlers",
                "PhyxiusMailboxBacklog",
                "MailboxBacklog",
                "PhyxiusRestartStorm",
                "RestartStorm",
                "PhyxiusPinnedInHandler",
                "PinnedInHandler",
                "PhyxiusBlockedInHandler",
                "BlockedInHandler");
        for (Map.Entry<String, String> entry : rules.entrySet()) {
            IResult result = evaluate(rule(entry.getKey()), items);
            Finding expected = analysis.findings(entry.getValue()).get(0);
            assertEquals(expected.summary(), result.getSummary(), entry.getKey());
            assertTrue(result.getExplanation().startsWith(expected.explanation()), entry.getKey());
            assertEquals(Severity.WARNING, result.getSeverity(), entry.getKey() + ": " + result.getSummary());
            assertEquals(expected.score(), result.getResult(TypedResult.SCORE).doubleValue(), 0.001, entry.getKey());
        }
    }

    @Test
    void theSlowHandlerTheBacklogTheStormThePinAndTheMonitorAreNamed() throws Exception {
        assertTrue(evaluate(rule("PhyxiusMailboxBacklog"), items)
                .getSummary()
                .startsWith("The mailbox of 'slow' held up to 1"));
        assertTrue(
                evaluate(rule("PhyxiusRestartStorm"), items).getSummary().startsWith("'crashy' was restarted 3 times"));
        assertTrue(
                evaluate(rule("PhyxiusPinnedInHandler"), items).getSummary().startsWith("Handlers of 'pinned' pinned"));
        assertTrue(evaluate(rule("PhyxiusBlockedInHandler"), items)
                .getExplanation()
                .contains("java.lang.Object"));
    }

    @Test
    void theGcRuleFindsThePauseInsideTheGcHandlerWhenEveryMessageCountsAsSlow() throws Exception {
        IPreferenceValueProvider everySlow = new IPreferenceValueProvider() {
            @Override
            @SuppressWarnings("unchecked")
            public <T> T getPreferenceValue(TypedPreference<T> preference) {
                return preference == GcBehindSlowHandlersRule.SLOW_HANDLER
                        ? (T) UnitLookup.NANOSECOND.quantity(1)
                        : preference.getDefaultValue();
            }
        };
        RunnableFuture<IResult> evaluation =
                rule("PhyxiusGcBehindSlowHandlers").createEvaluation(items, everySlow, null);
        evaluation.run();
        IResult result = evaluation.get();
        Finding expected = Analysis.of(file, AnalysisOptions.defaults().withSlowHandler(Duration.ofNanos(1)))
                .findings("GcBehindSlowHandlers")
                .get(0);
        assertEquals("gc", expected.process());
        assertEquals(expected.summary(), result.getSummary());
        assertEquals(Severity.WARNING, result.getSeverity(), result.getSummary());
    }

    @Test
    void theRulesAppearInTheHtmlReportJmcsCoreLibrariesWrite() throws Exception {
        String html = JfrHtmlRulesReport.createReport(file.toFile());
        for (String name : List.of(
                "Slow process handlers",
                "Mailbox backlog",
                "Restart storm",
                "Carrier pinned in a handler",
                "Handler blocked on a monitor or parked",
                "GC pauses behind slow handlers")) {
            assertTrue(html.contains(name), name);
        }
        assertTrue(html.contains("was restarted 3 times"), "crashy's storm, at the default preferences too");
        Files.writeString(dir.resolve("jmc-report.html"), html);
    }

    @Test
    void aRecordingWithoutPhyxiusEventsIsNotApplicable() throws Exception {
        Path jdkOnly = dir.resolve("jdk-only.jfr");
        try (Recording recording = new Recording()) {
            recording.enable("jdk.JavaMonitorEnter");
            recording.start();
            recording.stop();
            recording.dump(jdkOnly);
        }
        IResult result = evaluate(rule("PhyxiusSlowHandlers"), JfrLoaderToolkit.loadEvents(jdkOnly.toFile()));
        assertEquals(Severity.NA, result.getSeverity());
        assertEquals("The recording holds no Phyxius event.", result.getSummary());
    }
}

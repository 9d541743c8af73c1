package dev.phyxius.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phyxius.observability.PhyxiusObservability;
import dev.phyxius.observability.jfr.PhyxiusFlightRecording;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.supervisor.KeyedEvent;
import dev.phyxius.supervisor.KeyedProcesses;
import dev.phyxius.supervisor.SendResult;
import dev.phyxius.testing.ProcessTestKit;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The report reads the keyed JFR events: activations and passivations by cause, per group. */
@Timeout(60)
class KeyedGroupsReportTest {

    @TempDir
    Path dir;

    static ProcessSpec<String, String, Void> cart(String key) {
        return ProcessSpec.<String, String>named("cart")
                .init(() -> key)
                .handler((state, msg, tools) -> state)
                .build();
    }

    /** Three carts come to life (the third evicts the first), two passivate idle, a late send is refused. */
    Path record() throws Exception {
        Path file = dir.resolve("keyed.jfr");
        try (Recording recording =
                        new Recording(PhyxiusFlightRecording.configuration().getSettings());
                ProcessTestKit kit = ProcessTestKit.create()) {
            recording.start();
            PhyxiusObservability observability =
                    PhyxiusObservability.builder().jfr(true).build();
            KeyedProcesses<String, String> carts = kit.keyed(
                    "carts",
                    KeyedGroupsReportTest::cart,
                    observability.apply(kit.keyedOptions()
                            .withIdleTimeout(Duration.ofMinutes(1))
                            .withMaxLiveKeys(2)));
            carts.send("a", "add");
            carts.send("b", "add");
            kit.awaitIdle();
            carts.send("c", "add");
            kit.advance(Duration.ofMinutes(1));
            kit.events().assertCount(KeyedEvent.Passivated.class, 3);
            carts.stop().join();
            assertEquals(SendResult.STOPPED, carts.offer("d", "late"));
            recording.stop();
            recording.dump(file);
        }
        return file;
    }

    @Test
    void theAnalysisCountsActivationsAndPassivationsByCausePerGroup() throws Exception {
        Analysis analysis = Analysis.of(record());
        KeyedGroupSummary carts =
                analysis.keyedGroup("carts").orElseThrow(() -> new AssertionError(analysis.keyedGroups()));
        assertEquals(3, carts.activations());
        assertEquals(0, carts.activationFailures());
        assertEquals(Map.of("EVICTED", 1L, "IDLE", 2L), carts.passivations());
        assertEquals(3, carts.passivated());
        assertEquals(1, carts.evictions());
        assertEquals(Map.of("STOPPED", 1L), carts.rejections());
        assertEquals(
                List.of("carts"),
                analysis.keyedGroups().stream().map(KeyedGroupSummary::group).toList());
    }

    @Test
    void theTextAndJsonReportsShowEachGroupsLine() throws Exception {
        Analysis analysis = Analysis.of(record());
        String text = Report.text(analysis);
        assertTrue(
                text.contains("Keyed groups\n  carts: 3 activated, 3 passivated (IDLE 2, EVICTED 1), 1 evicted,"
                        + " 0 given up, rejected (STOPPED 1)\n"),
                text);
        String json = Report.json(analysis);
        assertTrue(json.contains("\"keyedGroups\""), json);
        assertTrue(json.replaceAll("\\s", "").contains("\"group\":\"carts\",\"activations\":3"), json);
        String html = Report.html(analysis);
        assertTrue(html.contains("<tr><td>carts</td><td>3</td><td>0</td><td>EVICTED 1, IDLE 2</td><td>1</td>"), html);
    }
}

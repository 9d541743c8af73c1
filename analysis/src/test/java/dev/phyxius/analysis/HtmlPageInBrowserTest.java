package dev.phyxius.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report opened in a real headless Chromium (Debian's {@code chromium}, which
 * {@code .ci/run} installs), with the network out of reach: the page must run its script without
 * an error and draw its four charts. A screenshot is left in {@code target/report-screenshot.png}.
 * Without Chromium the test is skipped, except in CI ({@code CI=true}), where it fails.
 */
@Timeout(180)
class HtmlPageInBrowserTest {

    static final List<String> FLAGS = List.of(
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync");

    @TempDir
    static Path dir;

    static Path chromium;
    static Path page;

    @BeforeAll
    static void writeThePage() throws Exception {
        chromium = findChromium();
        Analysis analysis = Analysis.of(ScenarioRecording.get(), RecordingReportTest.OPTIONS);
        page = Files.writeString(dir.resolve("report.html"), Report.html(analysis), StandardCharsets.UTF_8);
    }

    static Path findChromium() {
        for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Path.of(candidate);
            }
        }
        if ("true".equals(System.getenv("CI"))) {
            fail("Chromium is missing in CI: .ci/run installs Debian's chromium package");
        }
        Assumptions.abort("no Chromium here (apt-get install chromium); CI runs this test");
        return null;
    }

    /** Runs Chromium headless on the page with the given extra flags; returns {stdout, stderr}. */
    static String[] chromium(String... extra) throws Exception {
        Path profile = Files.createTempDirectory(dir, "profile");
        List<String> command = new ArrayList<>();
        command.add(chromium.toString());
        command.addAll(FLAGS);
        command.add("--user-data-dir=" + profile);
        command.add("--enable-logging=stderr");
        command.add("--v=0");
        command.addAll(List.of(extra));
        command.add(page.toUri().toString());
        Path out = dir.resolve("out-" + System.nanoTime());
        Path err = dir.resolve("err-" + System.nanoTime());
        Process process = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("Chromium did not finish in 120 s: " + Files.readString(err));
        }
        return new String[] {Files.readString(out), Files.readString(err)};
    }

    @Test
    void thePageRunsItsScriptWithoutErrorAndDrawsEveryChart() throws Exception {
        String[] result = chromium("--dump-dom");
        String dom = result[0];
        String log = result[1];
        assertFalse(log.contains("Uncaught"), () -> "script error in the page:\n" + log);
        Matcher body = Pattern.compile("<body([^>]*)>").matcher(dom);
        assertTrue(body.find(), dom);
        assertTrue(body.group(1).contains("data-charts-drawn=\"4\""), body.group(1));
        assertTrue(body.group(1).contains("data-errors=\"0\""), body.group(1));
        for (String chart : List.of("handling", "wait", "mailbox", "failures")) {
            String svg = element(dom, "chart-" + chart);
            assertTrue(svg.contains("data-drawn=\"true\""), chart);
            assertFalse(svg.contains("class=\"empty\""), () -> chart + " has nothing to draw: " + svg);
            assertTrue(count(svg, "<rect") + count(svg, "<polyline") >= 2, () -> chart + " draws no data: " + svg);
        }
        assertTrue(count(element(dom, "chart-handling"), "class=\"bar\"") >= 6, "a bar per process and bucket");
        assertTrue(count(element(dom, "chart-wait"), "<polyline") >= 2, "a line per process with recorded waits");
    }

    @Test
    void aScreenshotShowsTheReport() throws Exception {
        Path screenshot = Path.of("target", "report-screenshot.png").toAbsolutePath();
        Files.deleteIfExists(screenshot);
        chromium("--screenshot=" + screenshot, "--window-size=1000,1700", "--hide-scrollbars");
        assertTrue(
                Files.size(screenshot) > 20_000,
                "a screenshot with something on it: " + Files.size(screenshot) + " bytes");
        byte[] png = Files.readAllBytes(screenshot);
        assertEquals((byte) 0x89, png[0]);
        assertEquals('P', png[1]);
    }

    static String element(String dom, String id) {
        int start = dom.indexOf("id=\"" + id + "\"");
        assertTrue(start >= 0, "no element " + id);
        int open = dom.lastIndexOf('<', start);
        int end = dom.indexOf("</svg>", start);
        return dom.substring(open, end);
    }

    static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}

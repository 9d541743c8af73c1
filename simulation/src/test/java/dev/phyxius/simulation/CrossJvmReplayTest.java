package dev.phyxius.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A seed replays event for event in another JVM: the log is all the run's state that leaves it. */
@Timeout(180)
class CrossJvmReplayTest {

    @Test
    void aSeedGivesTheSameLogInAFreshJvm() throws Exception {
        for (long seed : new long[] {3, 41, 977}) {
            List<String> here = Simulation.run(seed, ReplayMain.OPTIONS, ReplayMain.SCENARIO)
                    .logLines();
            List<String> there = runInAnotherJvm(seed);
            assertTrue(here.size() > 50, "a run worth comparing: " + here.size() + " entries");
            assertEquals(here, there, "seed " + seed);
        }
    }

    private static List<String> runInAnotherJvm(long seed) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path out = Files.createTempFile("phyxius-replay-", ".log");
        Path err = Files.createTempFile("phyxius-replay-", ".err");
        try {
            List<String> command = new ArrayList<>(List.of(
                    java.toString(),
                    "--add-opens",
                    "java.base/java.lang=ALL-UNNAMED",
                    // A different heap and hash seed than this JVM's: nothing may depend on them.
                    "-Xmx256m",
                    "-XX:+UnlockExperimentalVMOptions",
                    "-XX:hashCode=2",
                    "-cp",
                    System.getProperty("java.class.path"),
                    ReplayMain.class.getName(),
                    Long.toString(seed)));
            // Standard error apart: the launcher may note JDK_JAVA_OPTIONS there, which is not the log.
            Process process = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the other JVM did not finish");
            String errors = Files.readString(err, StandardCharsets.UTF_8);
            assertEquals(0, process.exitValue(), errors);
            return Files.readAllLines(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}

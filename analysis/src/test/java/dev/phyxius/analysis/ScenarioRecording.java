package dev.phyxius.analysis;

import dev.phyxius.analysis.scenarios.Scenarios;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** One recording of {@link Scenarios} per test JVM, shared by the test classes that read it. */
final class ScenarioRecording {

    private static Path file;

    private ScenarioRecording() {}

    static synchronized Path get() throws Exception {
        if (file == null) {
            Path dir;
            try {
                dir = Files.createDirectories(Path.of("target", "scenario-recording"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            file = Scenarios.recordAll(dir.resolve("scenarios.jfr"));
        }
        return file;
    }
}

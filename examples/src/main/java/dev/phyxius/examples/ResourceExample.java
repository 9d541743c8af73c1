package dev.phyxius.examples;

import dev.phyxius.clock.Clock;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.Processes;
import dev.phyxius.process.Reply;
import dev.phyxius.process.SpawnOptions;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;

/** Example 2: a resource held in state, opened from the context in init, closed in onStop. */
public final class ResourceExample {

    /** What the process needs to open its resource. */
    record Config(Path file) {}

    /** The state: the open writer and where it writes. */
    record Journal(Path file, Writer writer) {}

    sealed interface Msg {}

    record Append(String line) implements Msg {}

    record Flush(Reply<Long> size) implements Msg {}

    private ResourceExample() {}

    static ProcessSpec<Msg, Journal, Config> journal() {
        return ProcessSpec.<Msg, Journal>named("journal")
                .init((Config cfg) -> new Journal(cfg.file(), Files.newBufferedWriter(cfg.file())))
                .handler((journal, msg, tools) -> {
                    switch (msg) {
                        case Append append -> journal.writer().write(append.line() + "\n"); // blocking I/O is fine
                        case Flush flush -> {
                            journal.writer().flush();
                            flush.size().send(Files.size(journal.file()));
                        }
                    }
                    return journal;
                })
                .onStop((journal, reason, cfg) -> {
                    journal.writer().close();
                    System.out.println("journal closed " + cfg.file().getFileName() + " (" + reason + ")");
                })
                .build();
    }

    /**
     * Runs the example.
     *
     * @param args ignored
     * @throws IOException if the temporary file cannot be made or removed
     */
    public static void main(String[] args) throws IOException {
        Path file = Files.createTempFile("phyxius-journal", ".log");
        ProcessRef<Msg> ref =
                Processes.spawn(journal(), SpawnOptions.of(Clock.system()).withContext(new Config(file)));
        ref.send(new Append("first"));
        ref.send(new Append("second"));
        System.out.println("journal holds " + ref.<Long>ask(Flush::new).join() + " bytes");
        ref.stop().join();
        Files.deleteIfExists(file);
    }
}

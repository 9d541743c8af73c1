package dev.phyxius.tests.simulation;

import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.Reply;
import dev.phyxius.simulation.SimulationScenario;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Scenarios shared by the simulation tests. */
final class Scenarios {

    private Scenarios() {}

    sealed interface SinkMsg {}

    record Note(String text) implements SinkMsg {}

    record Seen(Reply<List<String>> reply) implements SinkMsg {}

    /** Collects every note, in the order handled, and answers with the list. */
    static ProcessSpec<SinkMsg, List<String>, Void> sink() {
        return ProcessSpec.<SinkMsg, List<String>>named("sink")
                .init(() -> new ArrayList<>())
                .handler((seen, msg, tools) -> switch (msg) {
                    case Note note -> {
                        seen.add(note.text());
                        yield seen;
                    }
                    case Seen ask -> {
                        ask.reply().send(List.copyOf(seen));
                        yield seen;
                    }
                })
                .build();
    }

    /** On each message, sends the next numbered note to the sink: a1, a2, ... */
    static ProcessSpec<String, Integer, Void> sender(String name, ProcessRef<SinkMsg> sink) {
        return ProcessSpec.<String, Integer>named(name)
                .init(() -> 0)
                .handler((sent, msg, tools) -> {
                    sink.send(new Note(name + (sent + 1)));
                    return sent + 1;
                })
                .build();
    }

    /**
     * The racy scenario: two senders both send {@code count} notes to a third process; the order
     * the sink sees is the interleaving. It is written to {@code orders} and to the log.
     */
    static SimulationScenario twoSendersOneSink(int count, List<List<String>> orders) {
        return sim -> {
            ProcessRef<SinkMsg> sink = sim.spawn(sink());
            ProcessRef<String> a = sim.spawn(sender("a", sink));
            ProcessRef<String> b = sim.spawn(sender("b", sink));
            for (int i = 0; i < count; i++) {
                a.send("go");
                b.send("go");
            }
            sim.sleep(Duration.ofSeconds(1));
            List<String> seen = sink.<List<String>>ask(Seen::new).join();
            sim.record("sink saw " + seen);
            orders.add(seen);
        };
    }
}

package dev.phyxius.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Savina Fork-Join throughput ({@code benchmarks/fjthrput}): the benchmark thread sends
 * {@value #MESSAGES} messages to each of {@value #ACTORS} actors, round-robin (600,000 in all);
 * each actor does Savina's small computation per message ({@code sin(37.2)} squared) and exits
 * after its last. Score: ms per run.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 3,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+UseG1GC"})
public class SavinaForkJoinThroughput extends SavinaBenchmark {

    /** Savina's defaults {@code A} (actors) and {@code N} (messages each). */
    static final int ACTORS = 60;

    static final int MESSAGES = 10_000;

    private static final Object MESSAGE = new Object();

    /** Savina's {@code performComputation}: its result is checked so the JIT cannot drop it. */
    static void performComputation(double theta) {
        double sin = Math.sin(theta);
        double result = sin * sin;
        if (result <= 0) {
            throw new IllegalStateException("unrealistic result " + result);
        }
    }

    static final class Worker implements Savina.Actor {
        private int processed;

        @Override
        public boolean on(Object message, Actors.Target self) {
            processed++;
            performComputation(37.2);
            return processed == MESSAGES;
        }
    }

    private Savina.Run run;
    private Actors.Target[] workers;

    @Override
    String name() {
        return "savina-fj-throughput";
    }

    @Override
    void prepare(Savina.Group group) {
        run = new Savina.Run(ACTORS);
        workers = group.spawn(run, ACTORS, i -> new Worker());
    }

    @Benchmark
    public void forkJoinThroughput() throws InterruptedException {
        Actors.Target[] ws = workers;
        for (int m = 0; m < MESSAGES; m++) {
            for (Actors.Target worker : ws) {
                worker.tell(MESSAGE);
            }
        }
        run.await();
    }
}

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
 * Savina Fork-Join creation ({@code benchmarks/fjcreate}): {@value #ACTORS} actors are created and
 * each is sent one message; an actor does Savina's small computation and exits. The run ends when
 * all have exited, so creating, starting and stopping an actor is what it measures. Score: ms per
 * run.
 *
 * <p>Deviation: Savina creates the actors from the main thread ({@code system.actorOf}); Pekko typed
 * can only spawn from inside an actor, so its actors are spawned by one parent actor on request (as
 * in {@link SpawnRate}), while Phyxius spawns them from the benchmark thread.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 3,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+UseG1GC"})
public class SavinaForkJoinCreation extends SavinaBenchmark {

    /** Savina's default {@code N}. */
    static final int ACTORS = 40_000;

    private static final Object MESSAGE = new Object();

    static final class Worker implements Savina.Actor {
        @Override
        public boolean on(Object message, Actors.Target self) {
            SavinaForkJoinThroughput.performComputation(37.2);
            return true;
        }
    }

    private Savina.Group group;
    private Savina.Run run;

    @Override
    String name() {
        return "savina-fj-creation";
    }

    @Override
    void prepare(Savina.Group next) {
        group = next;
        run = new Savina.Run(ACTORS);
    }

    @Benchmark
    public void forkJoinCreation() throws InterruptedException {
        group.spawnAndTell(run, ACTORS, Worker::new, MESSAGE);
        run.await();
    }
}

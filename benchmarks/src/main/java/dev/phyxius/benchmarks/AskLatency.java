package dev.phyxius.benchmarks;

import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.Reply;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Workload 4: a plain (platform) thread asks a process and waits for the answer, one ask at a
 * time. Score: latency per ask; JMH's sample mode gives p50/p99/p99.9 in its JSON, and an
 * HdrHistogram of the same asks is printed at the end of each trial as a cross-check.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 3,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+UseG1GC"})
public class AskLatency {

    /** Phyxius request: answer with the request itself. */
    record PhyxiusAsk(Reply<Object> reply) {}

    /** Pekko request: answer with the request itself. */
    record PekkoAsk(ActorRef<Object> replyTo) {}

    static final class Responder implements Actors.Logic {
        @Override
        public void on(Object message) {
            if (message instanceof PhyxiusAsk ask) {
                ask.reply().send(ask);
            } else if (message instanceof PekkoAsk ask) {
                ask.replyTo().tell(ask);
            }
        }
    }

    @Param({"phyxius", "pekko"})
    public String impl;

    private ProcessRef<Object> process;
    private ActorSystem<Actors.GuardianCommand> system;
    private ActorRef<Object> actor;
    private final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
    private boolean recording;

    @Setup(Level.Trial)
    public void setUp() {
        if (impl.equals("phyxius")) {
            process = Actors.spawnPhyxius(Actors.phyxiusSpec("responder", Responder::new, 1024));
        } else {
            system = Actors.pekko("ask");
            actor = Actors.spawnPekko(system, Actors.pekkoBehavior(Responder::new));
        }
    }

    @Setup(Level.Iteration)
    public void startIteration(org.openjdk.jmh.infra.IterationParams params) {
        // Only measurement iterations go into the HdrHistogram.
        recording = params.getType() == org.openjdk.jmh.runner.IterationType.MEASUREMENT;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        if (histogram.getTotalCount() > 0) {
            System.out.printf(
                    "%nHdrHistogram ask latency (%s, %d asks): p50 %.1f us, p99 %.1f us, p99.9 %.1f us, max %.1f us%n",
                    impl,
                    histogram.getTotalCount(),
                    histogram.getValueAtPercentile(50) / 1e3,
                    histogram.getValueAtPercentile(99) / 1e3,
                    histogram.getValueAtPercentile(99.9) / 1e3,
                    histogram.getMaxValue() / 1e3);
        }
        if (process != null) {
            process.stop().join();
        }
        if (system != null) {
            Actors.terminate(system);
        }
    }

    @Benchmark
    public Object ask() {
        long start = System.nanoTime();
        Object answer;
        if (process != null) {
            answer = process.<Object>ask(PhyxiusAsk::new, Actors.askTimeout()).join();
        } else {
            answer = AskPattern.<Object, Object>ask(actor, PekkoAsk::new, Actors.askTimeout(), system.scheduler())
                    .toCompletableFuture()
                    .join();
        }
        if (recording) {
            histogram.recordValue(System.nanoTime() - start);
        }
        return answer;
    }
}

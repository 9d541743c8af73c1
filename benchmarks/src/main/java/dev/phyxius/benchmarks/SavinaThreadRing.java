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
 * Savina ThreadRing ({@code benchmarks/threadring}): {@value #ACTORS} actors in a ring pass a
 * {@code Ping(pingsLeft)} (a new message per hop) {@value #PINGS} times; the actor that receives
 * the last one sends {@code Exit(ACTORS)} around the ring, each actor forwarding
 * {@code Exit(n - 1)} and exiting. Score: ms per run. The ring of 503 long-lived processes with
 * one token, in hops per second, is {@link ThreadRing}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 3,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+UseG1GC"})
public class SavinaThreadRing extends SavinaBenchmark {

    /** Savina's defaults {@code N} (actors) and {@code R} (pings). */
    static final int ACTORS = 100;

    static final int PINGS = 100_000;

    record Ping(int pingsLeft) {}

    record Data(Actors.Target next) {}

    record Exit(int exitsLeft) {}

    static final class Link implements Savina.Actor {
        private Actors.Target next;

        @Override
        public boolean on(Object message, Actors.Target self) {
            if (message instanceof Ping ping) {
                next.tell(ping.pingsLeft() > 0 ? new Ping(ping.pingsLeft() - 1) : new Exit(ACTORS));
                return false;
            } else if (message instanceof Exit exit) {
                if (exit.exitsLeft() > 0) {
                    next.tell(new Exit(exit.exitsLeft() - 1));
                }
                return true;
            } else if (message instanceof Data data) {
                next = data.next();
                return false;
            }
            throw new IllegalArgumentException("unexpected " + message);
        }
    }

    private Savina.Run run;
    private Actors.Target first;

    @Override
    String name() {
        return "savina-thread-ring";
    }

    @Override
    void prepare(Savina.Group group) {
        run = new Savina.Run(ACTORS);
        Actors.Target[] ring = group.spawn(run, ACTORS, i -> new Link());
        for (int i = 0; i < ACTORS; i++) {
            ring[i].tell(new Data(ring[(i + 1) % ACTORS]));
        }
        first = ring[0];
    }

    @Benchmark
    public void threadRing() throws InterruptedException {
        first.tell(new Ping(PINGS));
        run.await();
    }
}

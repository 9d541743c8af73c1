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
 * Savina Big ({@code benchmarks/big}): {@value #WORKERS} actors each send {@value #PINGS} pings,
 * one at a time, to neighbours picked by Savina's {@code PseudoRandom} (seeded with the actor's
 * index); a pinged actor answers {@code Pong(id)}, and the pinger checks it came from the actor it
 * pinged. An actor done with its pings tells a sink actor; after the last one the sink tells every
 * actor {@code EXIT} and exits. The run starts with {@code Pong(-1)} to each actor. Many-to-many
 * traffic with a single message in flight per actor. Score: ms per run.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 3,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+UseG1GC"})
public class SavinaBig extends SavinaBenchmark {

    /** Savina's defaults {@code W} (actors) and {@code N} (pings each). */
    static final int WORKERS = 120;

    static final int PINGS = 20_000;

    record Ping(int sender) {}

    record Pong(int sender) {}

    enum Exit {
        EXIT
    }

    record Neighbours(Actors.Target[] neighbours) {}

    /** Savina's {@code PseudoRandom}, so that every run sends the same pings. */
    static final class PseudoRandom {
        private long value;

        PseudoRandom(long seed) {
            this.value = seed;
        }

        int nextInt(int exclusiveMax) {
            value = ((value * 1309) + 13849) & 65535;
            return ((int) value) % exclusiveMax;
        }
    }

    static final class Worker implements Savina.Actor {
        private final int pings;
        private final Actors.Target sink;
        private final Savina.Run run;
        private final PseudoRandom random;
        private final Ping myPing;
        private final Pong myPong;
        private Actors.Target[] neighbours;
        private int pingsSent;
        private int expectedPinger = -1;

        Worker(int id, int pings, Actors.Target sink, Savina.Run run) {
            this.pings = pings;
            this.sink = sink;
            this.run = run;
            this.random = new PseudoRandom(id);
            this.myPing = new Ping(id);
            this.myPong = new Pong(id);
        }

        @Override
        public boolean on(Object message, Actors.Target self) {
            if (message instanceof Ping ping) {
                neighbours[ping.sender()].tell(myPong);
            } else if (message instanceof Pong pong) {
                if (pong.sender() != expectedPinger) {
                    run.fail("expected a pong from " + expectedPinger + ", got one from " + pong.sender());
                }
                if (pingsSent == pings) {
                    sink.tell(Exit.EXIT);
                } else {
                    int target = random.nextInt(neighbours.length);
                    expectedPinger = target;
                    neighbours[target].tell(myPing);
                    pingsSent++;
                }
            } else if (message == Exit.EXIT) {
                return true;
            } else if (message instanceof Neighbours wiring) {
                neighbours = wiring.neighbours();
            } else {
                throw new IllegalArgumentException("unexpected " + message);
            }
            return false;
        }
    }

    static final class Sink implements Savina.Actor {
        private final int workers;
        private int done;
        private Actors.Target[] neighbours;

        Sink(int workers) {
            this.workers = workers;
        }

        @Override
        public boolean on(Object message, Actors.Target self) {
            if (message == Exit.EXIT) {
                if (++done == workers) {
                    for (Actors.Target worker : neighbours) {
                        worker.tell(Exit.EXIT);
                    }
                    return true;
                }
            } else if (message instanceof Neighbours wiring) {
                neighbours = wiring.neighbours();
            } else {
                throw new IllegalArgumentException("unexpected " + message);
            }
            return false;
        }
    }

    private static final Pong KICK_OFF = new Pong(-1);

    private Savina.Run run;
    private Actors.Target[] workers;

    @Override
    String name() {
        return "savina-big";
    }

    @Override
    void prepare(Savina.Group group) {
        Savina.Run next = new Savina.Run(WORKERS + 1);
        Actors.Target sink = group.spawn(next, 1, i -> new Sink(WORKERS))[0];
        workers = group.spawn(next, WORKERS, i -> new Worker(i, PINGS, sink, next));
        Neighbours wiring = new Neighbours(workers);
        sink.tell(wiring);
        for (Actors.Target worker : workers) {
            worker.tell(wiring);
        }
        run = next;
    }

    @Benchmark
    public void big() throws InterruptedException {
        for (Actors.Target worker : workers) {
            worker.tell(KICK_OFF);
        }
        run.await();
    }
}

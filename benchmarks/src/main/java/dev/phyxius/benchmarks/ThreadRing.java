package dev.phyxius.benchmarks;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Workload 8: {@value #PROCESSES} processes in a ring (the benchmarks game's thread ring) pass one
 * token {@value #HOPS} hops; the process that makes the last hop counts down a latch. Score: hops
 * per second. Every hop wakes an idle process, as in ping-pong, but the token visits 503 of them
 * in turn, so no partner is ever warm. Savina's variant (100 actors, a new message per hop, the
 * actors exit at the end) is {@link SavinaThreadRing}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 3,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+UseG1GC"})
public class ThreadRing {

    static final int PROCESSES = 503;
    static final int HOPS = 500_000;

    /** Tells a process where the ring goes on. */
    record Next(Actors.Target next) {}

    /**
     * The token: one object passed along the ring. Only its holder touches it, and each send hands
     * it over with the mailbox's happens-before edge, so plain fields are safe.
     */
    static final class Token {
        int hopsLeft;
        final CountDownLatch done;

        Token(int hops, CountDownLatch done) {
            this.hopsLeft = hops;
            this.done = done;
        }
    }

    static final class Link implements Actors.Logic {
        Actors.Target next;

        @Override
        public void on(Object message) {
            if (message instanceof Token token) {
                if (--token.hopsLeft == 0) {
                    token.done.countDown();
                } else {
                    next.tell(token);
                }
            } else if (message instanceof Next wiring) {
                next = wiring.next();
            } else {
                throw new IllegalArgumentException("unexpected " + message);
            }
        }
    }

    @Param({"phyxius", "pekko"})
    public String impl;

    private Actors.Fleet fleet;

    @Setup(Level.Trial)
    public void setUp() {
        fleet = Actors.Fleet.of(impl, "thread-ring", PROCESSES, Link::new);
        Actors.Target[] ring = fleet.targets;
        for (int i = 0; i < PROCESSES; i++) {
            ring[i].tell(new Next(ring[(i + 1) % PROCESSES]));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        fleet.close();
    }

    @Benchmark
    @OperationsPerInvocation(HOPS)
    public void threadRing() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        fleet.target().tell(new Token(HOPS, done));
        done.await();
    }
}

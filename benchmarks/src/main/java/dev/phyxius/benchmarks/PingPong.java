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
 * Workload 3: two processes pass one message back and forth 200,000 times. Score: round trips per
 * second. Each hop reaches a process that has just gone idle, so this measures wake-up cost.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 3,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+UseG1GC"})
public class PingPong {

    static final int ROUND_TRIPS = 200_000;

    /** Tells a player who its partner is. */
    record Wire(Actors.Target peer) {}

    /** Returns every ball; the serving side counts round trips and ends the round. */
    static final class Player implements Actors.Logic {
        Actors.Target peer;
        long count;
        long target;
        CountDownLatch done;

        @Override
        public void on(Object message) {
            if (message == Messages.TICK) {
                if (done == null) {
                    peer.tell(Messages.TICK);
                } else if (++count == target) {
                    done.countDown();
                } else {
                    peer.tell(Messages.TICK);
                }
            } else if (message instanceof Messages.Arm arm) {
                count = 0;
                target = arm.target();
                done = arm.done();
                peer.tell(Messages.TICK);
            } else if (message instanceof Wire wire) {
                peer = wire.peer();
            }
        }
    }

    @Param({"phyxius", "pekko"})
    public String impl;

    private Actors.Fleet fleet;
    private Actors.Target server;

    @Setup(Level.Trial)
    public void setUp() {
        fleet = Actors.Fleet.of(impl, "ping-pong", 2, Player::new);
        Actors.Target ping = fleet.targets[0];
        Actors.Target pong = fleet.targets[1];
        ping.tell(new Wire(pong));
        pong.tell(new Wire(ping));
        server = ping;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        fleet.close();
    }

    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public void pingPong() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        server.tell(new Messages.Arm(ROUND_TRIPS, done));
        done.await();
    }
}

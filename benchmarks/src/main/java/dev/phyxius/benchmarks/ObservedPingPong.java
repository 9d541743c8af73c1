package dev.phyxius.benchmarks;

import dev.phyxius.process.ProcessRef;
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
 * {@link PingPong} (two processes pass one message back and forth 200,000 times) with each
 * observability backend of {@link Observed}. Score: round trips per second; with {@code -prof gc},
 * {@code gc.alloc.rate.norm} is the bytes allocated per round trip (two messages).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 3,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+UseG1GC"})
public class ObservedPingPong {

    static final int ROUND_TRIPS = 200_000;

    @Param({"none", "off", "events", "hook", "micrometer", "micrometer-sampled", "jfr", "jfr-every", "stream", "otel"})
    public String backend;

    private Observed observed;
    private ProcessRef<Object> ping;
    private ProcessRef<Object> pong;

    @Setup(Level.Trial)
    public void setUp() {
        observed = Observed.of(backend);
        ping = observed.spawn("ping", PingPong.Player::new);
        pong = observed.spawn("pong", PingPong.Player::new);
        Actors.target(ping).tell(new PingPong.Wire(Actors.target(pong)));
        Actors.target(pong).tell(new PingPong.Wire(Actors.target(ping)));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        ping.stop().join();
        pong.stop().join();
        observed.close();
    }

    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public void pingPong() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        observed.traced(() -> Actors.target(ping).tell(new Messages.Arm(ROUND_TRIPS, done)));
        done.await();
    }
}

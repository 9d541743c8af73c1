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
 * Workload 1: one sender thread tells 1,000,000 messages to one process; the process counts them
 * and counts down a latch at the last one. Score: messages per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 3,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+UseG1GC"})
public class TellOneToOne {

    static final int MESSAGES = 1_000_000;

    @Param({"phyxius", "pekko"})
    public String impl;

    private Actors.Fleet fleet;
    private Actors.Target target;

    @Setup(Level.Trial)
    public void setUp() {
        fleet = Actors.Fleet.of(impl, "tell-1-1", 1, Messages.Counter::new);
        target = fleet.target();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        fleet.close();
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public void tell() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        Actors.Target t = target;
        t.tell(new Messages.Arm(MESSAGES, done));
        for (int i = 0; i < MESSAGES; i++) {
            t.tell(Messages.TICK);
        }
        done.await();
    }
}

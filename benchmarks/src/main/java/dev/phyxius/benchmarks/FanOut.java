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
 * Workload 5: one sender tells 1,000 messages to each of 1,000 processes, round-robin (message 1 to
 * every process, then message 2, ...), 1,000,000 in all; each process counts down a shared latch at
 * its last message. Score: messages per second. The scaling runs vary {@link #processes} (10,000
 * busy processes get 100 messages each), keeping the total at 1,000,000.
 *
 * <p>Warm-up is longer than elsewhere: each invocation is one long loop, and both systems reach
 * their steady rate only after about 8 seconds of it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 3,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+UseG1GC"})
public class FanOut {

    static final int MESSAGES = 1_000_000;

    @Param({"phyxius", "pekko"})
    public String impl;

    /** Processes fed in turn; each gets {@code 1,000,000 / processes} messages. */
    @Param({"1000"})
    public int processes;

    private Actors.Fleet fleet;
    private Actors.Target[] targets;

    @Setup(Level.Trial)
    public void setUp() {
        if (processes <= 0 || MESSAGES % processes != 0) {
            throw new IllegalArgumentException("processes must divide " + MESSAGES + ", was " + processes);
        }
        fleet = Actors.Fleet.of(impl, "fan-out", processes, Messages.Counter::new);
        targets = fleet.targets;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        fleet.close();
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public void fanOut() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(processes);
        Actors.Target[] ts = targets;
        int each = MESSAGES / processes;
        Messages.Arm arm = new Messages.Arm(each, done);
        for (Actors.Target t : ts) {
            t.tell(arm);
        }
        for (int m = 0; m < each; m++) {
            for (Actors.Target t : ts) {
                t.tell(Messages.TICK);
            }
        }
        done.await();
    }
}

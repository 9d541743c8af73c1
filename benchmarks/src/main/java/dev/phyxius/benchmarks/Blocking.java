package dev.phyxius.benchmarks;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.DispatcherSelector;
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
 * Workload 7: 10,000 processes whose handler blocks for 1 ms per message ({@code Thread.sleep(1)});
 * one sender tells each process 10 messages, round-robin, 100,000 in all; each counts down a shared
 * latch at its last. Score: messages per second. Pekko runs its actors on a dedicated
 * thread-pool-executor dispatcher of {@link #PEKKO_POOL} threads, as its documentation advises for
 * blocking code; Phyxius runs them as they are (virtual threads).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(
        value = 3,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+UseG1GC"})
public class Blocking {

    static final int PROCESSES = 10_000;
    static final int MESSAGES_EACH = 10;
    /** Threads of Pekko's blocking dispatcher: the top of the 16..64 range its docs suggest. */
    static final int PEKKO_POOL = 64;

    /** Blocks 1 ms per tick, then counts it. */
    static final class Sleeper implements Actors.Logic {
        final Messages.Counter counter = new Messages.Counter();

        @Override
        public void on(Object message) throws InterruptedException {
            if (message == Messages.TICK) {
                Thread.sleep(1);
            }
            counter.on(message);
        }
    }

    @Param({"phyxius", "pekko"})
    public String impl;

    private Actors.Fleet fleet;
    private Actors.Target[] targets;

    @Setup(Level.Trial)
    public void setUp() {
        fleet = Actors.Fleet.of(
                impl, "blocking", PROCESSES, Sleeper::new, DispatcherSelector.fromConfig(Actors.BLOCKING_DISPATCHER));
        targets = fleet.targets;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        fleet.close();
    }

    @Benchmark
    @OperationsPerInvocation(PROCESSES * MESSAGES_EACH)
    public void blocking() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(PROCESSES);
        Actors.Target[] ts = targets;
        Messages.Arm arm = new Messages.Arm(MESSAGES_EACH, done);
        for (Actors.Target t : ts) {
            t.tell(arm);
        }
        for (int m = 0; m < MESSAGES_EACH; m++) {
            for (Actors.Target t : ts) {
                t.tell(Messages.TICK);
            }
        }
        done.await();
    }
}

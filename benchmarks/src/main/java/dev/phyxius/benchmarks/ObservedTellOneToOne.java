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
 * {@link TellOneToOne} (one sender, 1,000,000 messages to one process) with each observability
 * backend of {@link Observed}. Score: messages per second; with {@code -prof gc},
 * {@code gc.alloc.rate.norm} is the bytes allocated per message.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 3,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+UseG1GC"})
public class ObservedTellOneToOne {

    static final int MESSAGES = 1_000_000;

    @Param({"none", "off", "events", "hook", "micrometer", "micrometer-sampled", "jfr", "jfr-every", "stream", "otel"})
    public String backend;

    private Observed observed;
    private ProcessRef<Object> ref;
    private Actors.Target target;

    @Setup(Level.Trial)
    public void setUp() {
        observed = Observed.of(backend);
        ref = observed.spawn("tell-1-1", Messages.Counter::new);
        target = Actors.target(ref);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        ref.stop().join();
        observed.close();
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public void tell() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        Actors.Target t = target;
        observed.traced(() -> {
            t.tell(new Messages.Arm(MESSAGES, done));
            for (int i = 0; i < MESSAGES; i++) {
                t.tell(Messages.TICK);
            }
        });
        done.await();
    }
}

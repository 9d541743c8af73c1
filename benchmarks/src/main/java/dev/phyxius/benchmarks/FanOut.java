package dev.phyxius.benchmarks;

import dev.phyxius.process.ProcessRef;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
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
 * its last message. Score: messages per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 3, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+UseG1GC"})
public class FanOut {

    static final int PROCESSES = 1_000;
    static final int MESSAGES_EACH = 1_000;

    @Param({"phyxius", "pekko"})
    public String impl;

    private ProcessRef<Object>[] processes;
    private ActorSystem<Actors.GuardianCommand> system;
    private Actors.Target[] targets;

    @Setup(Level.Trial)
    @SuppressWarnings("unchecked")
    public void setUp() {
        targets = new Actors.Target[PROCESSES];
        if (impl.equals("phyxius")) {
            processes = new ProcessRef[PROCESSES];
            var spec = Actors.phyxiusSpec("counter", Messages.Counter::new, Actors.BIG_INBOX);
            for (int i = 0; i < PROCESSES; i++) {
                processes[i] = Actors.spawnPhyxius(spec);
                targets[i] = Actors.target(processes[i]);
            }
        } else {
            system = Actors.pekko("fan-out");
            for (int i = 0; i < PROCESSES; i++) {
                targets[i] = Actors.target(Actors.spawnPekko(system, Actors.pekkoBehavior(Messages.Counter::new)));
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        if (processes != null) {
            Actors.stopAll(processes);
        }
        if (system != null) {
            Actors.terminate(system);
        }
    }

    @Benchmark
    @OperationsPerInvocation(PROCESSES * MESSAGES_EACH)
    public void fanOut() throws InterruptedException {
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

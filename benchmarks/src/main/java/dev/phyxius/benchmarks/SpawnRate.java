package dev.phyxius.benchmarks;

import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
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
 * Workload 6a: spawn 100,000 processes and send each its first message; done when every one has
 * handled it (a shared latch). Score: nanoseconds per process. Phyxius spawns from the benchmark
 * thread; Pekko can only spawn from inside an actor, so one parent actor spawns the 100,000 children
 * on request. Both are torn down outside the measured time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 3,
        jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+UseG1GC"})
public class SpawnRate {

    static final int PROCESSES = 100_000;

    /** Counts down the latch it is sent: the first (and only) message. */
    static final class FirstMessage implements Actors.Logic {
        @Override
        public void on(Object message) {
            ((CountDownLatch) message).countDown();
        }
    }

    /** Asks the Pekko parent to spawn children and send each the latch. */
    record SpawnChildren(int count, CountDownLatch done) {}

    static Behavior<Object> parent() {
        Behavior<Object> child = Actors.pekkoBehavior(FirstMessage::new);
        return Behaviors.receive((context, message) -> {
            SpawnChildren request = (SpawnChildren) message;
            for (int i = 0; i < request.count(); i++) {
                context.spawnAnonymous(child).tell(request.done());
            }
            return Behaviors.same();
        });
    }

    @Param({"phyxius", "pekko"})
    public String impl;

    private ProcessSpec<Object, Actors.Logic, Void> spec;
    private ProcessRef<Object>[] processes;
    private ActorSystem<Actors.GuardianCommand> system;
    private ActorRef<Object> parent;

    @Setup(Level.Trial)
    @SuppressWarnings("unchecked")
    public void setUp() {
        if (impl.equals("phyxius")) {
            spec = Actors.phyxiusSpec("spawned", FirstMessage::new, 1024);
            processes = new ProcessRef[PROCESSES];
        } else {
            system = Actors.pekko("spawn");
        }
    }

    @Setup(Level.Invocation)
    public void freshParent() {
        if (system != null) {
            parent = Actors.spawnPekko(system, parent());
        }
    }

    @TearDown(Level.Invocation)
    public void stopSpawned() {
        if (processes != null) {
            Actors.stopAll(processes);
        } else {
            Actors.stopPekko(system, parent);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        if (system != null) {
            Actors.terminate(system);
        }
    }

    @Benchmark
    @OperationsPerInvocation(PROCESSES)
    public void spawn() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(PROCESSES);
        if (processes != null) {
            for (int i = 0; i < PROCESSES; i++) {
                ProcessRef<Object> ref = Actors.spawnPhyxius(spec);
                processes[i] = ref;
                ref.send(done);
            }
        } else {
            parent.tell(new SpawnChildren(PROCESSES, done));
        }
        done.await();
    }
}

package dev.phyxius.benchmarks;

import dev.phyxius.clock.Clock;
import dev.phyxius.clock.Event;
import dev.phyxius.process.ProcessId;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.supervisor.Backoff;
import dev.phyxius.supervisor.SupervisionStrategy;
import dev.phyxius.supervisor.Supervisor;
import dev.phyxius.supervisor.SupervisorEvent;
import dev.phyxius.supervisor.SupervisorOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The supervisor's restart path end to end: a child's handler throws, its supervisor decides,
 * takes the round's members down and starts them again with fresh {@code init}. Score: restarts
 * of the failing child per second. {@code oneForOne} restarts the child alone; {@code oneForAll}
 * restarts it with three bystanders, each taken down ({@code onStop}) and started again. No
 * backoff and no intensity limit, so the score is the decision and the round, nothing waited.
 * Phyxius only: what it guards is that restructuring the supervisor does not slow its restarts.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 3,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+UseG1GC"})
public class SupervisorRestarts {

    /** The message that makes the failing child's handler throw. */
    static final Object POISON = new Object();

    @Param({"oneForOne", "oneForAll"})
    public String strategy;

    private final AtomicLong restarts = new AtomicLong();
    private Supervisor supervisor;
    private ProcessRef<Object> failing;
    private ProcessId failingId;

    @Setup(Level.Trial)
    public void setUp() {
        SupervisionStrategy base =
                strategy.equals("oneForAll") ? SupervisionStrategy.oneForAll() : SupervisionStrategy.oneForOne();
        supervisor = new Supervisor(SupervisorOptions.of(Clock.system())
                .withEvents(this::onEvent)
                .withStrategy(base.withMaxRestarts(Integer.MAX_VALUE, Duration.ofSeconds(1))
                        .withBackoff(Backoff.none())));
        ProcessSpec<Object, Integer, Void> crashing = ProcessSpec.<Object, Integer>named("crashing")
                .init(() -> 0)
                .handler((count, message, tools) -> {
                    if (message == POISON) {
                        throw new IllegalStateException("poison");
                    }
                    return count + 1;
                })
                .build();
        failing = supervisor.spawn(crashing);
        failingId = failing.id();
        if (strategy.equals("oneForAll")) {
            for (int i = 0; i < 3; i++) {
                supervisor.spawn(ProcessSpec.<Object, Integer>named("bystander-" + i)
                        .init(() -> 0)
                        .handler((count, message, tools) -> count + 1)
                        .onStop((count, reason, ctx) -> {})
                        .build());
            }
        }
    }

    private void onEvent(Event event) {
        if (event instanceof SupervisorEvent.ChildRestarted restarted
                && restarted.child().equals(failingId)) {
            restarts.incrementAndGet();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        supervisor.stop().get(30, TimeUnit.SECONDS);
    }

    /** One failure and the restart it causes, waited for by spinning on the restart count. */
    @Benchmark
    public long crashAndRestart() {
        long before = restarts.get();
        failing.send(POISON);
        long now;
        while ((now = restarts.get()) == before) {
            Thread.onSpinWait();
        }
        return now;
    }
}

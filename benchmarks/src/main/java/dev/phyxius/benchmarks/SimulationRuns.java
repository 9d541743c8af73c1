package dev.phyxius.benchmarks;

import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.Reply;
import dev.phyxius.simulation.Simulation;
import dev.phyxius.simulation.SimulationOptions;
import dev.phyxius.simulation.SimulationResult;
import dev.phyxius.simulation.SimulationScenario;
import dev.phyxius.simulation.SimulationStrategy;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Simulated runs per second: what exploring one more seed costs. Phyxius only (there is no Pekko
 * counterpart). The scenario is message-heavy on purpose, so that the cost of each scheduling
 * point shows: the scenario sends {@value #MESSAGES} messages to a relay, whose handler forwards
 * each to a counter, then asks the counter for its total. Each operation is one whole run, from
 * a fresh scheduler to its result.
 *
 * <p>{@code strategy}: {@code random} (the random walk) or {@code pct} (PCT of depth 3 with
 * {@code k} fixed, so that no calibration run is counted: an exploration pays for one per
 * exploration, not per seed).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 2,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+UseG1GC", "--add-opens", "java.base/java.lang=ALL-UNNAMED"})
public class SimulationRuns {

    static final int MESSAGES = 50;

    sealed interface CounterMsg {}

    record Add(int amount) implements CounterMsg {}

    record Total(Reply<Integer> reply) implements CounterMsg {}

    static ProcessSpec<CounterMsg, Integer, Void> counter() {
        return ProcessSpec.<CounterMsg, Integer>named("counter")
                .init(() -> 0)
                .handler((total, msg, tools) -> switch (msg) {
                    case Add add -> total + add.amount();
                    case Total ask -> {
                        ask.reply().send(total);
                        yield total;
                    }
                })
                .build();
    }

    static ProcessSpec<Integer, Integer, Void> relay(ProcessRef<CounterMsg> counter) {
        return ProcessSpec.<Integer, Integer>named("relay")
                .init(() -> 0)
                .handler((relayed, amount, tools) -> {
                    counter.send(new Add(amount));
                    return relayed + 1;
                })
                .build();
    }

    static final SimulationScenario RELAY = sim -> {
        ProcessRef<CounterMsg> counter = sim.spawn(counter());
        ProcessRef<Integer> relay = sim.spawn(relay(counter));
        for (int i = 1; i <= MESSAGES; i++) {
            relay.send(i);
        }
        sim.sleep(Duration.ofMillis(1));
        int total = counter.<Integer>ask(Total::new).join();
        if (total != MESSAGES * (MESSAGES + 1) / 2) {
            throw new AssertionError("lost messages: total " + total);
        }
    };

    @Param({"random", "pct"})
    public String strategy;

    private SimulationOptions options;
    private long seed;

    @Setup(Level.Trial)
    public void setUp() {
        options = SimulationOptions.defaults()
                .withName("SimulationRuns#relay")
                .withStrategy(
                        switch (strategy) {
                            case "random" -> SimulationStrategy.random();
                            case "pct" -> SimulationStrategy.pct(3, 300);
                            default ->
                                throw new IllegalArgumentException("strategy must be random or pct, was " + strategy);
                        });
    }

    @Benchmark
    public SimulationResult relay() {
        SimulationResult result = Simulation.run(seed++, options, RELAY);
        if (!result.passed()) {
            throw new IllegalStateException(result.report());
        }
        return result;
    }
}

package dev.phyxius.tests.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.Reply;
import dev.phyxius.simulation.Simulation;
import dev.phyxius.simulation.SimulationOptions;
import dev.phyxius.simulation.SimulationResult;
import dev.phyxius.simulation.SimulationScenario;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The seed's examples, unchanged in style, run under simulation over many seeds. */
@Timeout(120)
class SimulatedExamplesTest {

    sealed interface CounterMsg {}

    record Increment(int by) implements CounterMsg {}

    record Get(Reply<Integer> reply) implements CounterMsg {}

    static ProcessSpec<CounterMsg, Integer, Void> counter() {
        return ProcessSpec.<CounterMsg, Integer>named("counter")
                .init(() -> 0)
                .handler((count, msg, tools) -> switch (msg) {
                    case Increment inc -> count + inc.by();
                    case Get get -> {
                        get.reply().send(count);
                        yield count;
                    }
                })
                .build();
    }

    @Test
    void aCounterFedByTwoClientsCountsEveryIncrementUnderEverySeed() {
        SimulationScenario scenario = sim -> {
            ProcessRef<CounterMsg> counter = sim.spawn(counter());
            CompletableFuture<Void> one = sim.fork("client-1", () -> {
                for (int i = 1; i <= 50; i++) {
                    counter.send(new Increment(i));
                }
                return null;
            });
            CompletableFuture<Void> two = sim.fork("client-2", () -> {
                for (int i = 51; i <= 100; i++) {
                    counter.send(new Increment(i));
                }
                return null;
            });
            one.join();
            two.join();
            sim.sleep(Duration.ofMillis(1));
            int total = counter.<Integer>ask(Get::new).join();
            assertEquals(5050, total);
            counter.stop().join();
        };
        Simulation.explore(100, SimulationOptions.defaults().withName("counter"), scenario)
                .assertPassed();
    }

    sealed interface ServiceMsg {}

    record Slow(Duration work, Reply<String> reply) implements ServiceMsg {}

    record Ignored(Reply<String> reply) implements ServiceMsg {}

    /** Answers after working for a while on its clock; never answers Ignored. */
    static ProcessSpec<ServiceMsg, Integer, Void> service() {
        return ProcessSpec.<ServiceMsg, Integer>named("service")
                .init(() -> 0)
                .handler((served, msg, tools) -> switch (msg) {
                    case Slow slow -> {
                        tools.clock().sleep(slow.work());
                        slow.reply().send("done after " + slow.work());
                        yield served + 1;
                    }
                    case Ignored ignored -> served;
                })
                .build();
    }

    @Test
    void requestReplyAnswersInTimeAndTimesOutAtExactlyTheAskTimeoutInVirtualTime() {
        SimulationScenario scenario = sim -> {
            ProcessRef<ServiceMsg> service = sim.spawn(service());
            String answer = service.<String>ask(reply -> new Slow(Duration.ofSeconds(1), reply), Duration.ofSeconds(3))
                    .join();
            assertEquals("done after PT1S", answer);
            assertEquals(Duration.ofSeconds(1), Duration.ofNanos(sim.clock().monoNanos()));

            CompletableFuture<String> unanswered = service.ask(Ignored::new, Duration.ofSeconds(2));
            CompletionException timedOut =
                    org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class, unanswered::join);
            assertInstanceOf(TimeoutException.class, timedOut.getCause());
            assertEquals(Duration.ofSeconds(3), Duration.ofNanos(sim.clock().monoNanos()));
        };
        Simulation.explore(50, SimulationOptions.defaults().withName("request/reply"), scenario)
                .assertPassed();
    }

    sealed interface HeartbeatMsg {}

    record Beat() implements HeartbeatMsg {}

    record Beats(Reply<List<Long>> reply) implements HeartbeatMsg {}

    /** Beats every second on its own schedule, remembering when (in virtual millis). */
    static ProcessSpec<HeartbeatMsg, List<Long>, Void> heartbeat() {
        return ProcessSpec.<HeartbeatMsg, List<Long>>named("heartbeat")
                .init(() -> new ArrayList<>())
                .handler((beats, msg, tools) -> switch (msg) {
                    case Beat beat -> {
                        beats.add(tools.clock().monoNanos() / 1_000_000);
                        tools.schedule(Duration.ofSeconds(1), new Beat());
                        yield beats;
                    }
                    case Beats ask -> {
                        ask.reply().send(List.copyOf(beats));
                        yield beats;
                    }
                })
                .build();
    }

    @Test
    void aHeartbeatBeatsOncePerVirtualSecondWithoutRealWaiting() {
        SimulationScenario scenario = sim -> {
            ProcessRef<HeartbeatMsg> heartbeat = sim.spawn(heartbeat());
            heartbeat.send(new Beat());
            sim.sleep(Duration.ofMinutes(10));
            List<Long> beats = heartbeat.<List<Long>>ask(Beats::new).join();
            assertEquals(601, beats.size());
            for (int i = 0; i < beats.size(); i++) {
                assertEquals(i * 1000L, beats.get(i));
            }
        };
        SimulationResult result = Simulation.run(7, scenario);
        result.assertPassed();
        assertEquals(Duration.ofMinutes(10), result.virtualTime());
        assertTrue(
                result.log().stream()
                        .anyMatch(e -> e.source().equals("clock") && e.text().equals("advances to 600000ms")),
                "the log shows the clock jumping");
    }
}

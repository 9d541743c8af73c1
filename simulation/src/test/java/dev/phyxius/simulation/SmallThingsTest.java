package dev.phyxius.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.Reply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Timer faults reach clock sleeps, fault lines say whose timer and print milliseconds, and the README tells the truth. */
@Timeout(60)
class SmallThingsTest {

    @Test
    void timerFaultsDelayAClockSleepAndTheLogNamesTheSleeper() {
        SimulationOptions options =
                SimulationOptions.defaults().withFaults(SimulationFaults.none().delayTimers(1, Duration.ofMillis(500)));
        List<Long> wokeAt = new ArrayList<>();
        SimulationResult result = Simulation.run(21, options, sim -> {
            wokeAt.clear(); // the last run counts: PCT's calibration runs the scenario first
            ProcessRef<String> sleeper = sim.spawn(ProcessSpec.<String, Integer>named("sleeper")
                    .init(() -> 0)
                    .handler((n, msg, tools) -> {
                        tools.clock().sleep(Duration.ofSeconds(1));
                        wokeAt.add(tools.clock().monoNanos());
                        return n + 1;
                    })
                    .build());
            sleeper.send("nap");
            sim.sleep(Duration.ofSeconds(5));
        });
        result.assertPassed();
        long woke = Duration.ofNanos(wokeAt.get(0)).toMillis();
        assertTrue(woke > 1000 && woke <= 1500, "woke at " + woke + "ms");
        assertTrue(
                result.logLines().stream()
                        .anyMatch(line -> line.matches(
                                "#\\d+ \\[0ms\\] sleeper: fault: sleep of 1000ms delayed by \\d+\\.\\d{3}ms")),
                result.report());
    }

    @Test
    void aDelayedTimerIsLoggedUnderTheProcessThatScheduledItInMilliseconds() {
        SimulationOptions options =
                SimulationOptions.defaults().withFaults(SimulationFaults.none().delayTimers(1, Duration.ofMillis(250)));
        SimulationResult result = Simulation.run(8, options, sim -> {
            ProcessRef<String> reminder = sim.spawn(ProcessSpec.<String, Integer>named("reminder")
                    .init(() -> 0)
                    .handler((n, msg, tools) -> {
                        if (n == 0) {
                            tools.schedule(Duration.ofSeconds(2), "again");
                        }
                        return n + 1;
                    })
                    .build());
            reminder.send("first");
            sim.sleep(Duration.ofSeconds(5));
        });
        result.assertPassed();
        assertTrue(
                result.logLines().stream()
                        .anyMatch(line -> line.matches(
                                "#\\d+ \\[0ms\\] reminder: fault: timer of 2000ms delayed by \\d+\\.\\d{3}ms")),
                result.report());
        assertTrue(
                result.logLines().stream().noneMatch(line -> line.contains("PT")),
                "no ISO durations: " + result.report());
    }

    // ---------------------------------------------------------------------------------------
    // The README's failure message is what an exploration prints

    sealed interface AccountMsg {}

    record Balance(Reply<Integer> reply) implements AccountMsg {}

    record Debit(int amount) implements AccountMsg {}

    static ProcessSpec<AccountMsg, Integer, Void> account() {
        return ProcessSpec.<AccountMsg, Integer>named("account")
                .init(() -> 100)
                .handler((balance, msg, tools) -> switch (msg) {
                    case Balance ask -> {
                        ask.reply().send(balance);
                        yield balance;
                    }
                    case Debit debit -> balance - debit.amount();
                })
                .build();
    }

    /** Two transfers check the balance, then debit it: both can pass the check. */
    static final SimulationScenario TRANSFERS = sim -> {
        ProcessRef<AccountMsg> account = sim.spawn(account());
        for (String name : List.of("rent", "car")) {
            sim.fork(name, () -> {
                if (account.<Integer>ask(Balance::new).join() >= 70) {
                    account.send(new Debit(70));
                }
                return null;
            });
        }
        sim.sleep(Duration.ofSeconds(1));
        int balance = account.<Integer>ask(Balance::new).join();
        if (balance < 0) {
            throw new AssertionError("overdrawn: " + balance);
        }
    };

    @Test
    void theReadmesFailureMessageHasTheShapeOfWhatAnExplorationPrints() throws IOException {
        SimulationOptions options = SimulationOptions.defaults().withName("BankTest#transfersNeverOverdraw");
        SimulationExploration exploration = Simulation.explore(100, options, TRANSFERS);
        SimulationFailure failure = assertThrows(SimulationFailure.class, exploration::assertPassed);
        List<String> printed = failure.getMessage().lines().limit(3).toList();
        List<String> readme = readmeFailureMessage();
        assertEquals(3, readme.size(), "the README shows the first three lines: " + readme);
        for (int i = 0; i < 3; i++) {
            assertEquals(
                    shape(readme.get(i)), shape(printed.get(i)), "line " + (i + 1) + " of:\n" + failure.getMessage());
        }
        assertFalse(exploration.passed());
    }

    /** The lines indented by four spaces after "Its message starts with" in the README's simulation section. */
    private static List<String> readmeFailureMessage() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("..", "README.md"));
        int start = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("Its message starts with")) {
                start = i;
                break;
            }
        }
        assertTrue(start >= 0, "the README no longer shows a failure message");
        List<String> block = new ArrayList<>();
        int i = start + 1;
        while (i < lines.size() && lines.get(i).isBlank()) {
            i++;
        }
        for (; i < lines.size() && lines.get(i).startsWith("    "); i++) {
            block.add(lines.get(i).substring(4));
        }
        return block;
    }

    /** A line with its numbers (seeds, steps, times, entries) made alike. */
    private static String shape(String line) {
        return line.replaceAll("\\d+", "N");
    }
}

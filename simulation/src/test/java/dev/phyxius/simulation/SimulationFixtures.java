package dev.phyxius.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.Reply;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Timeout;

/**
 * Test classes that {@link AimedFaultsTest} runs through the JUnit Platform. Nested in a class
 * whose name matches no test pattern, so that the build never runs them by themselves: some are
 * meant to fail.
 */
final class SimulationFixtures {

    private SimulationFixtures() {}

    sealed interface TillMsg {}

    record Deposit(int amount, Reply<Integer> reply) implements TillMsg {}

    record Withdraw(int amount, Reply<Integer> reply) implements TillMsg {}

    static ProcessSpec<TillMsg, Integer, Void> till(String name) {
        return ProcessSpec.<TillMsg, Integer>named(name)
                .init(() -> 100)
                .handler((balance, msg, tools) -> switch (msg) {
                    case Deposit deposit -> {
                        deposit.reply().send(balance + deposit.amount());
                        yield balance + deposit.amount();
                    }
                    case Withdraw withdraw -> {
                        withdraw.reply().send(balance - withdraw.amount());
                        yield balance - withdraw.amount();
                    }
                })
                .build();
    }

    /** Every withdrawal from the front till crashes; nothing else does. */
    @Timeout(60)
    static class AimedCrashFixture {
        static int runs;

        @SimulationTest(seeds = 5, crashHandlers = 1, crashProcesses = "front", crashMessages = Withdraw.class)
        void crashesOnlyTheWithdrawalsOfTheFrontTill(Simulation sim) {
            runs++;
            ProcessRef<TillMsg> front = sim.spawn(till("front"));
            ProcessRef<TillMsg> back = sim.spawn(till("back"));
            assertEquals(
                    110, front.<Integer>ask(reply -> new Deposit(10, reply)).join());
            assertEquals(90, back.<Integer>ask(reply -> new Withdraw(10, reply)).join());
            CompletionException crashed = assertThrows(
                    CompletionException.class,
                    () -> front.<Integer>ask(reply -> new Withdraw(10, reply)).join());
            assertInstanceOf(SimulationFaultException.class, crashed.getCause());
        }
    }

    /** Sleeps past its time limit. */
    @Timeout(60)
    static class TimeLimitFixture {
        @SimulationTest(seed = 3, timeLimit = "PT1M", strategy = SimulationStrategy.Kind.RANDOM)
        void sleepsTwoMinutes(Simulation sim) throws InterruptedException {
            sim.sleep(Duration.ofMinutes(2));
        }
    }

    /** Aims crashes without asking for any. */
    @Timeout(60)
    static class MisconfiguredFixture {
        @SimulationTest(crashProcesses = "front")
        void neverRuns(Simulation sim) {}
    }
}

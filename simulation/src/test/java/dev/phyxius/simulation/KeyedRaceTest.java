package dev.phyxius.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.Reply;
import dev.phyxius.process.StopReason;
import dev.phyxius.supervisor.KeyedProcesses;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Keyed groups run under the simulation: one process per account, activated on a simulated
 * thread, passivated in virtual time and loaded again from a store. A user's check-then-act
 * across keys (ask a balance, then debit) is found by exploring seeds and replays from its seed;
 * the same transfers done by the account itself pass every seed explored, passivations and
 * reactivations between them included.
 */
@Timeout(300)
class KeyedRaceTest {

    sealed interface AccountMsg {}

    record Balance(Reply<Integer> reply) implements AccountMsg {}

    record Debit(int amount) implements AccountMsg {}

    record Credit(int amount) implements AccountMsg {}
    /** Debits only if the balance covers it, in one handler: the check and the act cannot be split. */
    record Withdraw(int amount, Reply<Boolean> reply) implements AccountMsg {}

    static final Duration IDLE = Duration.ofSeconds(1);

    /** An account per key, loaded from the store when it comes to life and saved when it passivates. */
    static ProcessSpec<AccountMsg, Integer, Void> account(String owner, Map<String, Integer> store) {
        return ProcessSpec.<AccountMsg, Integer>named("account")
                .init(() -> store.getOrDefault(owner, 0))
                .handler((balance, msg, tools) -> switch (msg) {
                    case Balance ask -> {
                        ask.reply().send(balance);
                        yield balance;
                    }
                    case Debit debit -> balance - debit.amount();
                    case Credit credit -> balance + credit.amount();
                    case Withdraw withdraw -> {
                        boolean covered = balance >= withdraw.amount();
                        withdraw.reply().send(covered);
                        yield covered ? balance - withdraw.amount() : balance;
                    }
                })
                .onStop((balance, reason) -> {
                    if (!(reason instanceof StopReason.Error)) {
                        store.put(owner, balance);
                    }
                })
                .build();
    }

    /** The user's bug: checks alice's balance with an ask, then debits her; another transfer can check in between. */
    static boolean transferByCheckingFirst(
            KeyedProcesses<String, AccountMsg> accounts, String from, String to, int amount) {
        int balance = accounts.<Integer>ask(from, Balance::new).join();
        if (balance < amount) {
            return false;
        }
        accounts.send(from, new Debit(amount));
        accounts.send(to, new Credit(amount));
        return true;
    }

    /** The fix: alice's own process checks and debits in one message. */
    static boolean transferByWithdrawing(
            KeyedProcesses<String, AccountMsg> accounts, String from, String to, int amount) {
        if (!accounts.<Boolean>ask(from, reply -> new Withdraw(amount, reply)).join()) {
            return false;
        }
        accounts.send(to, new Credit(amount));
        return true;
    }

    interface Transfer {
        boolean run(KeyedProcesses<String, AccountMsg> accounts, String from, String to, int amount);
    }

    /**
     * Alice has 100. Two rounds, with the accounts passivated (idle) between them and loaded again
     * from the store: in each, two clients at once move 70 from alice to bob, then back. Money is
     * never made or lost, and no balance goes below zero.
     */
    static SimulationScenario transfers(Transfer transfer) {
        return sim -> {
            Map<String, Integer> store = new ConcurrentHashMap<>(Map.of("alice", 100, "bob", 0));
            KeyedProcesses<String, AccountMsg> accounts = sim.keyed(
                    "accounts",
                    owner -> account(owner, store),
                    sim.keyedOptions("accounts").withIdleTimeout(IDLE));
            for (int round = 1; round <= 2; round++) {
                CompletableFuture<Boolean> first =
                        sim.fork("client-1", () -> transfer.run(accounts, "alice", "bob", 70));
                CompletableFuture<Boolean> second =
                        sim.fork("client-2", () -> transfer.run(accounts, "alice", "bob", 70));
                int moved = (first.join() ? 70 : 0) + (second.join() ? 70 : 0);
                int alice = accounts.<Integer>ask("alice", Balance::new).join();
                if (alice < 0) {
                    throw new AssertionError("alice overdrawn in round " + round + ": " + alice);
                }
                if (moved > 0) {
                    // Back again, so the next round starts from alice's 100.
                    assertTrue(transferByWithdrawing(accounts, "bob", "alice", moved), "bob pays back");
                }
                sim.sleep(IDLE.multipliedBy(3)); // both accounts passivate and are saved
                assertEquals(Map.of("alice", 100, "bob", 0), Map.copyOf(store), "after round " + round);
                if (accounts.liveCount() != 0) {
                    throw new AssertionError(
                            "accounts still live after " + IDLE.multipliedBy(3) + ": " + accounts.liveKeys());
                }
            }
            accounts.stop().join();
        };
    }

    @Test
    void aCheckThenActAcrossTwoKeysIsFoundReportedWithItsSeedAndReplayedExactly() {
        SimulationOptions options = SimulationOptions.defaults().withName("KeyedRaceTest#checkThenAct");
        SimulationExploration explored =
                Simulation.explore(200, options, transfers(KeyedRaceTest::transferByCheckingFirst));
        assertFalse(explored.passed(), "the overdraft was not found in 200 seeds");
        SimulationResult failure = explored.firstFailure().orElseThrow();

        assertEquals(SimulationOutcome.FAILED, failure.outcome());
        assertTrue(failure.reason().contains("alice overdrawn in round"), failure.report());
        assertTrue(failure.report().contains("Simulation FAILED at seed " + failure.seed()), failure.report());
        assertTrue(failure.reproduction().contains(String.valueOf(failure.seed())), failure.reproduction());
        // The log shows the race in the failing round: both checks read 100 before alice handled either debit.
        List<String> lines = failure.logLines();
        // From a client, or from the activation thread that handed on what waited for alice's life.
        List<Integer> debits = indexes(lines, "account: handles Debit[amount=70] from ");
        int lastDebit = debits.stream().max(Integer::compare).orElseThrow(() -> new AssertionError(failure.report()));
        List<Integer> forks = indexes(lines.subList(0, lastDebit), "scenario: forks client-1");
        int roundStart = forks.get(forks.size() - 1);
        int firstDebitOfTheRound = debits.stream()
                .filter(i -> i > roundStart)
                .min(Integer::compare)
                .orElseThrow();
        long checks = lines.subList(roundStart, firstDebitOfTheRound).stream()
                .filter(line -> line.matches(".*account: replies to ask #\\d+ from [a-z0-9-]+: 100"))
                .count();
        assertEquals(2, checks, failure.report());

        SimulationResult replay =
                Simulation.run(failure.seed(), options, transfers(KeyedRaceTest::transferByCheckingFirst));
        assertEquals(SimulationOutcome.FAILED, replay.outcome());
        assertEquals(failure.reason(), replay.reason());
        assertEquals(failure.logLines(), replay.logLines());
    }

    @Test
    void theSameTransfersDoneByTheAccountItselfPassEverySeedAcrossPassivationsAndReactivations() {
        SimulationOptions options = SimulationOptions.defaults().withName("KeyedRaceTest#withdraw");
        Simulation.explore(200, options, transfers(KeyedRaceTest::transferByWithdrawing))
                .assertPassed();
        Simulation.explore(
                        100,
                        options.withStrategy(SimulationStrategy.random()),
                        transfers(KeyedRaceTest::transferByWithdrawing))
                .assertPassed();
    }

    @Test
    void aPassingRunOfAKeyedGroupLogsItsActivationsAndPassivationsTheSameWayEveryTime() {
        SimulationOptions options = SimulationOptions.defaults().withName("KeyedRaceTest#log");
        SimulationResult once = Simulation.run(11L, options, transfers(KeyedRaceTest::transferByWithdrawing));
        once.assertPassed();
        List<String> lines = once.logLines();
        assertTrue(
                lines.stream().anyMatch(line -> line.contains("accounts: Activated(") && line.contains("key=alice")),
                once.report());
        assertTrue(
                lines.stream().anyMatch(line -> line.contains("accounts: Passivated(") && line.contains("cause=IDLE")),
                once.report());
        assertEquals(
                lines,
                Simulation.run(11L, options, transfers(KeyedRaceTest::transferByWithdrawing))
                        .logLines());
    }

    static List<Integer> indexes(List<String> lines, String text) {
        List<Integer> found = new java.util.ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                found.add(i);
            }
        }
        return found;
    }
}

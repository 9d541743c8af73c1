package dev.phyxius.tests.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.Reply;
import dev.phyxius.simulation.Simulation;
import dev.phyxius.simulation.SimulationExploration;
import dev.phyxius.simulation.SimulationFailure;
import dev.phyxius.simulation.SimulationOptions;
import dev.phyxius.simulation.SimulationOutcome;
import dev.phyxius.simulation.SimulationResult;
import dev.phyxius.simulation.SimulationScenario;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A check-then-act bug across two processes: two tellers each ask an account for its balance and,
 * if it covers their withdrawal, tell the account to withdraw. Only the interleaving where both
 * checks come before either withdrawal overdraws the account.
 */
@Timeout(120)
class PlantedBugTest {

    sealed interface AccountMsg {}

    record Balance(Reply<Integer> reply) implements AccountMsg {}

    record Withdraw(int amount) implements AccountMsg {}

    record WithdrawIfCovered(int amount, Reply<Boolean> reply) implements AccountMsg {}

    static ProcessSpec<AccountMsg, Integer, Void> account(int opening) {
        return ProcessSpec.<AccountMsg, Integer>named("account")
                .init(() -> opening)
                .handler((balance, msg, tools) -> switch (msg) {
                    case Balance b -> {
                        b.reply().send(balance);
                        yield balance;
                    }
                    case Withdraw w -> balance - w.amount();
                    case WithdrawIfCovered w -> {
                        boolean covered = balance >= w.amount();
                        w.reply().send(covered);
                        yield covered ? balance - w.amount() : balance;
                    }
                })
                .build();
    }

    /** The bug: the check and the act are two messages, with other processes free to run between. */
    static ProcessSpec<Integer, Integer, Void> racyTeller(String name, ProcessRef<AccountMsg> account) {
        return ProcessSpec.<Integer, Integer>named(name)
                .init(() -> 0)
                .handler((paid, amount, tools) -> {
                    int balance = account.<Integer>ask(Balance::new).join();
                    if (balance >= amount) {
                        account.send(new Withdraw(amount));
                        return paid + amount;
                    }
                    return paid;
                })
                .build();
    }

    /** The fix: the account checks and acts in one handler. */
    static ProcessSpec<Integer, Integer, Void> atomicTeller(String name, ProcessRef<AccountMsg> account) {
        return ProcessSpec.<Integer, Integer>named(name)
                .init(() -> 0)
                .handler((paid, amount, tools) -> account.<Boolean>ask(reply -> new WithdrawIfCovered(amount, reply))
                                .join()
                        ? paid + amount
                        : paid)
                .build();
    }

    interface TellerFactory {
        ProcessSpec<Integer, Integer, Void> teller(String name, ProcessRef<AccountMsg> account);
    }

    /**
     * Alice makes one big payment at once; Bob makes two small ones first, then the same big
     * one. The account covers only one big payment, so it is overdrawn only if Alice's check and
     * act straddle Bob's check: the scheduler must leave Alice waiting, reply in hand, through
     * all of Bob's small payments.
     */
    static SimulationScenario twoTellers(TellerFactory tellers) {
        return sim -> {
            ProcessRef<AccountMsg> account = sim.spawn(account(100));
            ProcessRef<Integer> alice = sim.spawn(tellers.teller("alice", account));
            ProcessRef<Integer> bob = sim.spawn(tellers.teller("bob", account));
            for (int small = 0; small < 2; small++) {
                bob.send(1);
            }
            alice.send(60);
            bob.send(60);
            sim.sleep(Duration.ofSeconds(1));
            int balance = account.<Integer>ask(Balance::new).join();
            sim.record("final balance " + balance);
            if (balance < 0) {
                throw new AssertionError("account overdrawn: balance " + balance);
            }
        };
    }

    private static final SimulationOptions OPTIONS =
            SimulationOptions.defaults().withName("PlantedBugTest#twoTellers");

    @Test
    void aCheckThenActRaceIsFoundWithinABoundedNumberOfSeeds() {
        SimulationExploration exploration = Simulation.explore(500, OPTIONS, twoTellers(PlantedBugTest::racyTeller));
        assertFalse(exploration.passed(), "the race was not found in 500 seeds");
        SimulationResult failure = exploration.firstFailure().orElseThrow();
        assertEquals(SimulationOutcome.FAILED, failure.outcome());
        assertTrue(failure.failure().orElseThrow().getMessage().startsWith("account overdrawn"));
        SimulationFailure report =
                org.junit.jupiter.api.Assertions.assertThrows(SimulationFailure.class, exploration::assertPassed);
        String firstLine = report.getMessage().lines().findFirst().orElseThrow();
        assertTrue(
                firstLine.contains("seed " + failure.seed())
                        && firstLine.contains("@SimulationTest(seed = " + failure.seed() + ")"),
                firstLine);
        assertTrue(report.getMessage().contains("scenario: final balance -"), report.getMessage());
    }

    @Test
    void theFailingSeedReplaysTheSameFailureWithTheSameLog() {
        SimulationResult found = Simulation.explore(500, OPTIONS, twoTellers(PlantedBugTest::racyTeller))
                .firstFailure()
                .orElseThrow();
        for (int replay = 0; replay < 3; replay++) {
            SimulationResult again = Simulation.run(found.seed(), OPTIONS, twoTellers(PlantedBugTest::racyTeller));
            assertEquals(SimulationOutcome.FAILED, again.outcome());
            assertEquals(found.logLines(), again.logLines());
        }
    }

    @Test
    void theRaceNeedsARareInterleaving() {
        int failing = 0;
        for (long seed = 0; seed < 200; seed++) {
            if (!Simulation.run(seed, OPTIONS, twoTellers(PlantedBugTest::racyTeller))
                    .passed()) {
                failing++;
            }
        }
        assertTrue(failing > 0 && failing <= 40, failing + " of 200 seeds overdraw");
    }

    @Test
    void theAtomicVersionPassesEverySeedTheRacyOneFailsOn() {
        SimulationExploration exploration = Simulation.explore(300, OPTIONS, twoTellers(PlantedBugTest::atomicTeller));
        exploration.assertPassed();
        assertEquals(300, exploration.seedsRun());
    }
}

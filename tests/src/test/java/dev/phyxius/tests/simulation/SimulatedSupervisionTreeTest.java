package dev.phyxius.tests.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phyxius.process.ProcessId;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.ProcessStatus;
import dev.phyxius.process.Reply;
import dev.phyxius.simulation.Simulation;
import dev.phyxius.simulation.SimulationFaults;
import dev.phyxius.simulation.SimulationOptions;
import dev.phyxius.simulation.SimulationResult;
import dev.phyxius.simulation.SimulationScenario;
import dev.phyxius.supervisor.ChildOptions;
import dev.phyxius.supervisor.SupervisionStrategy;
import dev.phyxius.supervisor.Supervisor;
import dev.phyxius.supervisor.SupervisorAction;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A three-level supervision tree (root, middle, bottom) with simulated leaves. */
@Timeout(120)
class SimulatedSupervisionTreeTest {

    sealed interface WorkerMsg {}

    record Work() implements WorkerMsg {}

    record Boom() implements WorkerMsg {}

    record Done(Reply<Integer> reply) implements WorkerMsg {}

    /** Counts work since its last start; Boom crashes it. */
    static ProcessSpec<WorkerMsg, Integer, Void> worker(String name) {
        return ProcessSpec.<WorkerMsg, Integer>named(name)
                .init(() -> 0)
                .handler((done, msg, tools) -> switch (msg) {
                    case Work work -> done + 1;
                    case Boom boom -> throw new IllegalStateException(name + " crashed");
                    case Done ask -> {
                        ask.reply().send(done);
                        yield done;
                    }
                })
                .build();
    }

    static final SupervisionStrategy THREE_PER_MINUTE =
            SupervisionStrategy.oneForOne().withMaxRestarts(3, Duration.ofMinutes(1));

    /**
     * root supervises middle and a sibling; middle supervises bottom; bottom supervises the leaf.
     * Clients crash the leaf while others send it work; every crash is restarted in place by
     * bottom, whatever the interleaving.
     */
    static SimulationScenario threeLevels() {
        return sim -> {
            sim.expectFailures(); // the crasher's Booms fail the leaf on purpose
            Supervisor root = new Supervisor(sim.supervisorOptions("root").withStrategy(THREE_PER_MINUTE));
            Supervisor middle = new Supervisor(sim.supervisorOptions("middle").withStrategy(THREE_PER_MINUTE));
            Supervisor bottom = new Supervisor(sim.supervisorOptions("bottom").withStrategy(THREE_PER_MINUTE));
            root.supervise(middle);
            middle.supervise(bottom);
            ProcessRef<WorkerMsg> sibling = sim.spawn(worker("sibling"));
            root.supervise(sibling, SupervisorAction.RESTART);
            ProcessRef<WorkerMsg> leaf = sim.spawn(worker("leaf"));
            bottom.supervise(leaf, SupervisorAction.RESTART);

            var crasher = sim.fork("crasher", () -> {
                for (int i = 0; i < 2; i++) {
                    leaf.send(new Boom());
                    sim.sleep(Duration.ofSeconds(1));
                }
                return null;
            });
            var worker = sim.fork("client", () -> {
                for (int i = 0; i < 5; i++) {
                    leaf.send(new Work());
                    sibling.send(new Work());
                }
                return null;
            });
            crasher.join();
            worker.join();
            sim.sleep(Duration.ofSeconds(1));

            assertEquals(2, bottom.restartCount(leaf.id()), "bottom restarted the leaf once per crash");
            assertEquals(ProcessStatus.RUNNING, leaf.status());
            assertEquals(5, sibling.<Integer>ask(Done::new).join(), "the sibling never restarted");
            int leafWork = leaf.<Integer>ask(Done::new).join();
            assertTrue(leafWork >= 0 && leafWork <= 5, "work since the last restart: " + leafWork);
            sim.record("leaf did " + leafWork + " since its last restart");
            root.stop().join();
            assertEquals(ProcessStatus.STOPPED, leaf.status());
        };
    }

    @Test
    void aThreeLevelTreeRestartsItsLeafInPlaceUnderEverySeed() {
        Simulation.explore(100, SimulationOptions.defaults().withName("threeLevels"), threeLevels())
                .assertPassed();
    }

    @Test
    void childrenASupervisorSpawnsItselfRunUnderTheSimulation() {
        SimulationScenario scenario = sim -> {
            sim.expectFailures(); // the Boom fails the child on purpose
            Supervisor supervisor = new Supervisor(sim.supervisorOptions("sup").withStrategy(THREE_PER_MINUTE));
            ProcessRef<WorkerMsg> child =
                    supervisor.spawn(worker("spawned"), ChildOptions.defaults().withId(new ProcessId("spawned-1")));
            sim.fork("client", () -> {
                        child.send(new Work());
                        child.send(new Boom());
                        child.send(new Work());
                        return null;
                    })
                    .join();
            sim.sleep(Duration.ofSeconds(1));
            assertEquals(1, supervisor.restartCount(child.id()));
            assertEquals(1, child.<Integer>ask(Done::new).join(), "one Work since the restart");
            supervisor.stop().join();
        };
        // A child on an ordinary virtual thread would wake the run from outside: NONDETERMINISM.
        SimulationResult first = Simulation.run(5, scenario);
        first.assertPassed();
        assertEquals(first.logLines(), Simulation.run(5, scenario).logLines());
        assertTrue(first.logLines().stream().anyMatch(line -> line.contains("spawned: Restarted")), first.report());
    }

    @Test
    void theTreesLogIsTheSameForTheSameSeed() {
        SimulationResult first = Simulation.run(77, threeLevels());
        first.assertPassed();
        assertEquals(first.logLines(), Simulation.run(77, threeLevels()).logLines());
        assertTrue(
                first.logLines().stream().anyMatch(line -> line.contains("leaf: ChildRestarted(supervisor=bottom-1")),
                first.report());
    }

    @Test
    void injectedCrashesEscalateThroughTheTreeAndReplayFromTheirSeed() {
        SimulationOptions options = SimulationOptions.defaults()
                .withName("threeLevels with crashes")
                .withFaults(SimulationFaults.none().crashHandlers(0.1));
        SimulationResult failure =
                Simulation.explore(200, options, threeLevels()).firstFailure().orElseThrow();
        assertEquals(
                failure.logLines(),
                Simulation.run(failure.seed(), options, threeLevels()).logLines());
    }
}

package dev.phyxius.tests.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.ProcessStatus;
import dev.phyxius.process.Reply;
import dev.phyxius.supervisor.Backoff;
import dev.phyxius.supervisor.SupervisionStrategy;
import dev.phyxius.supervisor.Supervisor;
import dev.phyxius.supervisor.SupervisorEvent;
import dev.phyxius.testing.PhyxiusTest;
import dev.phyxius.testing.ProcessTestKit;
import dev.phyxius.testing.ReplyProbe;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The seed's supervised flaky worker as a kit test, as the README's "Testing" section shows it. */
@PhyxiusTest
@Timeout(30)
class SupervisedKitExampleTest {

    sealed interface JobMsg {}

    record Run(String job, Reply<String> reply) implements JobMsg {}

    record Crash() implements JobMsg {}

    /** Counts the jobs it ran in this life; a Crash makes it fail. */
    static final ProcessSpec<JobMsg, Integer, Void> FLAKY = ProcessSpec.<JobMsg, Integer>named("flaky")
            .init(() -> 0)
            .handler((done, msg, tools) -> switch (msg) {
                case Run run -> {
                    run.reply().send(run.job() + " #" + (done + 1));
                    yield done + 1;
                }
                case Crash crash -> throw new IllegalStateException("flaky worker crashed");
            })
            .build();

    @Test
    void aFlakyWorkerIsRestartedAfterEachBackoffUntilTheSupervisorGivesUp(ProcessTestKit kit) {
        kit.expectFailures(); // the crashes are the point
        Supervisor supervisor = kit.supervisor(SupervisionStrategy.oneForOne()
                .withMaxRestarts(3, Duration.ofMinutes(1))
                .withBackoff(Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(1), 2.0)));
        ProcessRef<JobMsg> worker = supervisor.spawn(FLAKY);

        for (int restart = 1; restart <= 3; restart++) {
            Duration backoff = Duration.ofMillis(100L << (restart - 1)); // 100, 200, 400 ms
            worker.send(new Crash());
            kit.advance(backoff.minusMillis(1));
            assertEquals(restart - 1, supervisor.restartCount(worker.id()), "not before the backoff");
            kit.advance(Duration.ofMillis(1));
            assertEquals(restart, supervisor.restartCount(worker.id()));

            ReplyProbe<String> reply = kit.replyProbe();
            worker.send(new Run("job", reply));
            reply.expectReply("job #1"); // fresh state, same ref
        }

        worker.send(new Crash()); // a fourth failure within the minute
        kit.awaitIdle();
        assertEquals(3, kit.events().awaitEvent(SupervisorEvent.GaveUp.class).restarts());
        assertEquals(ProcessStatus.FAILED, worker.status());
        kit.events().assertCount(SupervisorEvent.ChildRestarted.class, 3);
    }
}

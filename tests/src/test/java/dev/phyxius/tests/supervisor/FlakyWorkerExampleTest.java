package dev.phyxius.tests.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phyxius.process.ProcessEvent;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.ProcessStatus;
import dev.phyxius.process.Reply;
import dev.phyxius.supervisor.Backoff;
import dev.phyxius.supervisor.SupervisionStrategy;
import dev.phyxius.supervisor.Supervisor;
import dev.phyxius.supervisor.SupervisorEvent;
import dev.phyxius.supervisor.SupervisorOptions;
import dev.phyxius.testing.ControlledClock;
import dev.phyxius.tests.support.EventLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract's example: a worker that fails 10% of its jobs, under one-for-one with at most 3
 * restarts in 10 s and a backoff of 1 s doubling up to 30 s. Failures come faster than the window
 * forgets them (the clock moves only by the backoffs: 1 + 2 + 4 = 7 s), so the fourth gives up.
 */
@Timeout(30)
class FlakyWorkerExampleTest {

    record Job(int number, Reply<Integer> reply) {}

    @Test
    void aFlakyWorkerIsRestartedWithGrowingBackoffUntilTheSupervisorGivesUp() throws Exception {
        ControlledClock clock = ControlledClock.create();
        EventLog events = new EventLog();
        Random random = new Random(42); // seeded: the same jobs fail on every run
        ProcessSpec<Job, Integer, Void> flaky = ProcessSpec.<Job, Integer>named("flaky")
                .init(() -> 0)
                .handler((done, job, tools) -> {
                    if (random.nextInt(10) == 0) {
                        throw new IllegalStateException("job " + job.number() + " failed");
                    }
                    job.reply().send(job.number());
                    return done + 1;
                })
                .build();
        try (Supervisor supervisor = new Supervisor(SupervisorOptions.of(clock).withEvents(events)
                .withStrategy(SupervisionStrategy.oneForOne()
                        .withMaxRestarts(3, Duration.ofSeconds(10))
                        .withBackoff(Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(30), 2.0))))) {
            ProcessRef<Job> worker = supervisor.spawn(flaky);
            List<Integer> failedJobs = new ArrayList<>();
            int job = 0;
            while (events.count(SupervisorEvent.GaveUp.class) == 0) {
                int number = ++job;
                CompletableFuture<Integer> answer = worker.ask(reply -> new Job(number, reply));
                try {
                    assertEquals(number, answer.get(10, TimeUnit.SECONDS));
                } catch (ExecutionException failed) {
                    failedJobs.add(number);
                    int failures = failedJobs.size();
                    if (failures <= 3) {
                        SupervisorEvent.RestartScheduled scheduled = events.await(
                                SupervisorEvent.RestartScheduled.class, failures, e -> true).get(failures - 1);
                        clock.advance(scheduled.delay());
                        events.await(ProcessEvent.Restarted.class, failures, e -> true);
                    } else {
                        events.await(SupervisorEvent.GaveUp.class);
                    }
                }
            }
            assertEquals(4, failedJobs.size(), "failed jobs: " + failedJobs);
            assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4)),
                    events.ofType(SupervisorEvent.ChildRestarted.class).stream()
                            .map(SupervisorEvent.ChildRestarted::delay).toList());
            SupervisorEvent.GaveUp gaveUp = events.await(SupervisorEvent.GaveUp.class);
            assertEquals(worker.id(), gaveUp.child());
            assertEquals(3, gaveUp.restarts());
            assertEquals(Duration.ofSeconds(10), gaveUp.within());
            assertEquals(3, supervisor.restartCount(worker.id()));
            worker.termination().get(10, TimeUnit.SECONDS);
            assertEquals(ProcessStatus.FAILED, worker.status());
            assertFalse(worker.send(new Job(-1, new Reply<>() {
                @Override
                public void send(Integer value) {}

                @Override
                public void fail(Throwable error) {}
            })));
            assertTrue(job > 4, "some jobs succeeded between the failures");
            assertEquals(Duration.ofSeconds(7).toNanos(), clock.now().monoNanos());
        }
    }
}

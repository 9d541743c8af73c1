package dev.phyxius.tests.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.phyxius.process.ProcessEvent;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.ProcessStatus;
import dev.phyxius.process.Reply;
import dev.phyxius.supervisor.Backoff;
import dev.phyxius.supervisor.SupervisionStrategy;
import dev.phyxius.supervisor.Supervisor;
import dev.phyxius.supervisor.SupervisorEvent;
import dev.phyxius.testing.ProcessTestKit;
import dev.phyxius.testing.RecordedEvents;
import dev.phyxius.testing.ReplyProbe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract's example: a worker that fails 10% of its jobs (every tenth), under one-for-one
 * with at most 3 restarts in 10 s and a backoff of 1 s doubling up to 30 s. Failures come faster
 * than the window forgets them (the clock moves only by the backoffs: 1 + 2 + 4 = 7 s), so the
 * fourth gives up.
 */
@Timeout(30)
class FlakyWorkerExampleTest {

    record Job(int number, Reply<Integer> reply) {}

    /** Answers a job with its number; every tenth job throws instead. */
    static final ProcessSpec<Job, Integer, Void> FLAKY = ProcessSpec.<Job, Integer>named("flaky")
            .init(() -> 0)
            .handler((done, job, tools) -> {
                if (job.number() % 10 == 0) {
                    throw new IllegalStateException("job " + job.number() + " failed");
                }
                job.reply().send(job.number());
                return done + 1;
            })
            .build();

    final ProcessTestKit kit = ProcessTestKit.create();
    final RecordedEvents events = kit.events();

    @AfterEach
    void tearDown() {
        kit.close();
    }

    /** Sends jobs {@code from..to}, each expected to be answered with its number; returns those numbers. */
    List<Integer> runSucceeding(ProcessRef<Job> worker, int from, int to) {
        List<Integer> answered = new ArrayList<>();
        for (int number = from; number <= to; number++) {
            ReplyProbe<Integer> reply = kit.replyProbe();
            worker.send(new Job(number, reply));
            answered.add(reply.expectReply(number));
        }
        return answered;
    }

    /** Sends job {@code number}, which fails, and checks that the supervisor saw exactly that failure. */
    void runFailing(ProcessRef<Job> worker, int number, int failuresSoFar) {
        ReplyProbe<Integer> reply = kit.replyProbe();
        worker.send(new Job(number, reply));
        kit.awaitIdle();
        SupervisorEvent.ChildFailed failed = events.assertCount(SupervisorEvent.ChildFailed.class, failuresSoFar)
                .getLast();
        assertEquals(worker.id(), failed.child());
        assertEquals("job " + number + " failed", failed.error().getMessage());
        assertFalse(reply.answered(), "a failed job is not answered");
    }

    @Test
    void aFlakyWorkerIsRestartedWithGrowingBackoffUntilTheSupervisorGivesUp() {
        kit.expectFailures(); // every tenth job fails: that is the point
        Supervisor supervisor = kit.supervisor(SupervisionStrategy.oneForOne()
                .withMaxRestarts(3, Duration.ofSeconds(10))
                .withBackoff(Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(30), 2.0)));
        ProcessRef<Job> worker = supervisor.spawn(FLAKY);
        List<Integer> answered = new ArrayList<>();
        List<Duration> backoffs = List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));

        for (int restart = 1; restart <= 3; restart++) {
            int first = (restart - 1) * 10 + 1;
            answered.addAll(runSucceeding(worker, first, first + 8));
            runFailing(worker, first + 9, restart);

            Duration backoff = backoffs.get(restart - 1);
            SupervisorEvent.RestartScheduled scheduled = events.assertCount(
                            SupervisorEvent.RestartScheduled.class, restart)
                    .getLast();
            assertEquals(restart, scheduled.attempt());
            assertEquals(backoff, scheduled.delay(), "the n-th backoff is 1 s * 2^(n-1)");

            kit.advance(backoff.minusMillis(1));
            events.assertCount(SupervisorEvent.ChildRestarted.class, restart - 1);
            assertEquals(restart - 1, supervisor.restartCount(worker.id()), "not restarted before the backoff");
            kit.advance(Duration.ofMillis(1));
            assertEquals(
                    backoff,
                    events.assertCount(SupervisorEvent.ChildRestarted.class, restart)
                            .getLast()
                            .delay());
            events.assertCount(ProcessEvent.Restarted.class, restart);
            assertEquals(restart, supervisor.restartCount(worker.id()));
        }

        answered.addAll(runSucceeding(worker, 31, 39));
        runFailing(worker, 40, 4); // the fourth failure within 10 s of the first

        SupervisorEvent.GaveUp gaveUp =
                events.assertCount(SupervisorEvent.GaveUp.class, 1).getFirst();
        assertEquals(worker.id(), gaveUp.child());
        assertEquals(3, gaveUp.restarts());
        assertEquals(Duration.ofSeconds(10), gaveUp.within());
        assertEquals(3, supervisor.restartCount(worker.id()));
        events.assertCount(SupervisorEvent.RestartScheduled.class, 3);
        assertEquals(ProcessStatus.FAILED, worker.status());
        assertFalse(worker.send(new Job(41, kit.replyProbe())), "a worker given up on takes no more jobs");

        assertEquals(
                IntStream.rangeClosed(1, 39).filter(n -> n % 10 != 0).boxed().toList(),
                answered,
                "every job but the failing ones was answered, in order, by whichever life was current");
        assertEquals(Duration.ofSeconds(7).toNanos(), kit.clock().monoNanos(), "time moved only by the backoffs");
    }
}

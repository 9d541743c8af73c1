package dev.phyxius.tests.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.phyxius.clock.Event;
import dev.phyxius.clock.EventSink;
import dev.phyxius.process.ProcessEvent;
import dev.phyxius.process.ProcessId;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.supervisor.Backoff;
import dev.phyxius.supervisor.SupervisionStrategy;
import dev.phyxius.supervisor.Supervisor;
import dev.phyxius.supervisor.SupervisorEvent;
import dev.phyxius.supervisor.SupervisorOptions;
import dev.phyxius.testing.ControlledClock;
import dev.phyxius.testing.PhyxiusTest;
import dev.phyxius.testing.ProcessTestKit;
import dev.phyxius.tests.supervisor.Member.Do;
import dev.phyxius.tests.supervisor.Member.Msg;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a supervisor's sink sees, in order, when its children fail at the same time: for each
 * child, the failure, then the decision, then the child's new life. The children report their own
 * events and the supervisor its decisions, on different threads; a sink slow on one child's
 * failure must not let another child's new life be reported before the decision that made it.
 */
@PhyxiusTest
@Timeout(60)
class EventOrderTest {

    static final int CRASHES = 60;

    final List<String> journal = new CopyOnWriteArrayList<>();

    /**
     * Records every event; slow on a failure, which is when another child's restart is decided
     * and carried out on another thread.
     */
    static final class SlowOnFailures implements EventSink {
        final List<Event> seen = new CopyOnWriteArrayList<>();

        @Override
        public void emit(Event event) {
            if (event instanceof SupervisorEvent.ChildFailed) {
                // Widens the window in which another thread delivers or restarts; not a wait for
                // anything, so no condition to wait on.
                long until = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(200);
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
            }
            seen.add(event);
        }

        long restarted() {
            return seen.stream()
                    .filter(e -> e instanceof ProcessEvent.Restarted)
                    .count();
        }
    }

    /** Crashes {@code ref} CRASHES times, each time once the previous crash's new life answers. */
    static CompletableFuture<Void> crashRepeatedly(ProcessRef<Msg> ref) {
        return CompletableFuture.runAsync(
                () -> {
                    try {
                        for (int i = 0; i < CRASHES; i++) {
                            ref.send(new Do("boom"));
                            assertEquals(i + 2, Member.life(ref), "the life after crash " + (i + 1));
                        }
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                },
                command -> Thread.ofVirtual().start(command));
    }

    /** The kinds of events about one child, in the order the sink saw them. */
    static List<String> story(List<Event> seen, ProcessId child) {
        List<String> story = new ArrayList<>();
        for (Event event : seen) {
            switch (event) {
                case SupervisorEvent.ChildFailed e when e.child().equals(child) -> story.add("failed");
                case SupervisorEvent.RestartScheduled e when e.child().equals(child) -> story.add("scheduled");
                case ProcessEvent.Restarted e when e.id().equals(child) -> story.add("restarted");
                default -> {}
            }
        }
        return story;
    }

    @Test
    void eachChildsNewLifeIsReportedAfterTheDecisionThatMadeIt(ProcessTestKit kit) throws Exception {
        SlowOnFailures sink = new SlowOnFailures();
        try (Supervisor supervisor = new Supervisor(SupervisorOptions.of(ControlledClock.create())
                .withEvents(sink)
                .withStrategy(SupervisionStrategy.oneForOne()
                        .withMaxRestarts(10 * CRASHES, Duration.ofMinutes(1))
                        .withBackoff(Backoff.none())))) {
            ProcessRef<Msg> a = supervisor.spawn(new Member("a", journal).spec());
            ProcessRef<Msg> b = supervisor.spawn(new Member("b", journal).spec());

            CompletableFuture.allOf(crashRepeatedly(a), crashRepeatedly(b)).get(40, TimeUnit.SECONDS);
            kit.awaitCondition("every new life reported", () -> sink.restarted() == 2L * CRASHES);

            List<String> expected = new ArrayList<>();
            for (int i = 0; i < CRASHES; i++) {
                expected.addAll(List.of("failed", "scheduled", "restarted"));
            }
            assertEquals(expected, story(sink.seen, a.id()), "child a");
            assertEquals(expected, story(sink.seen, b.id()), "child b");
        }
    }
}

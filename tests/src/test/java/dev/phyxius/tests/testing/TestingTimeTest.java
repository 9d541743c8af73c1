package dev.phyxius.tests.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.testing.ControlledClock;
import dev.phyxius.testing.PhyxiusTest;
import dev.phyxius.testing.ProcessTestKit;
import dev.phyxius.testing.TestProbe;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The README's guide to testing time: deadlines and wall-clock jumps, deterministically. */
@PhyxiusTest
@Timeout(30)
class TestingTimeTest {

    sealed interface SessionMsg {}

    record Touch() implements SessionMsg {}

    record Expire() implements SessionMsg {}

    record Stamp() implements SessionMsg {}

    sealed interface Notice {}

    record Expired(Instant at) implements Notice {}

    record Stamped(Instant wall) implements Notice {}

    /** A session that expires after {@code idle} without a touch; each touch moves the deadline. */
    static ProcessSpec<SessionMsg, Void, Void> session(Duration idle, ProcessRef<Notice> audit) {
        return ProcessSpec.<SessionMsg, Void>named("session")
                .handler((state, msg, tools) -> {
                    Instant wall = Instant.ofEpochMilli(tools.clock().now().wallMillis());
                    switch (msg) {
                        case Touch touch -> tools.schedule("expiry", idle, new Expire()); // replaces the old deadline
                        case Expire expire -> {
                            audit.send(new Expired(wall));
                            tools.self().stop();
                        }
                        case Stamp stamp -> audit.send(new Stamped(wall));
                    }
                    return null;
                })
                .build();
    }

    @Test
    void aDeadlineFiresExactlyWhenItsIdleTimeHasPassed(ProcessTestKit kit) {
        TestProbe<Notice> audit = kit.probe("audit");
        ProcessRef<SessionMsg> session = kit.spawn(session(Duration.ofMinutes(30), audit));
        session.send(new Touch());
        audit.expectNoMessage(Duration.ofMinutes(20));
        session.send(new Touch()); // at 20 min: the deadline moves to 50 min
        audit.expectNoMessage(Duration.ofMinutes(29));
        kit.advance(Duration.ofMinutes(1));
        audit.expectMessage(new Expired(Instant.EPOCH.plus(Duration.ofMinutes(50))));
    }

    @Test
    void aWallClockJumpNeitherFiresNorDelaysADeadline(ProcessTestKit kit, ControlledClock clock) {
        TestProbe<Notice> audit = kit.probe("audit");
        ProcessRef<SessionMsg> session = kit.spawn(session(Duration.ofMinutes(30), audit));
        session.send(new Touch());
        kit.advance(Duration.ofMinutes(10));

        clock.jumpWall(Instant.parse("1970-01-01T03:00:00Z")); // NTP steps the wall clock forward
        session.send(new Stamp());
        audit.expectMessage(new Stamped(Instant.parse("1970-01-01T03:00:00Z")));
        audit.expectNoMessage(Duration.ofMinutes(19)); // the deadline is on monotonic time

        clock.jumpWall(Instant.parse("1970-01-01T00:00:00Z")); // and back, past the start
        kit.advance(Duration.ofMinutes(1)); // 30 monotonic minutes after the touch
        audit.expectMessage(new Expired(Instant.parse("1970-01-01T00:01:00Z")));
        assertEquals(Duration.ofMinutes(30).toNanos(), clock.monoNanos());
    }
}

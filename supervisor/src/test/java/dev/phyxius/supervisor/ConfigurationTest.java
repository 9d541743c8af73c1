package dev.phyxius.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phyxius.clock.Clock;
import dev.phyxius.process.ProcessId;
import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ConfigurationTest {

    static void assertMessageNames(RuntimeException e, String argument) {
        assertTrue(
                e.getMessage() != null && e.getMessage().contains(argument),
                "message should name '" + argument + "': " + e.getMessage());
    }

    @Nested
    class Backoffs {
        @Test
        void noneRestartsWithoutAnyDelay() {
            assertEquals(Duration.ZERO, Backoff.none().delay(1));
            assertEquals(Duration.ZERO, Backoff.none().delay(50));
        }

        @Test
        void exponentialGrowsByTheFactorFromTheInitialDelay() {
            Backoff backoff = Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(30), 2.0);
            assertEquals(Duration.ofSeconds(1), backoff.delay(1));
            assertEquals(Duration.ofSeconds(2), backoff.delay(2));
            assertEquals(Duration.ofSeconds(4), backoff.delay(3));
            assertEquals(Duration.ofSeconds(16), backoff.delay(5));
        }

        @Test
        void exponentialIsCappedAtTheMaximumEvenForHugeRestartNumbers() {
            Backoff backoff = Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(30), 2.0);
            assertEquals(Duration.ofSeconds(30), backoff.delay(6));
            assertEquals(Duration.ofSeconds(30), backoff.delay(Integer.MAX_VALUE));
        }

        @Test
        void aFactorOfOneGivesAFixedDelay() {
            Backoff backoff = Backoff.exponential(Duration.ofMillis(250), Duration.ofSeconds(1), 1.0);
            assertEquals(Duration.ofMillis(250), backoff.delay(7));
        }

        @Test
        void badArgumentsAreRejectedWithMessagesNamingThem() {
            assertMessageNames(
                    assertThrows(NullPointerException.class, () -> Backoff.exponential(null, Duration.ofSeconds(1), 2)),
                    "initial");
            assertMessageNames(
                    assertThrows(NullPointerException.class, () -> Backoff.exponential(Duration.ofSeconds(1), null, 2)),
                    "max");
            assertMessageNames(
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> Backoff.exponential(Duration.ZERO, Duration.ofSeconds(1), 2)),
                    "initial");
            assertMessageNames(
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> Backoff.exponential(Duration.ofSeconds(-1), Duration.ofSeconds(1), 2)),
                    "initial");
            assertMessageNames(
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> Backoff.exponential(Duration.ofSeconds(2), Duration.ofSeconds(1), 2)),
                    "max");
            assertMessageNames(
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(2), 0.5)),
                    "factor");
            assertMessageNames(
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(2), Double.NaN)),
                    "factor");
            assertMessageNames(
                    assertThrows(
                            IllegalArgumentException.class, () -> Backoff.none().delay(0)),
                    "restart");
        }

        @Test
        void jitterIsValidatedAndReturnsANewInstance() {
            Backoff plain = Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(2), 2);
            Backoff jittered = plain.withJitter(0.5, 42);
            assertEquals(0.0, plain.jitter());
            assertEquals(0.5, jittered.jitter());
            assertEquals(42, jittered.seed());
            assertNotEquals(plain, jittered);
            assertMessageNames(
                    assertThrows(IllegalArgumentException.class, () -> plain.withJitter(1.5, 1)), "fraction");
            assertMessageNames(
                    assertThrows(IllegalArgumentException.class, () -> plain.withJitter(-0.1, 1)), "fraction");
        }

        @Test
        void equalConfigurationsAreEqual() {
            assertEquals(
                    Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(2), 2),
                    Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(2), 2));
            assertSame(Backoff.none(), Backoff.none());
        }
    }

    @Nested
    class Strategies {
        @Test
        void theDefaultIntensityIsThreeRestartsInFiveSecondsWithoutBackoff() {
            SupervisionStrategy strategy = SupervisionStrategy.oneForOne();
            assertEquals(3, strategy.maxRestarts());
            assertEquals(Duration.ofSeconds(5), strategy.within());
            assertEquals(Backoff.none(), strategy.backoff());
        }

        @Test
        void withMethodsReturnNewInstancesAndLeaveTheOriginalAlone() {
            SupervisionStrategy original = SupervisionStrategy.oneForAll();
            SupervisionStrategy changed = original.withMaxRestarts(10, Duration.ofMinutes(1))
                    .withBackoff(Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(2), 2));
            assertEquals(3, original.maxRestarts());
            assertEquals(10, changed.maxRestarts());
            assertEquals(Duration.ofMinutes(1), changed.within());
            assertEquals(SupervisionStrategy.Scope.ONE_FOR_ALL, changed.scope());
            assertNotEquals(original, changed);
        }

        @Test
        void badIntensityIsRejectedWithMessagesNamingTheArgument() {
            SupervisionStrategy strategy = SupervisionStrategy.restForOne();
            assertMessageNames(
                    assertThrows(
                            IllegalArgumentException.class, () -> strategy.withMaxRestarts(0, Duration.ofSeconds(1))),
                    "count");
            assertMessageNames(
                    assertThrows(
                            IllegalArgumentException.class, () -> strategy.withMaxRestarts(-1, Duration.ofSeconds(1))),
                    "count");
            assertMessageNames(
                    assertThrows(IllegalArgumentException.class, () -> strategy.withMaxRestarts(1, Duration.ZERO)),
                    "within");
            assertMessageNames(
                    assertThrows(
                            IllegalArgumentException.class, () -> strategy.withMaxRestarts(1, Duration.ofSeconds(-5))),
                    "within");
            assertMessageNames(
                    assertThrows(NullPointerException.class, () -> strategy.withMaxRestarts(1, null)), "within");
            assertMessageNames(assertThrows(NullPointerException.class, () -> strategy.withBackoff(null)), "backoff");
        }
    }

    @Nested
    class Options {
        final Clock clock = new StillClock();

        @Test
        void supervisorOptionsRejectNullsByName() {
            assertMessageNames(assertThrows(NullPointerException.class, () -> SupervisorOptions.of(null)), "clock");
            SupervisorOptions options = SupervisorOptions.of(clock);
            assertMessageNames(assertThrows(NullPointerException.class, () -> options.withEvents(null)), "events");
            assertMessageNames(assertThrows(NullPointerException.class, () -> options.withStrategy(null)), "strategy");
            assertMessageNames(assertThrows(NullPointerException.class, () -> options.withId(null)), "id");
        }

        @Test
        void supervisorOptionsAreImmutable() {
            SupervisorOptions original = SupervisorOptions.of(clock);
            SupervisorOptions changed = original.withId(new ProcessId("root"))
                    .withStrategy(SupervisionStrategy.oneForAll())
                    .withEvents(event -> {});
            assertTrue(original.id().isEmpty());
            assertTrue(original.events().isEmpty());
            assertEquals(SupervisionStrategy.oneForOne(), original.strategy());
            assertEquals(new ProcessId("root"), changed.id().orElseThrow());
            assertEquals(SupervisionStrategy.oneForAll(), changed.strategy());
        }

        @Test
        void childOptionsDefaultToAPermanentRestartedChildWithAFiveSecondShutdown() {
            ChildOptions defaults = ChildOptions.defaults();
            assertEquals(ChildKind.PERMANENT, defaults.kind());
            assertEquals(SupervisorAction.RESTART, defaults.action());
            assertEquals(Duration.ofSeconds(5), defaults.shutdownTimeout());
            assertEquals(
                    ChildKind.TEMPORARY, ChildOptions.of(ChildKind.TEMPORARY).kind());
        }

        @Test
        void childOptionsRejectBadValuesByName() {
            ChildOptions options = ChildOptions.defaults();
            assertMessageNames(assertThrows(NullPointerException.class, () -> ChildOptions.of(null)), "kind");
            assertMessageNames(assertThrows(NullPointerException.class, () -> options.withAction(null)), "action");
            assertMessageNames(assertThrows(NullPointerException.class, () -> options.withId(null)), "id");
            assertMessageNames(
                    assertThrows(IllegalArgumentException.class, () -> options.withShutdownTimeout(Duration.ZERO)),
                    "shutdownTimeout");
            assertMessageNames(
                    assertThrows(NullPointerException.class, () -> options.withShutdownTimeout(null)),
                    "shutdownTimeout");
        }
    }

    @Nested
    class Supervisors {
        @Test
        void aSupervisorRejectsNullArgumentsByName() {
            try (Supervisor supervisor = new Supervisor(SupervisorOptions.of(new StillClock()))) {
                assertMessageNames(assertThrows(NullPointerException.class, () -> new Supervisor(null)), "options");
                assertMessageNames(assertThrows(NullPointerException.class, () -> supervisor.spawn(null)), "spec");
                assertMessageNames(
                        assertThrows(
                                NullPointerException.class,
                                () -> supervisor.supervise(
                                        (dev.phyxius.process.ProcessRef<?>) null, SupervisorAction.RESTART)),
                        "ref");
                assertMessageNames(
                        assertThrows(NullPointerException.class, () -> supervisor.supervise((Supervisor) null)),
                        "child");
                assertMessageNames(
                        assertThrows(NullPointerException.class, () -> supervisor.restartCount(null)), "child");
            }
        }

        @Test
        void aSupervisorCannotSuperviseItself() {
            try (Supervisor supervisor = new Supervisor(SupervisorOptions.of(new StillClock()))) {
                assertThrows(IllegalArgumentException.class, () -> supervisor.supervise(supervisor));
            }
        }
    }
}

package dev.phyxius.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.phyxius.process.MailboxPolicy;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.ProcessStatus;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * Runs small fixture classes (named ...Fixture so that the build never runs them by themselves)
 * through the JUnit Platform and checks what {@link PhyxiusExtension} made of them.
 */
@Timeout(60)
class PhyxiusExtensionTest {

    static EngineExecutionResults run(Class<?> fixture) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture)).execute();
    }

    static Throwable onlyFailure(EngineExecutionResults results) {
        List<Event> failed = results.testEvents().failed().list();
        assertEquals(1, failed.size(), () -> "failed tests: " + failed);
        return failed.get(0).getPayload(TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow();
    }

    static ProcessSpec<String, Void, Void> failing() {
        return ProcessSpec.<String, Void>named("failing")
                .handler((state, message, tools) -> {
                    throw new IllegalStateException("boom on " + message);
                })
                .build();
    }

    // -------------------------------------------------------------------------------------------

    @PhyxiusTest
    @Timeout(10)
    static class InjectionFixture {
        static final List<Object> seen = new CopyOnWriteArrayList<>();
        final ProcessTestKit constructorKit;

        InjectionFixture(ProcessTestKit kit) {
            this.constructorKit = kit;
        }

        @BeforeEach
        void before(ProcessTestKit kit, ControlledClock clock) {
            assertSame(constructorKit, kit);
            assertSame(kit.clock(), clock);
        }

        @Test
        void first(ProcessTestKit kit, ControlledClock clock) {
            assertSame(constructorKit, kit);
            assertSame(kit.clock(), clock);
            seen.add(kit);
        }

        @Test
        void second(ProcessTestKit kit) {
            assertSame(constructorKit, kit);
            seen.add(kit);
        }
    }

    @Test
    void injectsOneKitPerTestIntoConstructorLifecycleAndTestMethods() {
        InjectionFixture.seen.clear();
        run(InjectionFixture.class).testEvents().assertStatistics(stats -> stats.succeeded(2).failed(0));
        assertEquals(2, InjectionFixture.seen.size());
        assertNotSame(InjectionFixture.seen.get(0), InjectionFixture.seen.get(1), "a new kit for every test");
    }

    // -------------------------------------------------------------------------------------------

    @PhyxiusTest
    @Timeout(10)
    static class UnexpectedFailureFixture {
        @Test
        void aProcessFailsAndTheTestSaysNothing(ProcessTestKit kit) {
            kit.spawn(failing()).send("x");
            kit.awaitIdle();
        }
    }

    @Test
    void failsATestInWhichAProcessFailedUnexpectedly() {
        Throwable failure = onlyFailure(run(UnexpectedFailureFixture.class));
        assertInstanceOf(AssertionError.class, failure);
        assertTrue(failure.getMessage().contains("unexpected failures or drops"), failure.getMessage());
        assertTrue(failure.getMessage().contains("event log:"), failure.getMessage());
        assertInstanceOf(IllegalStateException.class, failure.getCause());
        assertEquals("boom on x", failure.getCause().getMessage());
    }

    @PhyxiusTest
    @Timeout(10)
    static class ExpectedFailureFixture {
        @Test
        void aProcessFailsAsTheTestDeclared(ProcessTestKit kit) {
            kit.expectFailures();
            kit.spawn(failing()).send("x");
            kit.awaitIdle();
        }
    }

    @Test
    void passesATestThatDeclaredTheFailure() {
        run(ExpectedFailureFixture.class).testEvents().assertStatistics(stats -> stats.succeeded(1).failed(0));
    }

    // -------------------------------------------------------------------------------------------

    @PhyxiusTest
    @Timeout(10)
    static class DropFixture {
        static volatile boolean declare;

        @Test
        void aMessageIsEvicted(ProcessTestKit kit) throws InterruptedException {
            if (declare) {
                kit.expectDrops();
            }
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            ProcessRef<String> ref = kit.spawn(ProcessSpec.<String, Void>named("small")
                    .handler((state, message, tools) -> {
                        entered.countDown();
                        release.await();
                        return null;
                    })
                    .maxInbox(1)
                    .mailboxPolicy(MailboxPolicy.DROP_OLDEST)
                    .build());
            ref.send("first");
            assertTrue(entered.await(5, TimeUnit.SECONDS));
            ref.send("second");
            ref.send("third");
            release.countDown();
            kit.awaitIdle();
        }
    }

    @Test
    void failsATestThatDroppedAMessageUnlessItDeclaredDrops() {
        DropFixture.declare = false;
        Throwable failure = onlyFailure(run(DropFixture.class));
        assertTrue(failure.getMessage().contains("MessageDropped small (EVICTED): second"), failure.getMessage());
        DropFixture.declare = true;
        run(DropFixture.class).testEvents().assertStatistics(stats -> stats.succeeded(1).failed(0));
    }

    // -------------------------------------------------------------------------------------------

    @PhyxiusTest
    @Timeout(10)
    static class TeardownFixture {
        static final List<ProcessRef<?>> spawned = new CopyOnWriteArrayList<>();

        @Test
        void leavesProcessesRunning(ProcessTestKit kit) {
            spawned.add(kit.spawn(ProcessSpec.<String, Void>named("left-running")
                    .handler((state, message, tools) -> null)
                    .build()));
            spawned.add(kit.probe("left-listening"));
        }
    }

    @Test
    void stopsEveryProcessTheKitMadeAfterTheTest() {
        TeardownFixture.spawned.clear();
        run(TeardownFixture.class).testEvents().assertStatistics(stats -> stats.succeeded(1));
        assertEquals(2, TeardownFixture.spawned.size());
        for (ProcessRef<?> ref : TeardownFixture.spawned) {
            assertEquals(ProcessStatus.STOPPED, ref.status(), ref.name());
        }
    }

    // -------------------------------------------------------------------------------------------

    @PhyxiusTest
    @Timeout(10)
    static class BodyFailureFixture {
        @Test
        void failsItselfAndLeavesAFailedProcess(ProcessTestKit kit) {
            kit.spawn(failing()).send("x");
            kit.awaitIdle();
            throw new AssertionError("the test's own failure");
        }
    }

    @Test
    void keepsTheTestsOwnFailureFirstAndAddsTheUnexpectedOneAsSuppressed() {
        Throwable failure = onlyFailure(run(BodyFailureFixture.class));
        assertEquals("the test's own failure", failure.getMessage());
        assertEquals(1, failure.getSuppressed().length);
        assertTrue(failure.getSuppressed()[0].getMessage().contains("unexpected failures"));
    }
}

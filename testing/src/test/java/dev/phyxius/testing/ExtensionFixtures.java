package dev.phyxius.testing;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phyxius.process.MailboxPolicy;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Test classes that {@link PhyxiusExtensionTest} runs through the JUnit Platform. Nested in a class
 * whose name matches no test pattern, so that the build never runs them by themselves: some are
 * meant to fail.
 */
final class ExtensionFixtures {

    private ExtensionFixtures() {}

    static ProcessSpec<String, Void, Void> failing() {
        return ProcessSpec.<String, Void>named("failing")
                .handler((state, message, tools) -> {
                    throw new IllegalStateException("boom on " + message);
                })
                .build();
    }

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

    @PhyxiusTest
    @Timeout(10)
    static class UnexpectedFailureFixture {
        @Test
        void aProcessFailsAndTheTestSaysNothing(ProcessTestKit kit) {
            kit.spawn(failing()).send("x");
            kit.awaitIdle();
        }
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
}

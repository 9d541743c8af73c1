package dev.phyxius.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessStatus;
import dev.phyxius.testing.ExtensionFixtures.BodyFailureFixture;
import dev.phyxius.testing.ExtensionFixtures.DropFixture;
import dev.phyxius.testing.ExtensionFixtures.ExpectedFailureFixture;
import dev.phyxius.testing.ExtensionFixtures.InjectionFixture;
import dev.phyxius.testing.ExtensionFixtures.TeardownFixture;
import dev.phyxius.testing.ExtensionFixtures.UnexpectedFailureFixture;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * Runs the small test classes in {@code ExtensionFixtures} through the JUnit Platform and checks
 * what {@link PhyxiusExtension} made of them.
 */
@Timeout(60)
class PhyxiusExtensionTest {

    static EngineExecutionResults run(Class<?> fixture) {
        return EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(fixture))
                .execute();
    }

    static Throwable onlyFailure(EngineExecutionResults results) {
        List<Event> failed = results.testEvents().failed().list();
        assertEquals(1, failed.size(), () -> "failed tests: " + failed);
        return failed.get(0)
                .getPayload(TestExecutionResult.class)
                .orElseThrow()
                .getThrowable()
                .orElseThrow();
    }

    @Test
    void injectsOneKitPerTestIntoConstructorLifecycleAndTestMethods() {
        InjectionFixture.seen.clear();
        run(InjectionFixture.class)
                .testEvents()
                .assertStatistics(stats -> stats.succeeded(2).failed(0));
        assertEquals(2, InjectionFixture.seen.size());
        assertNotSame(InjectionFixture.seen.get(0), InjectionFixture.seen.get(1), "a new kit for every test");
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

    @Test
    void passesATestThatDeclaredTheFailure() {
        run(ExpectedFailureFixture.class)
                .testEvents()
                .assertStatistics(stats -> stats.succeeded(1).failed(0));
    }

    @Test
    void failsATestThatDroppedAMessageUnlessItDeclaredDrops() {
        DropFixture.declare = false;
        Throwable failure = onlyFailure(run(DropFixture.class));
        assertTrue(failure.getMessage().contains("MessageDropped small (EVICTED): second"), failure.getMessage());
        DropFixture.declare = true;
        run(DropFixture.class)
                .testEvents()
                .assertStatistics(stats -> stats.succeeded(1).failed(0));
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

    @Test
    void keepsTheTestsOwnFailureFirstAndAddsTheUnexpectedOneAsSuppressed() {
        Throwable failure = onlyFailure(run(BodyFailureFixture.class));
        assertEquals("the test's own failure", failure.getMessage());
        assertEquals(1, failure.getSuppressed().length);
        assertTrue(failure.getSuppressed()[0].getMessage().contains("unexpected failures"));
    }
}

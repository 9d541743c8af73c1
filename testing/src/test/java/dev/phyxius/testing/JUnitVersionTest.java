package dev.phyxius.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.engine.TestEngine;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * The extension tests run on the JUnit the build asked for ({@code -Djunit.version=...}, which CI
 * sets to a JUnit 6 release for a second run): a run that silently stayed on the default would
 * prove nothing about the other.
 */
@Timeout(30)
class JUnitVersionTest {

    /** Set by this module's surefire configuration from the build's {@code junit.version}. */
    private static final String EXPECTED = System.getProperty("phyxius.expected.junit.version");

    @Test
    void jupiterPlatformAndTestkitAreAllTheVersionTheBuildAskedFor() {
        Assumptions.assumeTrue(EXPECTED != null, "not run by the Maven build");
        assertEquals(EXPECTED, Test.class.getPackage().getImplementationVersion(), "junit-jupiter-api");
        assertEquals(
                EXPECTED,
                ExtensionContext.class.getPackage().getImplementationVersion(),
                "junit-jupiter-api (extension)");
        // The platform was versioned 1.x beside Jupiter 5.x and shares Jupiter's version from 6.0.
        String platform = EXPECTED.startsWith("5.") ? "1." + EXPECTED.substring(2) : EXPECTED;
        assertEquals(platform, TestEngine.class.getPackage().getImplementationVersion(), "junit-platform-engine");
        assertEquals(platform, EngineTestKit.class.getPackage().getImplementationVersion(), "junit-platform-testkit");
    }
}

package dev.phyxius.tests.architecture;

import static dev.phyxius.tests.architecture.PhyxiusArchitecture.MODULES;
import static dev.phyxius.tests.architecture.PhyxiusArchitecture.ROOT;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.phyxius.tests.architecture.fixtures.bad.analysis.AnalysisThatUsesAModule;
import dev.phyxius.tests.architecture.fixtures.bad.clock.ClockThatStartsSupervisors;
import dev.phyxius.tests.architecture.fixtures.bad.process.ProcessThatRecordsJfrEvents;
import dev.phyxius.tests.architecture.fixtures.bad.process.internal.mailbox.Mailbox;
import dev.phyxius.tests.architecture.fixtures.bad.process.internal.scheduling.Scheduler;
import dev.phyxius.tests.architecture.fixtures.bad.supervisor.SupervisorThatDependsOnALibrary;
import dev.phyxius.tests.architecture.fixtures.bad.supervisor.SupervisorThatReachesIntoProcessInternals;
import dev.phyxius.tests.architecture.fixtures.bad.testing.TestKitThatRecordsSpans;
import dev.phyxius.tests.architecture.fixtures.bad.testing.TestKitThatStartsSimulations;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The architecture rules of {@link PhyxiusArchitecture}, applied to the published modules and
 * shown to work on fixture trees: each rule reports the bad tree's offender and accepts the
 * good tree.
 *
 * <p>The timeouts are generous because the first import of the real modules reads the class
 * files of the JDK types they use.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ArchitectureTest {

    private static final String FIXTURES = "dev.phyxius.tests.architecture.fixtures";
    private static final String BAD = FIXTURES + ".bad";
    private static final String GOOD = FIXTURES + ".good";

    // Each tree is imported once, on first use, in its own holder: a failing import of the
    // real modules must not hide what the fixture tests say about the rules, and vice versa.

    private static final class Published {
        static final JavaClasses CLASSES = PhyxiusArchitecture.importPublishedModules();
    }

    private static final class BadTree {
        static final JavaClasses CLASSES = new ClassFileImporter().importPackages(BAD);
    }

    private static final class GoodTree {
        static final JavaClasses CLASSES = new ClassFileImporter().importPackages(GOOD);
    }

    @Nested
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    class ThePublishedModules {

        @Test
        void areImportedWithoutTestsFixturesExamplesOrBenchmarks() {
            // Guards against vacuous passes: the rules allow empty modules, so an import that
            // found nothing, or found the fixtures, would make them meaningless.
            Set<String> outside = Published.CLASSES.stream()
                    .map(JavaClass::getPackageName)
                    .filter(pkg -> MODULES.stream().noneMatch(module -> isInOrBelow(pkg, ROOT + "." + module)))
                    .collect(Collectors.toSet());
            assertAll(
                    () -> assertFalse(Published.CLASSES.isEmpty(), "no class of the published modules was imported"),
                    () -> assertEquals(Set.of(), outside, "packages imported that belong to no published module"));
        }

        @Test
        void useOnlyTheModulesBelowThem() {
            PhyxiusArchitecture.modulesRespectTheLayering(ROOT).check(Published.CLASSES);
        }

        @Test
        void coreModulesDependOnNothingButTheJdkAndEachOther() {
            PhyxiusArchitecture.coreModulesDependOnlyOnTheJdkAndPhyxius(ROOT).check(Published.CLASSES);
        }

        @Test
        void useNoInternalPackageOfAnotherModule() {
            PhyxiusArchitecture.internalPackagesStayInsideTheirModule(ROOT).check(Published.CLASSES);
        }

        @Test
        void haveNoPackageCycles() {
            PhyxiusArchitecture.packagesAreFreeOfCycles(ROOT).check(Published.CLASSES);
        }
    }

    @Nested
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    class EachRuleReportsCodeThatBreaksIt {

        @Test
        void theLayeringRuleReportsALowerModuleUsingAHigherOne() {
            assertReports(PhyxiusArchitecture.modulesRespectTheLayering(BAD), ClockThatStartsSupervisors.class);
        }

        @Test
        void theLayeringRuleReportsTestingAndObservabilityUsingEachOther() {
            assertReports(PhyxiusArchitecture.modulesRespectTheLayering(BAD), TestKitThatRecordsSpans.class);
        }

        @Test
        void theLayeringRuleReportsTheTestKitUsingTheSimulationAboveIt() {
            assertReports(PhyxiusArchitecture.modulesRespectTheLayering(BAD), TestKitThatStartsSimulations.class);
        }

        @Test
        void theLayeringRuleReportsTheAnalysisUsingAnotherModule() {
            assertReports(PhyxiusArchitecture.modulesRespectTheLayering(BAD), AnalysisThatUsesAModule.class);
        }

        @Test
        void theCoreDependencyRuleReportsAJdkPackageOutsideJava() {
            assertReports(
                    PhyxiusArchitecture.coreModulesDependOnlyOnTheJdkAndPhyxius(BAD),
                    ProcessThatRecordsJfrEvents.class);
        }

        @Test
        void theCoreDependencyRuleReportsAThirdPartyLibrary() {
            assertReports(
                    PhyxiusArchitecture.coreModulesDependOnlyOnTheJdkAndPhyxius(BAD),
                    SupervisorThatDependsOnALibrary.class);
        }

        @Test
        void theInternalPackageRuleReportsAModuleReachingIntoAnothersInternals() {
            assertReports(
                    PhyxiusArchitecture.internalPackagesStayInsideTheirModule(BAD),
                    SupervisorThatReachesIntoProcessInternals.class);
        }

        @Test
        void theCycleRuleReportsTwoPackagesThatUseEachOther() {
            assertReports(PhyxiusArchitecture.packagesAreFreeOfCycles(BAD), Mailbox.class, Scheduler.class);
        }

        @Test
        void eachRuleReportsOnlyTheClassesThatBreakIt() {
            // The bad tree holds offenders of every rule side by side; a rule that reported
            // another rule's offender would be too broad, and would pass the tests above for
            // the wrong reason.
            assertAll(
                    () -> assertReportsNone(
                            PhyxiusArchitecture.modulesRespectTheLayering(BAD),
                            ProcessThatRecordsJfrEvents.class,
                            SupervisorThatDependsOnALibrary.class,
                            SupervisorThatReachesIntoProcessInternals.class,
                            Mailbox.class),
                    () -> assertReportsNone(
                            PhyxiusArchitecture.coreModulesDependOnlyOnTheJdkAndPhyxius(BAD),
                            ClockThatStartsSupervisors.class,
                            TestKitThatRecordsSpans.class,
                            TestKitThatStartsSimulations.class,
                            SupervisorThatReachesIntoProcessInternals.class,
                            Mailbox.class),
                    () -> assertReportsNone(
                            PhyxiusArchitecture.internalPackagesStayInsideTheirModule(BAD),
                            ClockThatStartsSupervisors.class,
                            TestKitThatRecordsSpans.class,
                            ProcessThatRecordsJfrEvents.class,
                            SupervisorThatDependsOnALibrary.class),
                    () -> assertReportsNone(
                            PhyxiusArchitecture.packagesAreFreeOfCycles(BAD),
                            ClockThatStartsSupervisors.class,
                            TestKitThatRecordsSpans.class,
                            ProcessThatRecordsJfrEvents.class,
                            SupervisorThatDependsOnALibrary.class,
                            SupervisorThatReachesIntoProcessInternals.class));
        }
    }

    @Nested
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    class EachRuleAcceptsCodeThatFollowsIt {

        @Test
        void theGoodTreeHasClassesInEveryModule() {
            // Otherwise the test below could pass on an empty import.
            for (String module : MODULES) {
                assertTrue(
                        GoodTree.CLASSES.containPackage(GOOD + "." + module),
                        "the good tree has no classes in " + module);
            }
        }

        @ParameterizedTest(
                name =
                        "{0} accepts a facade into its own internals, a sibling's SPI, arrays, primitives and JFR in observability")
        @MethodSource("dev.phyxius.tests.architecture.ArchitectureTest#everyRule")
        void acceptsTheGoodTree(ArchRule rule) {
            EvaluationResult result = rule.evaluate(GoodTree.CLASSES);
            assertFalse(result.hasViolation(), () -> result.getFailureReport().toString());
        }
    }

    static Stream<Named<ArchRule>> everyRule() {
        return Stream.of(
                Named.of("the layering rule", PhyxiusArchitecture.modulesRespectTheLayering(GOOD)),
                Named.of("the core dependency rule", PhyxiusArchitecture.coreModulesDependOnlyOnTheJdkAndPhyxius(GOOD)),
                Named.of("the internal package rule", PhyxiusArchitecture.internalPackagesStayInsideTheirModule(GOOD)),
                Named.of("the cycle rule", PhyxiusArchitecture.packagesAreFreeOfCycles(GOOD)));
    }

    /** Asserts that evaluating {@code rule} on the bad tree reports every one of {@code offenders}, by name. */
    private static void assertReports(ArchRule rule, Class<?>... offenders) {
        EvaluationResult result = rule.evaluate(BadTree.CLASSES);
        assertTrue(result.hasViolation(), () -> "expected a violation of: " + rule.getDescription());
        String report = String.join("\n", result.getFailureReport().getDetails());
        for (Class<?> offender : offenders) {
            assertTrue(
                    report.contains(offender.getName()),
                    () -> "the report does not name " + offender.getName() + ":\n" + report);
        }
    }

    /** Asserts that evaluating {@code rule} on the bad tree names none of {@code bystanders}. */
    private static void assertReportsNone(ArchRule rule, Class<?>... bystanders) {
        String report = String.join(
                "\n", rule.evaluate(BadTree.CLASSES).getFailureReport().getDetails());
        for (Class<?> bystander : bystanders) {
            // Match the class name as a whole word, so Mailbox does not match Mailbox's callers.
            assertFalse(
                    report.matches("(?s).*\\b" + Pattern.quote(bystander.getName()) + "\\b.*"),
                    () -> rule.getDescription() + " reported " + bystander.getName() + ", which breaks another rule:\n"
                            + report);
        }
    }

    private static boolean isInOrBelow(String packageName, String parent) {
        return packageName.equals(parent) || packageName.startsWith(parent + ".");
    }
}

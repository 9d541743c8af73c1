package dev.phyxius.tests.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.dependencies.SliceRule;
import java.util.List;

/**
 * The architecture of Phyxius as ArchUnit rules.
 *
 * <p>Every rule is a function of a root package: {@value #ROOT} for the real modules, and a
 * fixture tree under {@code dev.phyxius.tests.architecture.fixtures} for the tests that show
 * each rule really fails. Inside a root, module {@code m} owns {@code <root>.m} and its
 * sub-packages; its implementation lives in packages with an {@code internal} segment and its
 * sibling SPI in {@code <root>.m.spi}.
 *
 * <p>Rules tolerate empty modules ({@code allowEmptyShould}, optional layers): modules are
 * written concurrently and may hold nothing but a {@code module-info} for a while, and an
 * empty module breaks no rule. That {@link #importPublishedModules()} found the real classes
 * at all is checked separately, so a broken import cannot make every rule pass vacuously.
 */
final class PhyxiusArchitecture {

    /** The root package of the published modules. */
    static final String ROOT = "dev.phyxius";

    /** The published modules, lowest layer first (see {@link #modulesRespectTheLayering}). */
    static final List<String> MODULES = List.of(
            "clock", "process", "supervisor", "testing", "simulation", "observability", "analysis", "jmc", "kafka");

    /** The modules that may depend on nothing but the JDK's {@code java.*} and each other. */
    static final List<String> CORE_MODULES = List.of("clock", "process", "supervisor");

    private PhyxiusArchitecture() {}

    /**
     * Imports the production classes of the published modules, as the tests module sees them
     * (jars or class directories of the reactor).
     *
     * <p>Only the module packages are imported, so nothing from {@code dev.phyxius.tests}
     * (these tests and their deliberately bad fixtures), examples or benchmarks is checked by
     * the real rules; test classes are excluded as a second fence.
     *
     * @return the classes of every published module
     */
    static JavaClasses importPublishedModules() {
        return new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(
                        MODULES.stream().map(module -> ROOT + "." + module).toList());
    }

    /**
     * Modules use only lower layers: clock &lt; process &lt; supervisor &lt; {testing,
     * observability}, and testing &lt; simulation; testing and observability do not use each
     * other, nor do simulation and observability; analysis uses no other module, and jmc only
     * analysis; kafka uses only the core (clock, process, supervisor).
     *
     * <p>Checked on dependencies of every kind (calls, fields, signatures, inheritance,
     * annotations), not only on calls: a core module that merely names a higher type in a
     * signature would already need the higher module at compile time.
     *
     * @param root the root package of the module tree
     * @return the rule
     */
    static ArchRule modulesRespectTheLayering(String root) {
        return layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                // A module that has no classes yet breaks no layering.
                .withOptionalLayers(true)
                .layer("clock")
                .definedBy(root + ".clock..")
                .layer("process")
                .definedBy(root + ".process..")
                .layer("supervisor")
                .definedBy(root + ".supervisor..")
                .layer("testing")
                .definedBy(root + ".testing..")
                .layer("simulation")
                .definedBy(root + ".simulation..")
                .layer("observability")
                .definedBy(root + ".observability..")
                .layer("analysis")
                .definedBy(root + ".analysis..")
                .layer("jmc")
                .definedBy(root + ".jmc..")
                .layer("kafka")
                .definedBy(root + ".kafka..")
                .whereLayer("clock")
                .mayNotAccessAnyLayer()
                .whereLayer("process")
                .mayOnlyAccessLayers("clock")
                .whereLayer("supervisor")
                .mayOnlyAccessLayers("clock", "process")
                .whereLayer("testing")
                .mayOnlyAccessLayers("clock", "process", "supervisor")
                .whereLayer("simulation")
                .mayOnlyAccessLayers("clock", "process", "supervisor", "testing")
                .whereLayer("observability")
                .mayOnlyAccessLayers("clock", "process", "supervisor")
                // The report reads recordings by event name: it needs no Phyxius module, so it
                // runs on recordings of any version and in a runtime without the core.
                .whereLayer("analysis")
                .mayNotAccessAnyLayer()
                .whereLayer("jmc")
                .mayOnlyAccessLayers("analysis")
                .whereLayer("kafka")
                .mayOnlyAccessLayers("clock", "process", "supervisor")
                .allowEmptyShould(true)
                .because("a module may use only the modules below it, so each can be used without the ones above");
    }

    /**
     * Core modules (clock, process, supervisor) depend only on {@code java.*} and on Phyxius:
     * no OpenTelemetry, no Micrometer, no logging framework, no {@code javax.*}, {@code jdk.*}
     * or {@code sun.*} packages.
     *
     * <p>Arrays count as their element type (a {@code String[]} is {@code java.lang}) and
     * primitives are always allowed, so neither is mistaken for a foreign dependency.
     *
     * @param root the root package of the module tree
     * @return the rule
     */
    static ArchRule coreModulesDependOnlyOnTheJdkAndPhyxius(String root) {
        DescribedPredicate<JavaClass> jdkOrPhyxius =
                DescribedPredicate.describe("are primitives or reside in java.. or " + root + "..", type -> {
                    JavaClass element = type.isArray() ? type.getBaseComponentType() : type;
                    return element.isPrimitive()
                            || element.getPackageName().startsWith("java.")
                            || isInOrBelow(element.getPackageName(), root);
                });
        return classes()
                .that()
                .resideInAnyPackage(CORE_MODULES.stream()
                        .map(module -> root + "." + module + "..")
                        .toArray(String[]::new))
                .should()
                .onlyDependOnClassesThat(jdkOrPhyxius)
                .allowEmptyShould(true)
                .because(
                        "core modules must run with nothing but the JDK on the path; telemetry lives in observability");
    }

    /**
     * No class uses the internal packages of another module. A module's own classes may use
     * its internal packages; its {@code spi} package is the way siblings reach into it.
     *
     * <p>Internal means: any package of the module with an {@code internal} segment, so a
     * module added later is covered without touching this rule.
     *
     * @param root the root package of the module tree
     * @return the rule
     */
    static ArchRule internalPackagesStayInsideTheirModule(String root) {
        ArchCondition<JavaClass> useNoOtherModulesInternals =
                new ArchCondition<>("use no internal package of another module") {
                    @Override
                    public void check(JavaClass origin, ConditionEvents events) {
                        String originModule = moduleOf(origin.getPackageName(), root);
                        for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
                            JavaClass target = dependency.getTargetClass();
                            JavaClass element = target.isArray() ? target.getBaseComponentType() : target;
                            String targetPackage = element.getPackageName();
                            if (isInternal(targetPackage, root)
                                    && !moduleOf(targetPackage, root).equals(originModule)) {
                                events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()));
                            }
                        }
                    }
                };
        return classes()
                .that()
                .resideInAPackage(root + "..")
                .should(useNoOtherModulesInternals)
                .allowEmptyShould(true)
                .because("internal packages are not exported; a sibling that needs one needs an spi package instead");
    }

    /**
     * No package takes part in a dependency cycle with another package (each package under
     * the root is its own slice).
     *
     * <p>One edge is not counted: a module's API or SPI package using that module's own internal
     * packages. That edge is the designed facade (a static factory such as
     * {@code Clock.system()} or {@code ProcessSupervision.spawn} returns an internal
     * implementation, which in turn implements the API or SPI type), so it would otherwise turn
     * every module into a cycle. Cycles among internal packages, between the API and the SPI, or
     * across modules are all reported.
     *
     * @param root the root package of the module tree
     * @return the rule
     */
    static ArchRule packagesAreFreeOfCycles(String root) {
        SliceRule rule = slices().matching(root + ".(**)").should().beFreeOfCycles();
        for (String module : MODULES) {
            String api = root + "." + module;
            String spi = api + ".spi";
            rule = rule.ignoreDependency(
                    DescribedPredicate.describe(
                            "reside in " + api + " or " + spi,
                            (JavaClass type) -> type.getPackageName().equals(api)
                                    || type.getPackageName().equals(spi)),
                    DescribedPredicate.describe(
                            "reside in an internal package of " + api,
                            (JavaClass type) -> isInOrBelow(type.getPackageName(), api)
                                    && isInternal(type.getPackageName(), root)));
        }
        return rule.allowEmptyShould(true)
                .because("a cycle makes packages one unit that can only be understood and changed together");
    }

    private static boolean isInOrBelow(String packageName, String parent) {
        return packageName.equals(parent) || packageName.startsWith(parent + ".");
    }

    /** The module a package belongs to: its first segment below the root, or "" outside it. */
    private static String moduleOf(String packageName, String root) {
        if (!packageName.startsWith(root + ".")) {
            return "";
        }
        String rest = packageName.substring(root.length() + 1);
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }

    /** Whether a package under the root is implementation: it has an {@code internal} segment below the module. */
    private static boolean isInternal(String packageName, String root) {
        if (!packageName.startsWith(root + ".")) {
            return false;
        }
        List<String> segments = List.of(packageName.substring(root.length() + 1).split("\\."));
        return segments.subList(1, segments.size()).contains("internal");
    }
}

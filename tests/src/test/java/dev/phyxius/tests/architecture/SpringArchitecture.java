package dev.phyxius.tests.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The place of the Spring Boot integration ({@code <root>.spring}, the
 * {@code phyxius-spring-boot-autoconfigure} jar) in the architecture, as ArchUnit rules that are
 * functions of a root package like those of {@link PhyxiusArchitecture}.
 *
 * <p>It sits above every published module: it may use their APIs (clock, process, supervisor,
 * observability) and its own internals, but not the test kit (nor, by the general rule, another
 * module's internals); and no published module may use it or Spring. Its jar is an automatic module, so these rules and
 * {@code SpringArchitectureTest}'s manifest checks stand in for a {@code module-info}.
 */
final class SpringArchitecture {

    private SpringArchitecture() {}

    /**
     * Imports the production classes of the Spring integration and of every published module.
     *
     * @return the classes
     */
    static JavaClasses importSpringAndPublishedModules() {
        return new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(
                        PhyxiusArchitecture.ROOT + ".spring",
                        PhyxiusArchitecture.ROOT + ".clock",
                        PhyxiusArchitecture.ROOT + ".process",
                        PhyxiusArchitecture.ROOT + ".supervisor",
                        PhyxiusArchitecture.ROOT + ".testing",
                        PhyxiusArchitecture.ROOT + ".observability");
    }

    /**
     * The Spring integration, production code, does not use the test kit. (That it uses no other
     * module's internals is {@link PhyxiusArchitecture#internalPackagesStayInsideTheirModule},
     * applied to it as well.)
     *
     * @param root the root package of the module tree
     * @return the rule
     */
    static ArchRule springDoesNotUseTheTestKit(String root) {
        return noClasses()
                .that()
                .resideInAPackage(root + ".spring..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage(root + ".testing..")
                .allowEmptyShould(true)
                .because("the Spring integration is production code; applications bring the test kit to their tests");
    }

    /**
     * No published module uses the Spring integration or Spring itself: they work without Spring on
     * the class path or module path.
     *
     * @param root the root package of the module tree
     * @return the rule
     */
    static ArchRule publishedModulesUseNoSpring(String root) {
        return noClasses()
                .that()
                .resideInAnyPackage(PhyxiusArchitecture.MODULES.stream()
                        .map(module -> root + "." + module + "..")
                        .toArray(String[]::new))
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(root + ".spring..", "org.springframework..")
                .allowEmptyShould(true)
                .because("Spring is optional: it is the top of the stack, never a dependency of a module");
    }

    /**
     * The Spring integration's packages take part in no cycle.
     *
     * @param root the root package of the module tree
     * @return the rule
     */
    static ArchRule springPackagesAreFreeOfCycles(String root) {
        return slices().matching(root + ".spring.(**)")
                .should()
                .beFreeOfCycles()
                .allowEmptyShould(true)
                .because("a cycle makes packages one unit that can only be understood and changed together");
    }
}

package dev.phyxius.tests.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;

/**
 * The place of the Spring Boot integration ({@code <root>.spring}, the
 * {@code phyxius-spring-boot-autoconfigure} jar) in the architecture, as ArchUnit rules that are
 * functions of a root package like those of {@link PhyxiusArchitecture}.
 *
 * <p>It sits above every published module: it may use their APIs (clock, process, supervisor,
 * observability) and its own internals, but not the test kit or another module's internals; and
 * no published module may use it or Spring. Its jar is an automatic module, so these rules and
 * {@code SpringArchitectureTest}'s manifest checks stand in for a {@code module-info}.
 */
final class SpringArchitecture {

    /** The modules below the Spring integration whose APIs it may use. */
    static final List<String> USED_MODULES = List.of("clock", "process", "supervisor", "observability");

    private SpringArchitecture() {
    }

    /**
     * Imports the production classes of the Spring integration and of every published module.
     *
     * @return the classes
     */
    static JavaClasses importSpringAndPublishedModules() {
        return new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(PhyxiusArchitecture.ROOT + ".spring", PhyxiusArchitecture.ROOT + ".clock",
                        PhyxiusArchitecture.ROOT + ".process", PhyxiusArchitecture.ROOT + ".supervisor",
                        PhyxiusArchitecture.ROOT + ".testing", PhyxiusArchitecture.ROOT + ".observability");
    }

    /**
     * The Spring integration uses other modules only through their API: not the test kit, and no
     * package with an {@code internal} segment outside its own.
     *
     * @param root the root package of the module tree
     * @return the rule
     */
    static ArchRule springUsesOnlyPublishedApis(String root) {
        String spring = root + ".spring";
        DescribedPredicate<JavaClass> forbidden = DescribedPredicate.describe(
                "reside in " + root + ".testing.. or in an internal package of another module",
                type -> {
                    String pkg = (type.isArray() ? type.getBaseComponentType() : type).getPackageName();
                    if (isInOrBelow(pkg, root + ".testing")) {
                        return true;
                    }
                    return isInOrBelow(pkg, root) && !isInOrBelow(pkg, spring)
                            && List.of(pkg.split("\\.")).contains("internal");
                });
        return noClasses().that().resideInAPackage(spring + "..")
                .should().dependOnClassesThat(forbidden)
                .allowEmptyShould(true)
                .because("the Spring integration is a user of Phyxius like any application, plus its own internals");
    }

    /**
     * No published module uses the Spring integration or Spring itself: they work without Spring on
     * the class path or module path.
     *
     * @param root the root package of the module tree
     * @return the rule
     */
    static ArchRule publishedModulesUseNoSpring(String root) {
        return noClasses().that().resideInAnyPackage(PhyxiusArchitecture.MODULES.stream()
                        .map(module -> root + "." + module + "..").toArray(String[]::new))
                .should().dependOnClassesThat().resideInAnyPackage(root + ".spring..", "org.springframework..")
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
        return slices().matching(root + ".spring.(**)").should().beFreeOfCycles()
                .allowEmptyShould(true)
                .because("a cycle makes packages one unit that can only be understood and changed together");
    }

    private static boolean isInOrBelow(String packageName, String parent) {
        return packageName.equals(parent) || packageName.startsWith(parent + ".");
    }
}

package dev.phyxius.tests.architecture;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.phyxius.spring.autoconfigure.PhyxiusAutoConfiguration;
import dev.phyxius.tests.architecture.fixtures.bad.spring.AutoConfigurationThatUsesTheTestKit;
import dev.phyxius.tests.architecture.fixtures.bad.supervisor.SupervisorThatReadsSpringProperties;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Spring Boot integration's rules ({@link SpringArchitecture}) on the real classes and on
 * fixtures, and the automatic-module names its jars carry instead of a {@code module-info}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SpringArchitectureTest {

    private static final String BAD = "dev.phyxius.tests.architecture.fixtures.bad";
    private static final String GOOD = "dev.phyxius.tests.architecture.fixtures.good";

    private static final class Real {
        static final JavaClasses CLASSES = SpringArchitecture.importSpringAndPublishedModules();
    }

    private static final class Fixtures {
        static final JavaClasses BAD_TREE = new ClassFileImporter().importPackages(BAD);
        static final JavaClasses GOOD_TREE = new ClassFileImporter().importPackages(GOOD);
    }

    @Nested
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    class TheRealClasses {

        @Test
        void includeTheAutoConfiguration() {
            // Guards against a vacuous pass: an import that found no Spring class checks nothing.
            assertTrue(Real.CLASSES.contain(PhyxiusAutoConfiguration.class), "the auto-configuration was not imported");
        }

        @Test
        void doNotUseTheTestKit() {
            SpringArchitecture.springDoesNotUseTheTestKit(PhyxiusArchitecture.ROOT)
                    .check(Real.CLASSES);
        }

        @Test
        void useNoInternalPackageOfAnotherModule() {
            PhyxiusArchitecture.internalPackagesStayInsideTheirModule(PhyxiusArchitecture.ROOT)
                    .check(Real.CLASSES);
        }

        @Test
        void areUsedByNoPublishedModule() {
            SpringArchitecture.publishedModulesUseNoSpring(PhyxiusArchitecture.ROOT)
                    .check(Real.CLASSES);
        }

        @Test
        void haveNoPackageCycles() {
            SpringArchitecture.springPackagesAreFreeOfCycles(PhyxiusArchitecture.ROOT)
                    .check(Real.CLASSES);
        }
    }

    @Nested
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    class TheRules {

        @Test
        void reportTheIntegrationUsingTheTestKit() {
            assertReports(
                    SpringArchitecture.springDoesNotUseTheTestKit(BAD), AutoConfigurationThatUsesTheTestKit.class);
        }

        @Test
        void reportAPublishedModuleUsingTheIntegration() {
            assertReports(
                    SpringArchitecture.publishedModulesUseNoSpring(BAD), SupervisorThatReadsSpringProperties.class);
        }

        @Test
        void acceptTheGoodTree() {
            for (ArchRule rule : List.of(
                    SpringArchitecture.springDoesNotUseTheTestKit(GOOD),
                    PhyxiusArchitecture.internalPackagesStayInsideTheirModule(GOOD),
                    SpringArchitecture.publishedModulesUseNoSpring(GOOD),
                    SpringArchitecture.springPackagesAreFreeOfCycles(GOOD))) {
                EvaluationResult result = rule.evaluate(Fixtures.GOOD_TREE);
                assertFalse(
                        result.hasViolation(), () -> result.getFailureReport().toString());
            }
            assertTrue(Fixtures.GOOD_TREE.containPackage(GOOD + ".spring"), "the good tree has no Spring classes");
        }

        private void assertReports(ArchRule rule, Class<?>... offenders) {
            EvaluationResult result = rule.evaluate(Fixtures.BAD_TREE);
            assertTrue(result.hasViolation(), () -> "expected a violation of: " + rule.getDescription());
            String report = String.join("\n", result.getFailureReport().getDetails());
            for (Class<?> offender : offenders) {
                assertTrue(
                        report.contains(offender.getName()),
                        () -> "the report does not name " + offender.getName() + ":\n" + report);
            }
        }
    }

    @Nested
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    class TheJars {

        @Test
        void theAutoConfigurationIsTheAutomaticModuleDevPhyxiusSpringAutoconfigureWithOnlyItsOwnPackages()
                throws Exception {
            Path location = Path.of(PhyxiusAutoConfiguration.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            List<String> classes = classFiles(location);
            Set<String> packages = classes.stream()
                    .map(name -> name.substring(0, name.lastIndexOf('/')).replace('/', '.'))
                    .collect(Collectors.toSet());
            assertAll(
                    () -> assertEquals("dev.phyxius.spring.autoconfigure", automaticModuleName(location)),
                    () -> assertFalse(classes.contains("module-info.class"), "a class-path jar, not a named module"),
                    () -> assertFalse(packages.isEmpty()),
                    () -> assertEquals(
                            Set.of(),
                            packages.stream()
                                    .filter(pkg -> !pkg.equals("dev.phyxius.spring.autoconfigure")
                                            && !pkg.startsWith("dev.phyxius.spring.autoconfigure."))
                                    .collect(Collectors.toSet()),
                            "packages outside dev.phyxius.spring.autoconfigure"));
        }

        @Test
        void theStarterIsTheAutomaticModuleDevPhyxiusSpringStarterWithNoClasses() throws Exception {
            Path starter = findJar("phyxius-spring-boot-starter");
            assertAll(
                    () -> assertEquals("dev.phyxius.spring.starter", automaticModuleName(starter)),
                    () -> assertEquals(List.of(), classFiles(starter), "a starter is only its dependencies"));
        }

        /** The starter has no class to find it by: look among the class path's manifests. */
        private Path findJar(String artifactId) throws IOException, URISyntaxException {
            for (URL url : Collections.list(getClass().getClassLoader().getResources("META-INF/MANIFEST.MF"))) {
                String spec = url.toString();
                if (spec.startsWith("jar:file:") && spec.contains("/" + artifactId + "-")) {
                    return Path.of(new URL(spec.substring(4, spec.indexOf("!/"))).toURI());
                }
                if (spec.startsWith("file:") && spec.contains("/spring-starter/target/classes/")) {
                    return Path.of(url.toURI()).getParent().getParent();
                }
            }
            throw new AssertionError(artifactId + " is not on the class path (is it a dependency of phyxius-tests?)");
        }

        private String automaticModuleName(Path location) throws IOException {
            Manifest manifest;
            if (Files.isDirectory(location)) {
                // Run from an IDE against target/classes: the jar plugin writes the manifest only
                // into the jar, which Maven's verify always tests against.
                Path file = location.resolve("META-INF/MANIFEST.MF");
                Assumptions.assumeTrue(Files.exists(file), "no jar built: " + location);
                try (InputStream in = Files.newInputStream(file)) {
                    manifest = new Manifest(in);
                }
            } else {
                try (JarFile jar = new JarFile(location.toFile())) {
                    manifest = jar.getManifest();
                }
            }
            assertNotNull(manifest, "no manifest in " + location);
            return manifest.getMainAttributes().getValue("Automatic-Module-Name");
        }

        private List<String> classFiles(Path location) throws IOException {
            List<String> classes = new ArrayList<>();
            if (Files.isDirectory(location)) {
                try (var files = Files.walk(location)) {
                    files.filter(file -> file.toString().endsWith(".class"))
                            .forEach(file -> classes.add(
                                    location.relativize(file).toString().replace('\\', '/')));
                }
            } else {
                try (JarFile jar = new JarFile(location.toFile())) {
                    for (JarEntry entry : Collections.list(jar.entries())) {
                        if (entry.getName().endsWith(".class")) {
                            classes.add(entry.getName());
                        }
                    }
                }
            }
            return classes;
        }
    }
}

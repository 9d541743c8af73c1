package dev.phyxius.tests.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Requires;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The compiled {@code module-info} of every published module follows
 * {@link ModuleDescriptorRules}, and those rules report a descriptor that breaks them.
 *
 * <p>The descriptors are read from exactly what these tests are compiled and run against:
 * each class-path root (a reactor jar, or a {@code target/classes} directory in an IDE) that
 * has a {@code module-info.class} at its top and names a Phyxius module. That root is then
 * read with {@link ModuleFinder}, which also lists the packages the module really contains.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ModuleDescriptorTest {

    /** Reads the class path once. */
    private static final class OnClassPath {
        static final Map<String, List<ModuleReference>> PHYXIUS_MODULES = findPhyxiusModules();
    }

    static Stream<String> publishedModules() {
        return PhyxiusArchitecture.MODULES.stream();
    }

    @Nested
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    class ThePublishedModules {

        @ParameterizedTest(name = "dev.phyxius.{0} is on the class path once, as a named module")
        @MethodSource("dev.phyxius.tests.architecture.ModuleDescriptorTest#publishedModules")
        void isOnTheClassPathOnceAsANamedModule(String module) {
            List<ModuleReference> found = OnClassPath.PHYXIUS_MODULES.getOrDefault("dev.phyxius." + module, List.of());
            assertEquals(
                    1,
                    found.size(),
                    () -> "dev.phyxius." + module + " should be on the test class path exactly once"
                            + " (is it a dependency of phyxius-tests, with a module-info?); found at "
                            + found.stream()
                                    .map(reference -> reference.location().orElseThrow())
                                    .toList()
                            + "; Phyxius modules found: " + OnClassPath.PHYXIUS_MODULES.keySet());
        }

        @ParameterizedTest(name = "dev.phyxius.{0} exports only its API and requires only what it may")
        @MethodSource("dev.phyxius.tests.architecture.ModuleDescriptorTest#publishedModules")
        void exportsOnlyItsApiAndRequiresOnlyWhatItMay(String module) {
            for (ModuleReference reference :
                    OnClassPath.PHYXIUS_MODULES.getOrDefault("dev.phyxius." + module, List.of())) {
                assertEquals(
                        List.of(),
                        ModuleDescriptorRules.violations(module, reference.descriptor()),
                        () -> "module-info of " + reference.location().orElseThrow());
            }
        }
    }

    /**
     * Every package a module does not export to all says so in its package documentation, so
     * that a reader knows what they may depend on: {@code <b>Internal</b>} or {@code <b>SPI</b>}
     * (exported only to siblings). Read from the sources beside this module.
     */
    @ParameterizedTest(name = "dev.phyxius.{0} labels each package it keeps to itself or its siblings")
    @MethodSource("publishedModules")
    void labelsEachPackageItDoesNotExportToAll(String module) throws IOException {
        Path repository = Path.of("").toAbsolutePath().getParent();
        for (ModuleReference reference : OnClassPath.PHYXIUS_MODULES.getOrDefault("dev.phyxius." + module, List.of())) {
            ModuleDescriptor descriptor = reference.descriptor();
            Set<String> api = new HashSet<>();
            Set<String> spi = new HashSet<>();
            for (ModuleDescriptor.Exports export : descriptor.exports()) {
                (export.isQualified() ? spi : api).add(export.source());
            }
            for (String pkg : descriptor.packages()) {
                if (api.contains(pkg)) {
                    continue;
                }
                String label = spi.contains(pkg) ? "<b>SPI</b>" : "<b>Internal</b>";
                Path doc = packageInfo(repository, pkg);
                assertTrue(doc != null, () -> pkg + " has no package-info.java saying " + label);
                String text = Files.readString(doc);
                assertTrue(text.contains(label), () -> doc + " should say " + label);
            }
        }
    }

    /** The {@code package-info.java} of {@code pkg} in any module's main sources, or null. */
    private static Path packageInfo(Path repository, String pkg) throws IOException {
        try (Stream<Path> modules = Files.list(repository)) {
            return modules.map(dir -> dir.resolve("src/main/java")
                            .resolve(pkg.replace('.', '/'))
                            .resolve("package-info.java"))
                    .filter(Files::isRegularFile)
                    .findFirst()
                    .orElse(null);
        }
    }

    @Nested
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    class TheRules {

        @Test
        void acceptAModuleThatExportsItsApiAndGivesItsSpiOnlyToSiblings() {
            ModuleDescriptor process = ModuleDescriptor.newModule("dev.phyxius.process")
                    .requires(Set.of(Requires.Modifier.TRANSITIVE), "dev.phyxius.clock")
                    .exports("dev.phyxius.process")
                    .exports("dev.phyxius.process.spi", Set.of("dev.phyxius.supervisor"))
                    .packages(Set.of("dev.phyxius.process.internal"))
                    .build();
            assertEquals(List.of(), ModuleDescriptorRules.violations("process", process));
        }

        @Test
        void acceptOptionalThirdPartyAndJdkModulesOutsideTheCore() {
            ModuleDescriptor observability = ModuleDescriptor.newModule("dev.phyxius.observability")
                    .requires(Set.of(Requires.Modifier.TRANSITIVE), "dev.phyxius.supervisor")
                    .requires("jdk.jfr")
                    .requires(Set.of(Requires.Modifier.STATIC), "io.opentelemetry.api")
                    .exports("dev.phyxius.observability")
                    .build();
            assertEquals(List.of(), ModuleDescriptorRules.violations("observability", observability));
        }

        @Test
        void reportAnInternalPackageExportedToEveryModule() {
            ModuleDescriptor clock = ModuleDescriptor.newModule("dev.phyxius.clock")
                    .exports("dev.phyxius.clock")
                    .exports("dev.phyxius.clock.internal")
                    .build();
            assertReported(
                    ModuleDescriptorRules.violations("clock", clock),
                    "exports dev.phyxius.clock.internal to every module");
        }

        @Test
        void reportAnSpiExportedToEveryModule() {
            ModuleDescriptor process = ModuleDescriptor.newModule("dev.phyxius.process")
                    .exports("dev.phyxius.process.spi")
                    .build();
            assertReported(
                    ModuleDescriptorRules.violations("process", process),
                    "exports dev.phyxius.process.spi to every module");
        }

        @Test
        void reportAQualifiedExportToAModuleOutsidePhyxius() {
            ModuleDescriptor process = ModuleDescriptor.newModule("dev.phyxius.process")
                    .exports("dev.phyxius.process.spi", Set.of("dev.phyxius.supervisor", "com.example.app"))
                    .build();
            assertReported(
                    ModuleDescriptorRules.violations("process", process),
                    "exports dev.phyxius.process.spi to com.example.app");
        }

        @Test
        void reportAPackageOutsideTheModulesNamespace() {
            ModuleDescriptor clock = ModuleDescriptor.newModule("dev.phyxius.clock")
                    .exports("dev.phyxius.clock")
                    .packages(Set.of("dev.phyxius.process"))
                    .build();
            assertReported(
                    ModuleDescriptorRules.violations("clock", clock),
                    "contains package dev.phyxius.process, outside its namespace dev.phyxius.clock");
        }

        @Test
        void reportACoreModuleThatRequiresAModuleOtherThanJavaBaseOrPhyxius() {
            ModuleDescriptor process = ModuleDescriptor.newModule("dev.phyxius.process")
                    .requires("dev.phyxius.clock")
                    .requires(Set.of(Requires.Modifier.STATIC), "io.opentelemetry.api")
                    .requires("java.logging")
                    .build();
            List<String> violations = ModuleDescriptorRules.violations("process", process);
            assertReported(violations, "requires static io.opentelemetry.api");
            assertReported(violations, "requires java.logging");
            assertEquals(2, violations.size(), () -> "java.base and dev.phyxius.clock are allowed: " + violations);
        }

        @Test
        void reportAModuleWithAnotherName() {
            ModuleDescriptor clock = ModuleDescriptor.newModule("phyxius.clock").build();
            assertReported(
                    ModuleDescriptorRules.violations("clock", clock),
                    "module phyxius.clock should be named dev.phyxius.clock");
        }

        @Test
        void reportAnAutomaticModule() {
            ModuleDescriptor clock = ModuleDescriptor.newAutomaticModule("dev.phyxius.clock")
                    .packages(Set.of("dev.phyxius.clock"))
                    .build();
            assertReported(ModuleDescriptorRules.violations("clock", clock), "is an automatic module");
        }

        @Test
        void reportAnOpenModule() {
            ModuleDescriptor clock = ModuleDescriptor.newOpenModule("dev.phyxius.clock")
                    .exports("dev.phyxius.clock")
                    .build();
            assertReported(ModuleDescriptorRules.violations("clock", clock), "is an open module");
        }

        @Test
        void reportAnInternalPackageOpenedToEveryModule() {
            ModuleDescriptor clock = ModuleDescriptor.newModule("dev.phyxius.clock")
                    .opens("dev.phyxius.clock.internal")
                    .build();
            assertReported(
                    ModuleDescriptorRules.violations("clock", clock),
                    "opens dev.phyxius.clock.internal to every module");
        }
    }

    /** Asserts that one of the violations says {@code expected}. */
    private static void assertReported(List<String> violations, String expected) {
        assertTrue(
                violations.stream().anyMatch(violation -> violation.contains(expected)),
                () -> "expected a violation saying \"" + expected + "\", got " + violations);
    }

    /** Every Phyxius module on the class path, by name, with where each copy was found. */
    private static Map<String, List<ModuleReference>> findPhyxiusModules() {
        Map<String, List<ModuleReference>> modules = new TreeMap<>();
        try {
            for (URL url :
                    Collections.list(ModuleDescriptorTest.class.getClassLoader().getResources("module-info.class"))) {
                String name;
                try (InputStream in = url.openStream()) {
                    // Reading the bare descriptor is enough to know the name; only Phyxius
                    // roots are then opened with a ModuleFinder.
                    name = ModuleDescriptor.read(in).name();
                }
                if (name.startsWith(PhyxiusArchitecture.ROOT + ".")) {
                    ModuleReference reference =
                            ModuleFinder.of(rootOf(url)).find(name).orElseThrow();
                    modules.computeIfAbsent(name, n -> new ArrayList<>()).add(reference);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return modules;
    }

    /** The class-path root a top-level {@code module-info.class} was found in: a jar or a directory. */
    private static Path rootOf(URL moduleInfo) {
        try {
            return switch (moduleInfo.getProtocol()) {
                // jar:file:/.../x.jar!/module-info.class
                case "jar" -> {
                    String spec = moduleInfo.toURI().getRawSchemeSpecificPart();
                    yield Path.of(new URI(spec.substring(0, spec.indexOf("!/"))));
                }
                // file:/.../classes/module-info.class
                case "file" -> Path.of(moduleInfo.toURI()).getParent();
                default ->
                    throw new IllegalStateException("module-info.class found in an unexpected place: " + moduleInfo);
            };
        } catch (URISyntaxException e) {
            throw new IllegalStateException("not a URI: " + moduleInfo, e);
        }
    }
}

package dev.phyxius.jmc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openjdk.jmc.flightrecorder.rules.IRule;

/**
 * The {@code jmc-dropin} jar is what JMC's dropins folder needs: an OSGi bundle that requires
 * JMC's bundles, registers with the rule provider extension point, lists its rules as services,
 * and carries the analysis but none of JMC's classes. JMC's OSGi runtime is not on Maven
 * Central, so the bundle's loading is shown with a plain loader over the jar and JMC's libraries.
 */
@Timeout(60)
class DropinBundleIT {

    static final Path JAR = Path.of(System.getProperty("dropin.jar", "target/none.jar"));

    @Test
    void isAnOsgiBundleThatRequiresJmcAndRegistersItsRules() throws Exception {
        assertTrue(Files.isRegularFile(JAR), JAR + " was not built");
        try (JarFile jar = new JarFile(JAR.toFile())) {
            Attributes manifest = jar.getManifest().getMainAttributes();
            assertEquals("2", manifest.getValue("Bundle-ManifestVersion"));
            assertEquals("dev.phyxius.jmc;singleton:=true", manifest.getValue("Bundle-SymbolicName"));
            assertEquals(
                    "org.openjdk.jmc.common,org.openjdk.jmc.flightrecorder,org.openjdk.jmc.flightrecorder.rules",
                    manifest.getValue("Require-Bundle"));
            assertTrue(new String(jar.getInputStream(jar.getEntry("plugin.xml")).readAllBytes())
                    .contains("point=\"org.openjdk.jmc.flightrecorder.rules.ruleProvider\""));
            String services = new String(
                    jar.getInputStream(jar.getEntry("META-INF/services/org.openjdk.jmc.flightrecorder.rules.IRule"))
                            .readAllBytes());
            assertEquals(
                    6,
                    services.lines()
                            .filter(l -> l.startsWith("dev.phyxius.jmc."))
                            .count(),
                    services);
            assertNotNull(jar.getEntry("dev/phyxius/analysis/spi/RecordingFacts.class"), "the analysis is inside");
            assertFalse(jar.stream().anyMatch(e -> e.getName().startsWith("org/openjdk/jmc/")), "JMC comes from JMC");
            assertFalse(jar.stream().anyMatch(e -> e.getName().endsWith("module-info.class")));
        }
    }

    @Test
    void itsRulesLoadFromTheJarAloneBesideJmcsLibraries() throws Exception {
        List<URL> urls = new ArrayList<>();
        urls.add(JAR.toUri().toURL());
        // JMC's jars, as the test class path has them (the loader's parent sees none of ours).
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (entry.contains("org/openjdk/jmc") || entry.contains("owasp") || entry.contains("lz4")) {
                urls.add(Path.of(entry).toUri().toURL());
            }
        }
        try (URLClassLoader loader =
                new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            Class<?> ruleType = loader.loadClass(IRule.class.getName());
            List<String> names = new ArrayList<>();
            for (Object rule : ServiceLoader.load(ruleType, loader)) {
                names.add(rule.getClass().getName());
                assertEquals(loader, rule.getClass().getClassLoader(), "loaded from the dropin jar");
            }
            assertEquals(
                    6,
                    names.stream().filter(n -> n.startsWith("dev.phyxius.jmc.")).count(),
                    names::toString);
        }
    }
}

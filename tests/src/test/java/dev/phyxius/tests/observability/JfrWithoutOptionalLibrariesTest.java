package dev.phyxius.tests.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.module.ResolvedModule;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JFR part must work where neither OpenTelemetry nor Micrometer exists: a jlink-ed runtime,
 * or an application that never added them. Both libraries are on this test's class path, so the
 * scenario runs in a class loader that sees only the Phyxius modules and the JDK, and records
 * every class it is asked for.
 */
@Timeout(30)
class JfrWithoutOptionalLibrariesTest {

    @TempDir
    Path dir;

    /** A loader over Phyxius and the test classes, parented by the platform loader (the JDK). */
    static final class IsolatedLoader extends URLClassLoader {
        final List<String> requested = new CopyOnWriteArrayList<>();

        IsolatedLoader(List<Path> paths) {
            super("phyxius-only", urls(paths), ClassLoader.getPlatformClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            requested.add(name);
            return super.loadClass(name, resolve);
        }

        private static URL[] urls(List<Path> paths) {
            return paths.stream()
                    .map(path -> {
                        try {
                            return path.toUri().toURL();
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    })
                    .toArray(URL[]::new);
        }
    }

    /** The class path entries that hold a dev.phyxius module (jars or class directories). */
    static List<Path> phyxiusModules() {
        List<Path> found = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path path = Path.of(entry);
            if (!Files.exists(path)) {
                continue;
            }
            boolean phyxius;
            try {
                phyxius = ModuleFinder.of(path).findAll().stream()
                        .map(ModuleReference::descriptor)
                        .anyMatch(d -> !d.isAutomatic() && d.name().startsWith("dev.phyxius."));
            } catch (RuntimeException notAModule) {
                phyxius = false;
            }
            if (phyxius) {
                found.add(path);
            }
        }
        return found;
    }

    static Path testClasses() throws Exception {
        return Path.of(JfrOnlyScenario.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI());
    }

    @Test
    void theJfrPartRecordsEventsWithoutLoadingAnyOpenTelemetryOrMicrometerClass() throws Exception {
        List<Path> paths = new ArrayList<>(phyxiusModules());
        paths.add(testClasses());
        Path file = dir.resolve("jfr-only.jfr");
        String id;
        try (IsolatedLoader loader = new IsolatedLoader(paths);
                Recording recording = new Recording()) {
            assertThrows(
                    ClassNotFoundException.class,
                    () -> loader.loadClass("io.opentelemetry.api.OpenTelemetry"),
                    "the isolated loader must not see OpenTelemetry, or this test proves nothing");
            loader.requested.clear(); // that probe was the test's own request
            recording.enable("dev.phyxius.MessageHandled");
            recording.enable("dev.phyxius.ProcessStarted");
            recording.enable("dev.phyxius.ProcessStopped");
            recording.start();
            @SuppressWarnings("unchecked")
            Callable<String> scenario = (Callable<String>) loader.loadClass(JfrOnlyScenario.class.getName())
                    .getDeclaredConstructor()
                    .newInstance();
            id = scenario.call();
            recording.stop();
            recording.dump(file);

            List<String> foreign = loader.requested.stream()
                    .filter(name -> name.startsWith("io.opentelemetry.")
                            || name.startsWith("io.micrometer.")
                            || name.startsWith("dev.phyxius.observability.otel.")
                            || name.startsWith("dev.phyxius.observability.micrometer."))
                    .distinct()
                    .toList();
            assertEquals(List.of(), foreign);
            assertTrue(
                    loader.requested.contains("dev.phyxius.observability.jfr.PhyxiusFlightRecording"),
                    "the scenario ran the JFR bridge from the isolated loader");
        }

        List<RecordedEvent> ours = RecordingFile.readAllEvents(file).stream()
                .filter(e -> id.equals(e.getString("processId")))
                .toList();
        assertEquals(
                List.of(
                        "dev.phyxius.ProcessStarted",
                        "dev.phyxius.MessageHandled",
                        "dev.phyxius.MessageHandled",
                        "dev.phyxius.MessageHandled",
                        "dev.phyxius.ProcessStopped"),
                ours.stream()
                        .sorted(java.util.Comparator.comparing(RecordedEvent::getEndTime))
                        .map(e -> e.getEventType().getName())
                        .toList());
    }

    @Test
    void theJfrPartRunsAsNamedModulesInALayerWithOnlyPhyxiusAndTheJdk() throws Exception {
        // As in a jlink-ed runtime: the modules resolve without OpenTelemetry or Micrometer
        // (requires static), and the JFR events are written from inside the named module.
        ModuleFinder phyxius = ModuleFinder.of(phyxiusModules().toArray(Path[]::new));
        Configuration configuration = ModuleLayer.boot()
                .configuration()
                .resolve(phyxius, ModuleFinder.of(), Set.of("dev.phyxius.observability"));
        List<String> resolved = configuration.modules().stream()
                .map(ResolvedModule::name)
                .sorted()
                .toList();
        assertTrue(resolved.contains("dev.phyxius.observability"), resolved::toString);
        assertFalse(
                resolved.stream().anyMatch(name -> name.startsWith("io.") || name.startsWith("micrometer")),
                resolved::toString);
        ModuleLayer layer =
                ModuleLayer.boot().defineModulesWithOneLoader(configuration, ClassLoader.getPlatformClassLoader());
        Path file = dir.resolve("layer.jfr");
        String id;
        // The scenario is in the unnamed module of a child loader, like an application on the
        // class path of that runtime; every Phyxius class it uses comes from the layer.
        try (URLClassLoader application = new URLClassLoader(
                        "application",
                        new URL[] {testClasses().toUri().toURL()},
                        layer.findLoader("dev.phyxius.observability"));
                Recording recording = new Recording()) {
            recording.enable("dev.phyxius.MessageHandled");
            recording.start();
            Class<?> scenarioClass = application.loadClass(JfrOnlyScenario.class.getName());
            assertEquals(
                    "dev.phyxius.observability",
                    application
                            .loadClass("dev.phyxius.observability.PhyxiusObservability")
                            .getModule()
                            .getName());
            @SuppressWarnings("unchecked")
            Callable<String> scenario =
                    (Callable<String>) scenarioClass.getDeclaredConstructor().newInstance();
            id = scenario.call();
            recording.stop();
            recording.dump(file);
        }

        long handled = RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals("dev.phyxius.MessageHandled"))
                .filter(e -> id.equals(e.getString("processId")))
                .count();
        assertEquals(3, handled);
    }
}

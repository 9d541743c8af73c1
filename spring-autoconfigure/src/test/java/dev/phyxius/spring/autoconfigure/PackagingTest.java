package dev.phyxius.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phyxius.spring.autoconfigure.actuate.PhyxiusEndpointAutoConfiguration;
import dev.phyxius.spring.autoconfigure.actuate.PhyxiusHealthContributorAutoConfiguration;
import dev.phyxius.spring.autoconfigure.observability.PhyxiusObservabilityAutoConfiguration;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.configurationmetadata.ConfigurationMetadataProperty;
import org.springframework.boot.configurationmetadata.ConfigurationMetadataRepository;
import org.springframework.boot.configurationmetadata.ConfigurationMetadataRepositoryJsonBuilder;
import org.springframework.boot.configurationmetadata.ValueHint;

/**
 * What this module ships besides classes, read from its own output only (never from Spring Boot's
 * jars on the same class path): the auto-configuration imports file, the configuration metadata
 * IDEs complete {@code phyxius.*} from, and the condition metadata Spring Boot reads before loading
 * a class.
 */
@Timeout(30)
class PackagingTest {

    private static final List<Class<?>> AUTO_CONFIGURATIONS = List.of(
            PhyxiusAutoConfiguration.class,
            PhyxiusObservabilityAutoConfiguration.class,
            PhyxiusHealthContributorAutoConfiguration.class,
            PhyxiusEndpointAutoConfiguration.class);

    /** A loader that sees this module's output and nothing else. */
    private static InputStream ownResource(String name) throws IOException {
        URL location =
                PhyxiusProperties.class.getProtectionDomain().getCodeSource().getLocation();
        URLClassLoader loader = new URLClassLoader(new URL[] {location}, null);
        InputStream in = loader.getResourceAsStream(name);
        assertThat(in).as(name + " in " + location).isNotNull();
        return in;
    }

    private static ConfigurationMetadataRepository metadata() throws IOException {
        try (InputStream in = ownResource("META-INF/spring-configuration-metadata.json")) {
            return ConfigurationMetadataRepositoryJsonBuilder.create(in).build();
        }
    }

    @Test
    void theImportsFileListsEveryAutoConfigurationAndNothingElse() throws IOException {
        String imports;
        try (InputStream in =
                ownResource("META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports")) {
            imports = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Set<String> listed = imports.lines()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .collect(Collectors.toSet());
        assertThat(listed)
                .isEqualTo(AUTO_CONFIGURATIONS.stream().map(Class::getName).collect(Collectors.toSet()));
        for (Class<?> type : AUTO_CONFIGURATIONS) {
            assertThat(type.isAnnotationPresent(AutoConfiguration.class))
                    .as(type.getName())
                    .isTrue();
        }
    }

    @Test
    void theConditionMetadataNamesTheClassesEachAutoConfigurationNeeds() throws IOException {
        Properties conditions = new Properties();
        try (InputStream in = ownResource("META-INF/spring-autoconfigure-metadata.properties")) {
            conditions.load(in);
        }
        assertThat(conditions.getProperty(PhyxiusAutoConfiguration.class.getName() + ".ConditionalOnClass"))
                .isEqualTo("dev.phyxius.supervisor.Supervisor");
        assertThat(conditions.getProperty(
                        PhyxiusHealthContributorAutoConfiguration.class.getName() + ".ConditionalOnClass"))
                .contains("org.springframework.boot.health.contributor.HealthIndicator");
        assertThat(conditions.getProperty(
                        PhyxiusObservabilityAutoConfiguration.class.getName() + ".AutoConfigureBefore"))
                .isEqualTo(PhyxiusAutoConfiguration.class.getName());
    }

    @Test
    void everyPhyxiusPropertyIsDocumentedForIdesWithItsTypeAndDefault() throws IOException {
        Map<String, ConfigurationMetadataProperty> properties = metadata().getAllProperties();
        Map<String, String> expected = Map.ofEntries(
                Map.entry("phyxius.enabled", "true"),
                Map.entry("phyxius.supervisor.id", "null"),
                Map.entry("phyxius.supervisor.strategy", "one-for-one"),
                Map.entry("phyxius.supervisor.max-restarts", "3"),
                Map.entry("phyxius.supervisor.within", "5s"),
                Map.entry("phyxius.supervisor.backoff.initial", "null"),
                Map.entry("phyxius.supervisor.backoff.max", "30s"),
                Map.entry("phyxius.supervisor.backoff.factor", "2"),
                Map.entry("phyxius.supervisor.backoff.jitter", "0"),
                Map.entry("phyxius.supervisor.backoff.jitter-seed", "null"),
                Map.entry("phyxius.jfr.enabled", "true"),
                Map.entry("phyxius.observation.enabled", "true"),
                Map.entry("phyxius.observation.start-for", "null"),
                Map.entry("phyxius.opentelemetry.enabled", "null"),
                Map.entry("phyxius.opentelemetry.start-traces-for", "null"),
                Map.entry("phyxius.opentelemetry.link-to-sender-span", "false"),
                Map.entry("phyxius.metrics.enabled", "true"));
        Set<String> phyxius = properties.keySet().stream()
                .filter(name -> name.startsWith("phyxius."))
                .collect(Collectors.toSet());
        assertThat(phyxius).as("documented phyxius.* properties").isEqualTo(expected.keySet());
        expected.forEach((name, defaultValue) -> {
            ConfigurationMetadataProperty property = properties.get(name);
            assertThat(property.getDescription())
                    .as(name + " has a description")
                    .isNotBlank();
            assertThat(property.getType()).as(name + " has a type").isNotBlank();
            assertThat(String.valueOf(property.getDefaultValue()))
                    .as(name + " default")
                    .isEqualTo(defaultValue);
        });
        assertThat(properties.get("phyxius.supervisor.within").getType()).isEqualTo("java.time.Duration");
    }

    @Test
    void theHealthSwitchAndTheEndpointAreDocumentedToo() throws IOException {
        Map<String, ConfigurationMetadataProperty> properties = metadata().getAllProperties();
        assertThat(properties).containsKeys("management.health.phyxius.enabled", "management.endpoint.phyxius.access");
        assertThat(properties.get("management.health.phyxius.enabled").getDefaultValue())
                .isEqualTo(true);
    }

    @Test
    void theProcessNameListsHintTheWildcard() throws IOException {
        Map<String, ConfigurationMetadataProperty> properties = metadata().getAllProperties();
        for (String name : List.of("phyxius.observation.start-for", "phyxius.opentelemetry.start-traces-for")) {
            List<ValueHint> hints = properties.get(name).getHints().getValueHints();
            assertThat(hints).extracting(ValueHint::getValue).as(name).containsExactly("*");
        }
    }
}

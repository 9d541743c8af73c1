package dev.phyxius.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.phyxius.observability.PhyxiusObservability;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.ProcessStatus;
import dev.phyxius.process.Reply;
import dev.phyxius.spring.autoconfigure.actuate.PhyxiusEndpointAutoConfiguration;
import dev.phyxius.spring.autoconfigure.actuate.PhyxiusHealthContributorAutoConfiguration;
import dev.phyxius.spring.autoconfigure.observability.PhyxiusObservabilityAutoConfiguration;
import dev.phyxius.supervisor.Supervisor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The starter in an application that has none of OpenTelemetry, Micrometer (meters, observations,
 * tracing) and Actuator: their classes are hidden from the context, as if they were not on the
 * class path, while Spring Boot's own auto-configurations for them are listed and must skip.
 */
@Timeout(30)
class WithoutOptionalLibrariesTest {

    private static final AutoConfigurations EVERYTHING = AutoConfigurations.of(
            PhyxiusAutoConfiguration.class, PhyxiusObservabilityAutoConfiguration.class,
            PhyxiusHealthContributorAutoConfiguration.class, PhyxiusEndpointAutoConfiguration.class,
            ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
            CompositeMeterRegistryAutoConfiguration.class, MicrometerTracingAutoConfiguration.class,
            OpenTelemetrySdkAutoConfiguration.class, OpenTelemetryTracingAutoConfiguration.class);

    record Ask(Reply<Integer> reply) {}

    static ProcessSpec<Object, Integer, Void> counter(List<String> stops) {
        return ProcessSpec.<Object, Integer>named("counter")
                .init(() -> 0)
                .handler((count, msg, tools) -> {
                    if (msg instanceof Ask ask) {
                        ask.reply().send(count);
                        return count;
                    }
                    return count + 1;
                })
                .onStop((count, reason, ctx) -> stops.add("counter " + reason))
                .build();
    }

    @Test
    void theSupervisorAndJfrWorkWithNoneOfOpenTelemetryMicrometerOrActuator() {
        List<String> stops = new CopyOnWriteArrayList<>();
        Supervisor[] supervisor = new Supervisor[1];
        new ApplicationContextRunner()
                .withClassLoader(new FilteredClassLoader(
                        "io.opentelemetry.",
                        "io.micrometer.",
                        "org.springframework.boot.actuate.",
                        "org.springframework.boot.health."))
                .withConfiguration(EVERYTHING)
                .run(context -> {
                    assertThat(context)
                            .hasNotFailed()
                            .hasSingleBean(Supervisor.class)
                            .hasSingleBean(PhyxiusObservability.class)
                            .doesNotHaveBean("phyxiusHealthIndicator")
                            .doesNotHaveBean("phyxiusEndpoint")
                            .doesNotHaveBean("phyxiusObservationInstrumentation")
                            .doesNotHaveBean("phyxiusMeters")
                            .doesNotHaveBean("phyxiusOpenTelemetry");
                    supervisor[0] = context.getBean(Supervisor.class);
                    ProcessRef<Object> counter = supervisor[0].spawn(counter(stops));
                    counter.send("one");
                    counter.send("two");
                    assertThat(counter.<Integer>ask(Ask::new, Duration.ofSeconds(5))
                                    .join())
                            .isEqualTo(2);
                });
        assertThat(stops).containsExactly("counter SHUTDOWN");
        assertThat(supervisor[0].snapshot().status()).isEqualTo(ProcessStatus.STOPPED);
    }

    @Test
    void theSupervisorWorksWithoutPhyxiusObservability() {
        new ApplicationContextRunner()
                .withClassLoader(new FilteredClassLoader("dev.phyxius.observability."))
                .withConfiguration(EVERYTHING)
                .run(context -> {
                    assertThat(context)
                            .hasNotFailed()
                            .hasSingleBean(Supervisor.class)
                            .doesNotHaveBean("phyxiusObservability");
                    ProcessRef<Object> counter =
                            context.getBean(Supervisor.class).spawn(counter(new CopyOnWriteArrayList<>()));
                    counter.send("one");
                    assertThat(counter.<Integer>ask(Ask::new, Duration.ofSeconds(5))
                                    .join())
                            .isEqualTo(1);
                });
    }
}

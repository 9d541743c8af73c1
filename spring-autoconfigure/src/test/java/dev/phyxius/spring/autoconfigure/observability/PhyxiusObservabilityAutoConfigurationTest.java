package dev.phyxius.spring.autoconfigure.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.phyxius.clock.Event;
import dev.phyxius.clock.EventSink;
import dev.phyxius.observability.PhyxiusObservability;
import dev.phyxius.observability.observation.DefaultProcessObservationConvention;
import dev.phyxius.observability.observation.PhyxiusObservationInstrumentation;
import dev.phyxius.observability.observation.ProcessObservationContext;
import dev.phyxius.observability.observation.ProcessObservationConvention;
import dev.phyxius.process.ProcessEvent;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.spring.autoconfigure.PhyxiusAutoConfiguration;
import dev.phyxius.supervisor.Supervisor;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Observability from what the context has: observations, spans, meters, JFR; and back-off. */
@Timeout(30)
class PhyxiusObservabilityAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(PhyxiusAutoConfiguration.class, PhyxiusObservabilityAutoConfiguration.class))
            .withBean(Events.class, Events::new);

    static final ProcessSpec<String, Integer, Void> ECHO = ProcessSpec.<String, Integer>named("echo")
            .init(() -> 0)
            .handler((count, msg, tools) -> count + 1)
            .build();

    /** Records process events, so that a test knows when a message was handled. */
    static final class Events implements EventSink {
        final List<Event> all = new CopyOnWriteArrayList<>();

        @Override
        public void emit(Event event) {
            all.add(event);
        }

        void awaitHandled(int count) {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> all.stream()
                                    .filter(ProcessEvent.MessageHandled.class::isInstance)
                                    .count()
                            >= count);
        }
    }

    private static ProcessRef<String> echo(AssertableApplicationContext context) {
        return context.getBean(Supervisor.class).spawn(ECHO);
    }

    @Nested
    class Observations {

        @Test
        void messagesSentInsideAnObservationAreObservedThroughTheContextsRegistry() {
            TestObservationRegistry registry = TestObservationRegistry.create();
            runner.withBean(ObservationRegistry.class, () -> registry).run(context -> {
                assertThat(context).hasSingleBean(PhyxiusObservationInstrumentation.class);
                ProcessRef<String> echo = echo(context);
                Observation request = Observation.start("request", registry);
                try (Observation.Scope ignored = request.openScope()) {
                    echo.send("hello");
                } finally {
                    request.stop();
                }
                context.getBean(Events.class).awaitHandled(1);
                TestObservationRegistryAssert.assertThat(registry)
                        .hasObservationWithNameEqualTo(DefaultProcessObservationConvention.NAME)
                        .that()
                        .hasParentObservationEqualTo(request)
                        .hasContextualNameEqualTo("process echo");
            });
        }

        @Test
        void aConventionBeanNamesTheObservations() {
            TestObservationRegistry registry = TestObservationRegistry.create();
            ProcessObservationConvention convention = new DefaultProcessObservationConvention() {
                @Override
                public String getName() {
                    return "echo.messages";
                }
            };
            runner.withBean(ObservationRegistry.class, () -> registry)
                    .withBean(ProcessObservationConvention.class, () -> convention)
                    .withPropertyValues("phyxius.observation.start-for=echo")
                    .run(context -> {
                        echo(context).send("unparented, but echo starts observations");
                        context.getBean(Events.class).awaitHandled(1);
                        TestObservationRegistryAssert.assertThat(registry)
                                .hasObservationWithNameEqualTo("echo.messages")
                                .that()
                                .doesNotHaveParentObservation();
                    });
        }

        @Test
        void areOffWithTheProperty() {
            runner.withBean(ObservationRegistry.class, TestObservationRegistry::create)
                    .withPropertyValues("phyxius.observation.enabled=false")
                    .run(context -> assertThat(context).doesNotHaveBean(PhyxiusObservationInstrumentation.class));
        }

        @Test
        void backOffForTheApplicationsOwnInstrumentation() {
            TestObservationRegistry registry = TestObservationRegistry.create();
            PhyxiusObservationInstrumentation mine =
                    PhyxiusObservationInstrumentation.builder(registry).build();
            runner.withBean(ObservationRegistry.class, () -> registry)
                    .withBean(PhyxiusObservationInstrumentation.class, () -> mine)
                    .run(context -> assertThat(context.getBean(PhyxiusObservationInstrumentation.class))
                            .isSameAs(mine));
        }
    }

    @Nested
    class OpenTelemetrySpans {

        private final InMemorySpanExporter spans = InMemorySpanExporter.create();

        private OpenTelemetry sdk() {
            return OpenTelemetrySdk.builder()
                    .setTracerProvider(SdkTracerProvider.builder()
                            .addSpanProcessor(SimpleSpanProcessor.create(spans))
                            .build())
                    .build();
        }

        @Test
        void comeFromTheApplicationsOpenTelemetryWithoutMicrometerTracing() {
            OpenTelemetry openTelemetry = sdk();
            runner.withBean(OpenTelemetry.class, () -> openTelemetry).run(context -> {
                ProcessRef<String> echo = echo(context);
                Span request =
                        openTelemetry.getTracer("test").spanBuilder("request").startSpan();
                try (Scope ignored = request.makeCurrent()) {
                    echo.send("hello");
                } finally {
                    request.end();
                }
                context.getBean(Events.class).awaitHandled(1);
                SpanData process = spans.getFinishedSpanItems().stream()
                        .filter(span -> span.getName().equals("process echo"))
                        .findFirst()
                        .orElseThrow();
                assertThat(process.getKind()).isEqualTo(SpanKind.CONSUMER);
                assertThat(process.getParentSpanId())
                        .isEqualTo(request.getSpanContext().getSpanId());
            });
        }

        @Test
        void startTracesForProcessesNamedInTheProperty() {
            OpenTelemetry openTelemetry = sdk();
            runner.withBean(OpenTelemetry.class, () -> openTelemetry)
                    .withPropertyValues("phyxius.opentelemetry.start-traces-for=*")
                    .run(context -> {
                        echo(context).send("no span around this send");
                        context.getBean(Events.class).awaitHandled(1);
                        assertThat(spans.getFinishedSpanItems())
                                .extracting(SpanData::getName)
                                .contains("process echo");
                    });
        }

        @Test
        void areOffWithTheProperty() {
            OpenTelemetry openTelemetry = sdk();
            runner.withBean(OpenTelemetry.class, () -> openTelemetry)
                    .withPropertyValues(
                            "phyxius.opentelemetry.enabled=false", "phyxius.opentelemetry.start-traces-for=*")
                    .run(context -> {
                        echo(context).send("hello");
                        context.getBean(Events.class).awaitHandled(1);
                        assertThat(spans.getFinishedSpanItems()).isEmpty();
                    });
        }

        private final ApplicationContextRunner springBootTracing = runner.withConfiguration(AutoConfigurations.of(
                        ObservationAutoConfiguration.class,
                        OpenTelemetrySdkAutoConfiguration.class,
                        OpenTelemetryTracingAutoConfiguration.class,
                        MicrometerTracingAutoConfiguration.class))
                .withBean(SpanProcessor.class, () -> SimpleSpanProcessor.create(spans))
                .withPropertyValues("management.tracing.sampling.probability=1.0");

        @Test
        void areLeftToObservationsWhenMicrometerTracingMakesThem() {
            springBootTracing.run(context -> {
                assertThat(context)
                        .hasSingleBean(OpenTelemetry.class)
                        .hasSingleBean(PhyxiusObservationInstrumentation.class);
                sendInsideAnObservation(context);
                assertThat(spans.getFinishedSpanItems())
                        .filteredOn(span -> span.getName().equals("process echo"))
                        .singleElement()
                        .satisfies(span -> assertThat(span.getKind()).isEqualTo(SpanKind.INTERNAL));
            });
        }

        @Test
        void areMadeBesideObservationsWhenAskedFor() {
            springBootTracing
                    .withPropertyValues("phyxius.opentelemetry.enabled=true")
                    .run(context -> {
                        sendInsideAnObservation(context);
                        await().atMost(Duration.ofSeconds(10))
                                .untilAsserted(() -> assertThat(spans.getFinishedSpanItems())
                                        .filteredOn(span -> span.getName().equals("process echo"))
                                        .extracting(SpanData::getKind)
                                        .containsExactlyInAnyOrder(SpanKind.INTERNAL, SpanKind.CONSUMER));
                    });
        }

        @Test
        void areMadeByPhyxiusWhenObservationsAreOff() {
            springBootTracing
                    .withPropertyValues("phyxius.observation.enabled=false")
                    .run(context -> {
                        sendInsideAnObservation(context);
                        await().atMost(Duration.ofSeconds(10))
                                .untilAsserted(() -> assertThat(spans.getFinishedSpanItems())
                                        .filteredOn(span -> span.getName().equals("process echo"))
                                        .singleElement()
                                        .satisfies(span ->
                                                assertThat(span.getKind()).isEqualTo(SpanKind.CONSUMER)));
                    });
        }

        private void sendInsideAnObservation(AssertableApplicationContext context) {
            ObservationRegistry registry = context.getBean(ObservationRegistry.class);
            ProcessRef<String> echo = echo(context);
            Observation request = Observation.start("request", registry);
            try (Observation.Scope ignored = request.openScope()) {
                echo.send("hello");
            } finally {
                request.stop();
            }
            context.getBean(Events.class).awaitHandled(1);
        }
    }

    @Nested
    class Meters {

        @Test
        void areRecordedInTheApplicationsRegistry() {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            runner.withBean(MeterRegistry.class, () -> registry).run(context -> {
                ProcessRef<String> echo = echo(context);
                echo.send("a");
                echo.send("b");
                context.getBean(Events.class).awaitHandled(2);
                assertThat(registry.get("phyxius.process.messages")
                                .tag("process", "echo")
                                .tag("outcome", "handled")
                                .counter()
                                .count())
                        .isEqualTo(2.0);
            });
        }

        @Test
        void areOffWithTheProperty() {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            runner.withBean(MeterRegistry.class, () -> registry)
                    .withPropertyValues("phyxius.metrics.enabled=false")
                    .run(context -> {
                        echo(context).send("a");
                        context.getBean(Events.class).awaitHandled(1);
                        assertThat(registry.find("phyxius.process.messages").counter())
                                .isNull();
                    });
        }
    }

    @Nested
    class FlightRecorder {

        @TempDir
        Path directory;

        private List<RecordedEvent> recordWhileHandling(ApplicationContextRunner configured) throws Exception {
            Path file = directory.resolve("phyxius.jfr");
            try (Recording recording = new Recording()) {
                recording.enable("dev.phyxius.MessageHandled");
                recording.start();
                configured.run(context -> {
                    echo(context).send("hello");
                    context.getBean(Events.class).awaitHandled(1);
                });
                recording.stop();
                recording.dump(file);
            }
            return RecordingFile.readAllEvents(file).stream()
                    .filter(event -> event.getEventType().getName().equals("dev.phyxius.MessageHandled"))
                    .filter(event -> "echo".equals(event.getString("processName")))
                    .toList();
        }

        @Test
        void eventsAreWrittenByDefault() throws Exception {
            assertThat(recordWhileHandling(runner)).hasSize(1);
        }

        @Test
        void eventsAreNotWrittenWhenOff() throws Exception {
            assertThat(recordWhileHandling(runner.withPropertyValues("phyxius.jfr.enabled=false")))
                    .isEmpty();
        }
    }

    @Test
    void theApplicationsOwnObservabilityReplacesTheWholeOfIt() {
        List<Event> forwarded = new CopyOnWriteArrayList<>();
        PhyxiusObservability mine =
                PhyxiusObservability.builder().forwardTo(forwarded::add).build();
        runner.withBean(PhyxiusObservability.class, () -> mine).run(context -> {
            assertThat(context.getBean(PhyxiusObservability.class)).isSameAs(mine);
            echo(context).send("hello");
            context.getBean(Events.class).awaitHandled(1);
            assertThat(forwarded).anyMatch(ProcessEvent.MessageHandled.class::isInstance);
        });
    }

    @Test
    void customizersAddToTheBuilder() {
        List<Event> forwarded = new CopyOnWriteArrayList<>();
        runner.withBean(PhyxiusObservabilityCustomizer.class, () -> builder -> builder.forwardTo(forwarded::add))
                .run(context -> {
                    echo(context).send("hello");
                    context.getBean(Events.class).awaitHandled(1);
                    assertThat(forwarded).anyMatch(ProcessEvent.MessageHandled.class::isInstance);
                });
    }

    @Test
    void aProcessObservationContextReachesTheConventionWithTheProcess() {
        TestObservationRegistry registry = TestObservationRegistry.create();
        List<String> seen = new CopyOnWriteArrayList<>();
        ProcessObservationConvention convention = new DefaultProcessObservationConvention() {
            @Override
            public String getContextualName(ProcessObservationContext context) {
                seen.add(context.processName() + ":" + context.message());
                return super.getContextualName(context);
            }
        };
        runner.withBean(ObservationRegistry.class, () -> registry)
                .withBean(ProcessObservationConvention.class, () -> convention)
                .withPropertyValues("phyxius.observation.start-for=*")
                .run(context -> {
                    echo(context).send("hi");
                    context.getBean(Events.class).awaitHandled(1);
                    assertThat(seen).contains("echo:hi");
                });
    }
}

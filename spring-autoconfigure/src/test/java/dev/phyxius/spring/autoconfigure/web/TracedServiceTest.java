package dev.phyxius.spring.autoconfigure.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.jayway.jsonpath.JsonPath;
import dev.phyxius.observability.observation.PhyxiusObservationInstrumentation;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

/**
 * The starter in a real service: Tomcat on a random port, real HTTP calls through a supervised
 * process, Spring Boot's OpenTelemetry SDK exporting to memory, and Actuator over HTTP.
 */
@SpringBootTest(
        classes = GreetingApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "management.tracing.sampling.probability=1.0",
            "management.endpoints.web.exposure.include=health,phyxius,metrics",
            "management.endpoint.health.show-details=always",
            // No collector here: nothing is pushed anywhere.
            "management.otlp.metrics.export.enabled=false",
            "management.tracing.export.otlp.enabled=false"
        })
@Timeout(60)
class TracedServiceTest {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    GreetingApplication.Spans spans;

    @BeforeEach
    void forgetEarlierSpans() {
        spans.exporter().reset();
    }

    @Test
    void anHttpRequestIsAnsweredByTheSupervisedProcess() throws Exception {
        HttpResponse<String> first = get("/greet/ada");
        HttpResponse<String> second = get("/greet/grace");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).startsWith("Hello, ada (#");
        assertThat(second.body()).startsWith("Hello, grace (#");
        assertThat(number(second.body())).isEqualTo(number(first.body()) + 1); // one process, one state
    }

    @Test
    void theHttpServerSpanIsTheParentOfTheProcessSpan() throws Exception {
        assertThat(get("/greet/ada").statusCode()).isEqualTo(200);

        SpanData server = awaitSpan(
                span -> span.getKind() == SpanKind.SERVER && span.getName().contains("/greet"));
        SpanData process = awaitSpan(span -> span.getName().equals("process greeter"));

        assertThat(process.getTraceId()).isEqualTo(server.getTraceId());
        assertThat(process.getParentSpanId()).isEqualTo(server.getSpanId());
        assertThat(process.getAttributes().get(AttributeKey.stringKey("messaging.destination.name")))
                .isEqualTo("greeter");
        assertThat(process.getAttributes().get(AttributeKey.stringKey("phyxius.message.type")))
                .isEqualTo("Greet");
        assertThat(process.getAttributes().get(AttributeKey.stringKey("phyxius.process.id")))
                .isNotBlank();
        // Micrometer Tracing makes the message's span from its observation; Phyxius's own
        // OpenTelemetry bridge stays off, so there is no second span for the same message.
        assertThat(spans.exporter().getFinishedSpanItems())
                .filteredOn(span -> span.getName().equals("process greeter"))
                .hasSize(1);
        assertThat(context.getBeansOfType(PhyxiusObservationInstrumentation.class))
                .hasSize(1);
    }

    @Test
    void theHealthEndpointReportsThePhyxiusContributorUpWithItsSupervisor() throws Exception {
        HttpResponse<String> health = get("/actuator/health");

        assertThat(health.statusCode()).isEqualTo(200);
        String body = health.body();
        assertThat(JsonPath.<String>read(body, "$.components.phyxius.status")).isEqualTo("UP");
        assertThat(JsonPath.<String>read(body, "$.components.phyxius.details.supervisors.phyxiusSupervisor.status"))
                .isEqualTo("RUNNING");
        assertThat(JsonPath.<Integer>read(body, "$.components.phyxius.details.supervisors.phyxiusSupervisor.children"))
                .isEqualTo(1);
    }

    @Test
    void thePhyxiusEndpointListsTheTreeAndCountsARestart() throws Exception {
        String before = get("/actuator/phyxius").body();
        int restarts = JsonPath.read(before, "$.supervisors.phyxiusSupervisor.children[0].restartCount");
        assertThat(JsonPath.<String>read(before, "$.supervisors.phyxiusSupervisor.children[0].name"))
                .isEqualTo("greeter");
        assertThat(JsonPath.<String>read(before, "$.supervisors.phyxiusSupervisor.strategy.type"))
                .isEqualTo("oneForOne");

        assertThat(post("/crash").body()).isEqualTo("sent");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String after = get("/actuator/phyxius").body();
            assertThat(JsonPath.<Integer>read(after, "$.supervisors.phyxiusSupervisor.children[0].restartCount"))
                    .isEqualTo(restarts + 1);
            assertThat(JsonPath.<String>read(after, "$.supervisors.phyxiusSupervisor.children[0].status"))
                    .isEqualTo("RUNNING");
        });
        assertThat(get("/greet/ada").body()).isEqualTo("Hello, ada (#1)"); // fresh state after the restart
        HttpResponse<String> one = get("/actuator/phyxius/phyxiusSupervisor");
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(JsonPath.<List<Object>>read(one.body(), "$.children")).hasSize(1);
        assertThat(get("/actuator/phyxius/noSuchSupervisor").statusCode()).isEqualTo(404);
    }

    @Test
    void theMetersOfMessagesAndOfTheirObservationsAreInTheApplicationsRegistry() throws Exception {
        get("/greet/ada");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            HttpResponse<String> handled =
                    get("/actuator/metrics/phyxius.process.messages?tag=process:greeter&tag=outcome:handled");
            assertThat(handled.statusCode()).isEqualTo(200);
            assertThat(JsonPath.<Double>read(handled.body(), "$.measurements[0].value"))
                    .isGreaterThanOrEqualTo(1.0);
            HttpResponse<String> observed =
                    get("/actuator/metrics/phyxius.message.process?tag=messaging.destination.name:greeter");
            assertThat(observed.statusCode()).isEqualTo(200);
        });
    }

    private SpanData awaitSpan(java.util.function.Predicate<SpanData> match) {
        return await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> spans.exporter().getFinishedSpanItems().stream()
                                .filter(match)
                                .findFirst(),
                        java.util.Optional::isPresent)
                .orElseThrow();
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(uri(path))
                        .timeout(Duration.ofSeconds(10))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(uri(path))
                        .timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private static int number(String greeting) {
        return Integer.parseInt(greeting.replaceAll(".*\\(#(\\d+)\\)$", "$1"));
    }
}

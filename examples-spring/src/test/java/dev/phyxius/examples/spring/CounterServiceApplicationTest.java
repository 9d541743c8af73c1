package dev.phyxius.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The example service, over real HTTP. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Timeout(60)
class CounterServiceApplicationTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    private HttpResponse<String> call(String method, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void incrementsAreAddedUpByTheSupervisedCounterAndReadBackByAnAsk() throws Exception {
        int before = total();
        assertThat(call("POST", "/counter/increment?by=4").statusCode()).isEqualTo(202);
        assertThat(call("POST", "/counter/increment?by=5").statusCode()).isEqualTo(202);
        // Messages from one sender are handled in the order sent, so the ask sees both increments.
        assertThat(total()).isEqualTo(before + 9);
    }

    @Test
    void theActuatorShowsTheCounterUnderTheConfiguredSupervisor() throws Exception {
        HttpResponse<String> tree = call("GET", "/actuator/phyxius");
        assertThat(tree.statusCode()).isEqualTo(200);
        assertThat(tree.body()).contains("\"id\":\"counter-service\"", "\"name\":\"counter\"", "\"maxRestarts\":3");
        String health = call("GET", "/actuator/health").body();
        assertThat(JsonPath.<String>read(health, "$.components.phyxius.status")).isEqualTo("UP");
        assertThat(JsonPath.<String>read(health, "$.components.phyxius.details.supervisors.phyxiusSupervisor.id"))
                .isEqualTo("counter-service");
    }

    private int total() throws Exception {
        String body = call("GET", "/counter").body();
        return Integer.parseInt(body.replaceAll("\\D", ""));
    }
}

package dev.phyxius.examples.spring;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.stereotype.Component;

/**
 * With {@code demo.enabled=true}: once the service accepts traffic (so that its health is UP),
 * calls it over HTTP as a user would,
 * prints each exchange, and shuts the application down (gracefully: the counter's queued messages
 * and its stop are reported as events, and the spans are flushed).
 */
@Component
@ConditionalOnBooleanProperty("demo.enabled")
class DemoClient implements ApplicationListener<ApplicationReadyEvent> {

    private final ConfigurableApplicationContext context;
    private final ApplicationAvailability availability;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final PrintStream out = System.out;

    DemoClient(ConfigurableApplicationContext context, ApplicationAvailability availability) {
        this.context = context;
        this.availability = availability;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        // On a thread of its own: Spring Boot marks the application as accepting traffic only
        // after this event's listeners have returned.
        Thread.ofPlatform().name("demo-client").start(() -> {
            try {
                demo();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private void demo() throws IOException, InterruptedException {
        while (availability.getReadinessState() != ReadinessState.ACCEPTING_TRAFFIC) {
            Thread.sleep(10); // a demo waiting for its own service to be ready, not a test
        }
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        String base = "http://localhost:" + port;
        out.println("== Phyxius Spring Boot demo on " + base);
        call("POST", base + "/counter/increment?by=2");
        call("POST", base + "/counter/increment?by=3");
        call("GET", base + "/counter");
        call("POST", base + "/counter/crash");
        awaitRestart(base);
        call("GET", base + "/counter");
        call("GET", base + "/actuator/health");
        call("GET", base + "/actuator/phyxius");
        out.println("== done: shutting down (the supervisor stops the counter in Spring's shutdown phase)");
        int code = SpringApplication.exit(context, () -> 0);
        out.println("== exited with " + code);
    }

    /** The crash is handled on the counter's thread: wait until the supervisor counted its restart. */
    private void awaitRestart(String base) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!get(base + "/actuator/phyxius").contains("\"restartCount\":1")) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the counter was not restarted within 10 s");
            }
            Thread.sleep(50); // a demo polling a live service over HTTP, not a test
        }
        out.println("   (the supervisor restarted the counter: fresh state, same ref)");
    }

    private String get(String uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(uri)).GET().build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private void call(String method, String uri) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(uri))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(10))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        out.println("-> " + method + " " + uri.substring(uri.indexOf('/', "http://".length())));
        out.println("<- " + response.statusCode() + " " + response.body());
    }
}

package dev.phyxius.examples.traced;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.phyxius.clock.Clock;
import dev.phyxius.observability.PhyxiusObservability;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.Reply;
import dev.phyxius.supervisor.Backoff;
import dev.phyxius.supervisor.SupervisionStrategy;
import dev.phyxius.supervisor.Supervisor;
import dev.phyxius.supervisor.SupervisorOptions;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.logging.LoggingSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import jdk.jfr.Recording;

/**
 * A small traced service: a JDK {@link HttpServer} on loopback whose requests are answered by a
 * supervised process. Spans go to an OpenTelemetry SDK with a logging exporter (the process's
 * {@code process greeter} spans are children of each request's {@code GET /hello} span), meters
 * to a Micrometer registry, and a JFR recording is written at exit. One request crashes the
 * process on purpose, to show the restart in spans, meters and JFR.
 */
public final class TracedService {

    sealed interface Msg {}

    record Greet(String name, Reply<String> reply) implements Msg {}

    private TracedService() {}

    static ProcessSpec<Msg, Integer, Void> greeter() {
        return ProcessSpec.<Msg, Integer>named("greeter")
                .init(() -> 0)
                .handler((served, msg, tools) -> switch (msg) {
                    case Greet greet
                    when greet.name().equals("crash") -> throw new IllegalStateException("asked to crash");
                    case Greet greet -> {
                        greet.reply().send("hello " + greet.name() + " (#" + (served + 1) + " since start)");
                        yield served + 1;
                    }
                })
                .build();
    }

    /**
     * Runs the service, sends it a few requests, prints what was observed and exits.
     *
     * @param args optional: where to write the JFR recording (default {@code traced-service.jfr})
     * @throws Exception if the server cannot start or a request cannot be sent
     */
    public static void main(String[] args) throws Exception {
        Path jfrFile = Path.of(args.length > 0 ? args[0] : "traced-service.jfr");
        SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(LoggingSpanExporter.create()))
                .build();
        OpenTelemetrySdk otel =
                OpenTelemetrySdk.builder().setTracerProvider(tracerProvider).build();
        Tracer tracer = otel.getTracer("traced-service");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        PhyxiusObservability observability = PhyxiusObservability.builder()
                .openTelemetry(otel)
                .meterRegistry(registry)
                .jfr(true)
                .build();

        try (Recording recording = new Recording();
                Supervisor supervisor = new Supervisor(observability.apply(SupervisorOptions.of(Clock.system())
                        .withStrategy(SupervisionStrategy.oneForOne()
                                .withBackoff(
                                        Backoff.exponential(Duration.ofMillis(50), Duration.ofSeconds(1), 2.0)))))) {
            recording.enable("dev.phyxius.MessageHandled");
            recording.enable("dev.phyxius.ProcessFailed");
            recording.enable("dev.phyxius.ProcessRestarted");
            recording.start();

            ProcessRef<Msg> greeter = supervisor.spawn(greeter());
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/hello", exchange -> handle(exchange, tracer, greeter));
            server.start();
            URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hello?name=");
            try (HttpClient client = HttpClient.newHttpClient()) {
                for (String name : new String[] {"ada", "grace", "crash", "linus"}) {
                    HttpResponse<String> response = client.send(
                            HttpRequest.newBuilder(base.resolve(base.getRawPath() + "?name=" + name))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    System.out.println(
                            "GET /hello?name=" + name + " -> " + response.statusCode() + " " + response.body());
                }
            }
            server.stop(0);
            recording.stop();
            recording.dump(jfrFile);
        }
        tracerProvider.close();
        System.out.println();
        System.out.println("Meters:");
        for (Meter meter : registry.getMeters()) {
            meter.measure()
                    .forEach(m -> System.out.printf(
                            "  %-36s %-14s %s%n",
                            meter.getId().getName(),
                            meter.getId().getTag("process"),
                            m.getStatistic() + "=" + m.getValue()));
        }
        System.out.println("JFR recording written to " + jfrFile.toAbsolutePath()
                + " (open it in JDK Mission Control, or: jfr print --events 'dev.phyxius.*' " + jfrFile + ")");
    }

    private static void handle(HttpExchange exchange, Tracer tracer, ProcessRef<Msg> greeter) throws IOException {
        String query = exchange.getRequestURI().getQuery();
        String name = query == null ? "world" : query.replaceFirst("^name=", "");
        Span span =
                tracer.spanBuilder("GET /hello").setSpanKind(SpanKind.SERVER).startSpan();
        int status;
        String body;
        try (Scope ignored = span.makeCurrent()) {
            // The ask captures this span as the message's trace context.
            body = greeter.<String>ask(reply -> new Greet(name, reply), Duration.ofSeconds(2))
                    .join();
            status = 200;
        } catch (CompletionException failed) {
            span.setStatus(StatusCode.ERROR);
            body = "greeter failed: " + failed.getCause().getMessage();
            status = 500;
        } finally {
            span.end();
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}

package dev.phyxius.spring.autoconfigure.web;

import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.Reply;
import dev.phyxius.supervisor.Supervisor;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A traced Spring Boot service as a user would write it: the starter's beans, Spring Boot's
 * OpenTelemetry support, Spring MVC, Actuator, and one supervised process behind an endpoint.
 * Spans go to an in-memory exporter as they end.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(GreetingApplication.GreetingController.class)
public class GreetingApplication {

    /**
     * Every span the application ends, exported synchronously. A holder, not a
     * {@code SpanExporter} bean: Spring Boot would also hand that to its batching processor, and
     * every span would be exported twice. One per context, since closing a context shuts its
     * exporter down.
     */
    public record Spans(InMemorySpanExporter exporter) {}

    /** What the greeter understands. */
    public sealed interface GreeterMsg {}

    /** Asks for a greeting. */
    public record Greet(String name, Reply<String> reply) implements GreeterMsg {}

    /** Makes the greeter fail, so that its supervisor restarts it. */
    public record Crash() implements GreeterMsg {}

    /** Counts the greetings it gave since it last started. */
    static final ProcessSpec<GreeterMsg, Integer, Void> GREETER = ProcessSpec.<GreeterMsg, Integer>named("greeter")
            .init(() -> 0)
            .handler((greeted, msg, tools) -> switch (msg) {
                case Greet greet -> {
                    greet.reply().send("Hello, " + greet.name() + " (#" + (greeted + 1) + ")");
                    yield greeted + 1;
                }
                case Crash crash -> throw new IllegalStateException("asked to crash");
            })
            .build();

    @Bean
    ProcessRef<GreeterMsg> greeter(Supervisor supervisor) {
        return supervisor.spawn(GREETER);
    }

    @Bean
    Spans spans() {
        return new Spans(InMemorySpanExporter.create());
    }

    @Bean
    SpanProcessor inMemorySpans(Spans spans) {
        return SimpleSpanProcessor.create(spans.exporter());
    }

    /** The HTTP face of the greeter. */
    @RestController
    static class GreetingController {

        private final ProcessRef<GreeterMsg> greeter;

        GreetingController(ProcessRef<GreeterMsg> greeter) {
            this.greeter = greeter;
        }

        @GetMapping("/greet/{name}")
        String greet(@PathVariable String name) {
            return greeter.<String>ask(reply -> new Greet(name, reply), Duration.ofSeconds(5))
                    .join();
        }

        @PostMapping("/crash")
        String crash() {
            return greeter.send(new Crash()) ? "sent" : "refused";
        }
    }
}

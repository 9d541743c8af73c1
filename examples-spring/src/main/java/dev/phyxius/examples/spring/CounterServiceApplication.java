package dev.phyxius.examples.spring;

import dev.phyxius.process.ProcessRef;
import dev.phyxius.supervisor.Supervisor;
import io.opentelemetry.exporter.logging.LoggingSpanExporter;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot service with Phyxius: the starter supplies the clock, the root supervisor (its
 * strategy in {@code application.properties}) and the observability; this class only spawns the
 * counter under that supervisor. Run it with the {@code spring-demo} profile (see the README).
 */
@SpringBootApplication
public class CounterServiceApplication {

    /**
     * Starts the service. With {@code --demo.enabled=true} it also runs the {@link DemoClient}
     * against itself and then exits.
     *
     * @param args Spring Boot arguments
     */
    public static void main(String[] args) {
        SpringApplication.run(CounterServiceApplication.class, args);
    }

    /** The counter, supervised: restarted after a crash, stopped with the application. */
    @Bean
    ProcessRef<Counter.Msg> counter(Supervisor supervisor) {
        return supervisor.spawn(Counter.SPEC);
    }

    /** Spans to the console; a real service sends them to a collector over OTLP instead. */
    @Bean
    LoggingSpanExporter consoleSpans() {
        return LoggingSpanExporter.create();
    }
}

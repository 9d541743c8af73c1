package dev.phyxius.examples.spring;

import dev.phyxius.process.ProcessRef;
import java.time.Duration;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The HTTP face of the counter. Each request runs on its own thread (a virtual thread with
 * {@code spring.threads.virtual.enabled}); the counter handles one message at a time, so no lock
 * is needed anywhere.
 */
@RestController
@RequestMapping("/counter")
class CounterController {

    private final ProcessRef<Counter.Msg> counter;

    CounterController(ProcessRef<Counter.Msg> counter) {
        this.counter = counter;
    }

    /** Reads the total by asking the counter. */
    @GetMapping
    Map<String, Integer> total() {
        return Map.of(
                "total",
                counter.<Integer>ask(Counter.Get::new, Duration.ofSeconds(2)).join());
    }

    /** Adds to the total; 503 if the counter refused the message (its mailbox is full). */
    @PostMapping("/increment")
    ResponseEntity<Map<String, Boolean>> increment(@RequestParam(defaultValue = "1") int by) {
        boolean accepted = counter.send(new Counter.Increment(by));
        return ResponseEntity.status(accepted ? HttpStatus.ACCEPTED : HttpStatus.SERVICE_UNAVAILABLE)
                .body(Map.of("accepted", accepted));
    }

    /** Crashes the counter, to watch its supervisor restart it. */
    @PostMapping("/crash")
    ResponseEntity<Map<String, Boolean>> crash() {
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("accepted", counter.send(new Counter.Crash())));
    }
}

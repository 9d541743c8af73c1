package dev.phyxius.analysis.demo;

import dev.phyxius.clock.Clock;
import dev.phyxius.observability.PhyxiusObservability;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.Processes;
import dev.phyxius.process.SpawnOptions;
import dev.phyxius.supervisor.Backoff;
import dev.phyxius.supervisor.SupervisionStrategy;
import dev.phyxius.supervisor.Supervisor;
import dev.phyxius.supervisor.SupervisorOptions;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * An incident worth a report: run it with a recording, then analyse the file.
 *
 * <pre>
 * java -XX:StartFlightRecording:settings=profile,settings=phyxius-profile.jfc,filename=incident.jfr \
 *      -m dev.phyxius.analysis.demo/dev.phyxius.analysis.demo.Incident
 * phyxius-report --html incident.html incident.jfr
 * </pre>
 *
 * <ul>
 *   <li>{@code orders}: 40 orders sent at once to a handler that takes 25 ms each: a backlog
 *       of about a second;</li>
 *   <li>{@code payments}: a supervised child whose every third message fails, restarted with a
 *       backoff until the supervisor gives up;</li>
 *   <li>{@code catalog}: a handler that loads a class whose initializer blocks 40 ms, pinning its
 *       carrier thread.</li>
 * </ul>
 */
public final class Incident {

    private Incident() {}

    /**
     * Runs the incident (a few seconds) and exits.
     *
     * @param args unused
     * @throws Exception if the incident cannot run
     */
    public static void main(String[] args) throws Exception {
        CountDownLatch gaveUp = new CountDownLatch(1);
        PhyxiusObservability observability = PhyxiusObservability.builder()
                .jfr(true)
                .forwardTo(event -> {
                    if (event instanceof dev.phyxius.supervisor.SupervisorEvent.GaveUp) {
                        gaveUp.countDown();
                    }
                })
                .build();

        CountDownLatch ordered = new CountDownLatch(40);
        ProcessRef<Order> orders = Processes.spawn(
                ProcessSpec.<Order, Integer>named("orders")
                        .init(() -> 0)
                        .handler((count, order, tools) -> {
                            work(Duration.ofMillis(25));
                            ordered.countDown();
                            return count + 1;
                        })
                        .build(),
                observability.apply(SpawnOptions.of(Clock.system())));
        for (int i = 0; i < 40; i++) {
            orders.send(new Order(i));
        }

        CountDownLatch loaded = new CountDownLatch(1);
        ProcessRef<String> catalog = Processes.spawn(
                ProcessSpec.<String, Integer>named("catalog")
                        .init(() -> 0)
                        .handler((count, item, tools) -> {
                            SlowToLoad.touch();
                            loaded.countDown();
                            return count + 1;
                        })
                        .build(),
                observability.apply(SpawnOptions.of(Clock.system())));
        catalog.send("widgets");

        try (Supervisor supervisor = new Supervisor(observability.apply(SupervisorOptions.of(Clock.system())
                .withStrategy(SupervisionStrategy.oneForOne()
                        .withMaxRestarts(3, Duration.ofSeconds(30))
                        .withBackoff(Backoff.exponential(Duration.ofMillis(50), Duration.ofMillis(400), 2.0)))))) {
            ProcessRef<Payment> payments = supervisor.spawn(ProcessSpec.<Payment, Integer>named("payments")
                    .init(() -> 0)
                    .handler((count, payment, tools) -> {
                        work(Duration.ofMillis(2));
                        if (payment.id() % 3 == 2) {
                            throw new IllegalStateException("card declined for payment " + payment.id());
                        }
                        return count + 1;
                    })
                    .build());
            for (int i = 0; gaveUp.getCount() > 0 && i < 200; i++) {
                if (!payments.send(new Payment(i))) {
                    // Refused while the child waits for its restart: that is recorded too.
                    work(Duration.ofMillis(20));
                }
                work(Duration.ofMillis(10));
            }
            await(gaveUp, "the supervisor never gave up on payments");
        }
        await(ordered, "orders were not all handled");
        await(loaded, "the catalog never loaded");
        orders.stop().join();
        catalog.stop().join();
        System.out.println(
                "incident over: orders backed up, payments crashed until given up on, catalog pinned its carrier");
    }

    /** An order. */
    record Order(int id) {}

    /** A payment. */
    record Payment(int id) {}

    /** A class whose initializer blocks: the virtual thread that loads it stays pinned. */
    static final class SlowToLoad {
        static {
            work(Duration.ofMillis(40));
        }

        static void touch() {
            // loading the class is the point
        }
    }

    private static void work(Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        for (long left = duration.toNanos(); left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    private static void await(CountDownLatch latch, String otherwise) throws InterruptedException {
        if (!latch.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(otherwise);
        }
    }
}

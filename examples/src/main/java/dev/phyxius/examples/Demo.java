package dev.phyxius.examples;

import dev.phyxius.clock.Clock;
import dev.phyxius.clock.Event;
import dev.phyxius.clock.EventSink;
import dev.phyxius.process.ProcessEvent;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.Reply;
import dev.phyxius.supervisor.Backoff;
import dev.phyxius.supervisor.SupervisionStrategy;
import dev.phyxius.supervisor.Supervisor;
import dev.phyxius.supervisor.SupervisorEvent;
import dev.phyxius.supervisor.SupervisorOptions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The main demo: a supervised worker handles jobs, crashes on poison, is restarted with fresh
 * state after an exponential backoff, and is given up on when it crashes too often; every step is
 * printed from the structured events, followed by a short metrics summary.
 */
public final class Demo {

    sealed interface Job {}

    /** Work to do. */
    record Work(int id) implements Job {}

    /** A job the worker cannot survive. */
    record Poison(int id) implements Job {}

    /** Asks how many jobs this life of the worker has done. */
    record Done(Reply<Integer> reply) implements Job {}

    private Demo() {}

    static ProcessSpec<Job, Integer, Void> worker() {
        return ProcessSpec.<Job, Integer>named("worker")
                .init(() -> {
                    System.out.println("            worker  init: fresh state, 0 jobs done");
                    return 0;
                })
                .handler((done, job, tools) -> switch (job) {
                    case Work work -> {
                        System.out.printf(
                                "            worker  handled job %d (job #%d of this life)%n", work.id(), done + 1);
                        yield done + 1;
                    }
                    case Poison poison -> throw new IllegalStateException("poison job " + poison.id());
                    case Done ask -> {
                        ask.reply().send(done);
                        yield done;
                    }
                })
                .onStop((done, reason) ->
                        System.out.printf("            worker  onStop after %d jobs: %s%n", done, reason))
                .build();
    }

    /** Prints the events a person wants to see and counts all of them. */
    static final class Narrator implements EventSink {
        final long start = System.nanoTime();
        final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
        final CountDownLatch gaveUp = new CountDownLatch(1);

        @Override
        public void emit(Event event) {
            counts.computeIfAbsent(event.getClass().getSimpleName(), k -> new LongAdder())
                    .increment();
            String line = switch (event) {
                case ProcessEvent.Failed failed ->
                    "CRASH   " + failed.name() + ": " + failed.error().getMessage();
                case ProcessEvent.MessageDropped dropped ->
                    "report  " + dropped.name() + " dropped " + dropped.message() + " (" + dropped.reason() + ")";
                case ProcessEvent.Restarted restarted -> "restart " + restarted.name() + " is running again";
                case SupervisorEvent.RestartScheduled scheduled ->
                    "backoff restart #" + scheduled.attempt() + " of " + scheduled.name() + " in "
                            + scheduled.delay().toMillis() + " ms";
                case SupervisorEvent.GaveUp gaveUpEvent ->
                    "GIVE UP after " + gaveUpEvent.restarts() + " restarts within "
                            + gaveUpEvent.within().toSeconds() + " s: the worker stays FAILED";
                default -> null;
            };
            if (line != null) {
                System.out.printf("[%5d ms] %s%n", (System.nanoTime() - start) / 1_000_000, line);
            }
            if (event instanceof SupervisorEvent.GaveUp) {
                gaveUp.countDown();
            }
        }
    }

    /**
     * Runs the demo.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted while waiting for the give-up
     */
    public static void main(String[] args) throws InterruptedException {
        Narrator narrator = new Narrator();
        SupervisionStrategy strategy = SupervisionStrategy.oneForOne()
                .withMaxRestarts(2, Duration.ofSeconds(10))
                .withBackoff(Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(1), 2.0));
        try (Supervisor supervisor = new Supervisor(
                SupervisorOptions.of(Clock.system()).withEvents(narrator).withStrategy(strategy))) {
            ProcessRef<Job> worker = supervisor.spawn(worker());
            System.out.println(
                    "Phyxius demo: one supervised worker, one-for-one, 2 restarts in 10 s, backoff 100 ms x2");
            worker.send(new Work(1));
            worker.send(new Work(2));
            worker.send(new Poison(3));
            worker.send(new Work(4)); // queued behind the poison: kept, handled after the restart
            System.out.println("            ask: jobs done in this life = "
                    + worker.<Integer>ask(Done::new).join());
            worker.send(new Poison(5));
            worker.send(new Work(6));
            System.out.println("            ask: jobs done in this life = "
                    + worker.<Integer>ask(Done::new).join());
            worker.send(new Poison(7)); // third crash in the window: the supervisor gives up
            worker.send(new Work(8));
            if (!narrator.gaveUp.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the supervisor never gave up");
            }
            worker.termination().join(); // giving up ends the worker for good; wait for it to settle
            System.out.println("            worker status: " + worker.status() + ", send now returns "
                    + worker.send(new Work(9)) + ", restarts counted: " + supervisor.restartCount(worker.id()));
        }
        System.out.println();
        System.out.println("Metrics (events seen):");
        narrator.counts.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> System.out.printf(
                        "  %-20s %d%n", e.getKey(), e.getValue().sum()));
    }
}

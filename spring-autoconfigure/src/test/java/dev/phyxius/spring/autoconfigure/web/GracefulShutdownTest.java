package dev.phyxius.spring.autoconfigure.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.phyxius.clock.Event;
import dev.phyxius.clock.EventSink;
import dev.phyxius.process.ProcessEvent;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.ProcessStatus;
import dev.phyxius.process.StopReason;
import dev.phyxius.supervisor.ChildOptions;
import dev.phyxius.supervisor.Supervisor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Closing a running service (Tomcat on a random port, the starter's supervisor) stops every
 * process in reverse start order (the greeter of {@link GreetingApplication} has no
 * {@code onStop}; the three workers record theirs), runs each {@code onStop}, lets the message in progress finish,
 * and reports every queued message; and it keeps within the shutdown phase's timeout.
 */
@Timeout(60)
class GracefulShutdownTest {

    /** What the workers understand. */
    sealed interface WorkMsg {}

    /** Holds the handler until the latch opens. */
    record Hold(CountDownLatch started, CountDownLatch release) implements WorkMsg {}

    /** Work that takes no time. */
    record Job(int number) implements WorkMsg {}

    /**
     * Records, in order, every onStop and every event of the application's processes, except that
     * handled messages are only counted: under load there are too many to keep.
     */
    static final class Journal implements EventSink {
        final List<String> stops = new CopyOnWriteArrayList<>();
        final List<Event> events = new CopyOnWriteArrayList<>();
        final ConcurrentHashMap<String, LongAdder> handled = new ConcurrentHashMap<>();

        @Override
        public void emit(Event event) {
            if (event instanceof ProcessEvent.MessageHandled message) {
                handled.computeIfAbsent(message.name(), name -> new LongAdder()).increment();
            } else {
                events.add(event);
            }
        }

        <E extends Event> List<E> ofType(Class<E> type) {
            return events.stream().filter(type::isInstance).map(type::cast).toList();
        }

        long handled(String name) {
            LongAdder count = handled.get(name);
            return count == null ? 0 : count.sum();
        }
    }

    static ProcessSpec<WorkMsg, Integer, Void> worker(String name, Journal journal) {
        return ProcessSpec.<WorkMsg, Integer>named(name)
                .init(() -> 0)
                .handler((done, msg, tools) -> {
                    if (msg instanceof Hold hold) {
                        hold.started().countDown();
                        // Waits for the test, not for time: released once the test has seen what it
                        // needs; the timeout only guards against a broken test.
                        hold.release().await(30, TimeUnit.SECONDS);
                    }
                    return done + 1;
                })
                .onStop((done, reason, ctx) -> journal.stops.add(name + " " + reason))
                .build();
    }

    /** Three workers spawned in a known order, the last one with a shutdown timeout of 30 s. */
    @Configuration(proxyBeanMethods = false)
    static class Workers {

        @Bean
        Journal journal() {
            return new Journal();
        }

        @Bean
        List<ProcessRef<WorkMsg>> workers(Supervisor supervisor, Journal journal) {
            return List.of(
                    supervisor.spawn(worker("first", journal)),
                    supervisor.spawn(worker("second", journal)),
                    supervisor.spawn(
                            worker("third", journal),
                            ChildOptions.defaults().withShutdownTimeout(Duration.ofSeconds(30))));
        }
    }

    private ConfigurableApplicationContext context;

    @AfterEach
    void closeIfOpen() {
        if (context != null) {
            context.close();
        }
    }

    private ConfigurableApplicationContext start(String... properties) {
        context = new SpringApplicationBuilder(GreetingApplication.class, Workers.class)
                .properties(
                        "server.port=0",
                        "management.otlp.metrics.export.enabled=false",
                        "management.tracing.export.otlp.enabled=false")
                .properties(properties)
                .run();
        return context;
    }

    @SuppressWarnings("unchecked")
    private List<ProcessRef<WorkMsg>> workers() {
        return (List<ProcessRef<WorkMsg>>) context.getBean("workers", List.class);
    }

    @Test
    void closingTheContextStopsEveryProcessInReverseStartOrderAndReportsWhatWasQueued() throws Exception {
        start();
        Journal journal = context.getBean(Journal.class);
        Supervisor supervisor = context.getBean(Supervisor.class);
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        HttpResponse<String> served = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/greet/ada"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(served.body()).startsWith("Hello, ada");

        ProcessRef<WorkMsg> third = workers().get(2);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        assertThat(third.send(new Hold(started, release))).isTrue();
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 5; i++) {
            assertThat(third.send(new Job(i))).isTrue(); // queued behind the held message
        }

        CompletableFuture<Void> closed = CompletableFuture.runAsync(context::close);
        // The held message is in progress: the supervisor waits for it, and Spring for the supervisor.
        await().atMost(Duration.ofSeconds(10)).until(() -> third.status() == ProcessStatus.STOPPING);
        assertThat(closed).isNotDone();
        release.countDown();
        closed.get(30, TimeUnit.SECONDS);

        assertThat(journal.stops).containsExactly("third SHUTDOWN", "second SHUTDOWN", "first SHUTDOWN");
        assertThat(supervisor.snapshot().status()).isEqualTo(ProcessStatus.STOPPED);
        List<ProcessEvent.MessageDropped> dropped = journal.ofType(ProcessEvent.MessageDropped.class);
        assertThat(dropped).hasSize(5).allSatisfy(drop -> {
            assertThat(drop.name()).isEqualTo("third");
            assertThat(drop.message()).isInstanceOf(Job.class);
            assertThat(drop.reason()).isEqualTo(ProcessEvent.DropReason.STOPPED);
        });
        assertThat(journal.handled("third")).isEqualTo(1); // the held message finished
        assertThat(journal.ofType(ProcessEvent.Stopped.class))
                .extracting(ProcessEvent.Stopped::reason)
                .hasSize(4)
                .containsOnly(StopReason.SHUTDOWN);
    }

    @Test
    void closingUnderLoadAccountsForEveryAcceptedMessage() throws Exception {
        start();
        Journal journal = context.getBean(Journal.class);
        ProcessRef<WorkMsg> first = workers().get(0);
        int senders = 8;
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        CountDownLatch running = new CountDownLatch(senders);
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<Thread> threads = new java.util.ArrayList<>();
        for (int s = 0; s < senders; s++) {
            // Platform threads, as a servlet container's request threads are: a virtual thread
            // that never blocks would keep a single carrier from the process and its stop.
            threads.add(Thread.ofPlatform().daemon().start(() -> {
                running.countDown();
                // Sends until the process refuses: the context's close has reached it (the bound
                // only keeps a broken run from going on for ever).
                try {
                    for (int i = 0; i < 10_000_000 && !Thread.currentThread().isInterrupted(); i++) {
                        // Waits for room in a full mailbox, so that only the stop ends the load.
                        if (first.send(new Job(i), Duration.ofSeconds(5))) {
                            accepted.incrementAndGet();
                        } else {
                            refused.incrementAndGet();
                            return;
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException | Error e) {
                    failures.add(e);
                }
            }));
        }
        try {
            assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> accepted.get() > 1_000);
            context.close();
            for (Thread thread : threads) {
                assertThat(thread.join(Duration.ofSeconds(20))).isTrue();
            }
        } finally {
            threads.forEach(Thread::interrupt); // a failed run must not leave senders behind
        }

        long handled = journal.handled("first");
        long dropped = journal.ofType(ProcessEvent.MessageDropped.class).stream()
                .filter(event -> event.name().equals("first"))
                .count();
        assertThat(failures).isEmpty();
        assertThat(refused.get())
                .as("every sender was refused once the close reached the process")
                .isEqualTo(senders);
        assertThat(handled + dropped)
                .as("handled %d + dropped %d", handled, dropped)
                .isEqualTo(accepted.get());
        assertThat(journal.stops).contains("first SHUTDOWN");
    }

    @Test
    void aProcessThatOutlastsTheShutdownPhaseDoesNotHoldTheContextOpen() throws Exception {
        start("spring.lifecycle.timeout-per-shutdown-phase=1s");
        Journal journal = context.getBean(Journal.class);
        ProcessRef<WorkMsg> third = workers().get(2);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        assertThat(third.send(new Hold(started, release))).isTrue();
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        context.close(); // its own shutdown timeout is 30 s; the phase allows 1 s
        context = null;

        assertThat(release.getCount()).as("the handler is still held").isEqualTo(1);
        assertThat(journal.stops).isEmpty();
        release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> journal.stops.size() == 3);
        assertThat(journal.stops).containsExactly("third SHUTDOWN", "second SHUTDOWN", "first SHUTDOWN");
    }
}

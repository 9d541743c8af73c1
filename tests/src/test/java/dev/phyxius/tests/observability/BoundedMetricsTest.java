package dev.phyxius.tests.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phyxius.observability.PhyxiusObservability;
import dev.phyxius.observability.events.ObservabilityEvent;
import dev.phyxius.observability.micrometer.PhyxiusMetrics;
import dev.phyxius.process.ProcessEvent;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.Processes;
import dev.phyxius.process.SpawnOptions;
import dev.phyxius.testing.ControlledClock;
import dev.phyxius.testing.ProcessTestKit;
import dev.phyxius.testing.RecordedEvents;
import dev.phyxius.tests.support.Gate;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The meters a team with hundreds of process names needs: mailbox depth, a cap, removal, types. */
@Timeout(60)
class BoundedMetricsTest {

    final ProcessTestKit kit = ProcessTestKit.create();
    final ControlledClock clock = kit.clock();
    final RecordedEvents events = kit.events();
    final MockClock registryClock = new MockClock();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, registryClock);

    @AfterEach
    void tearDown() {
        kit.close();
    }

    ProcessRef<String> spawn(PhyxiusObservability observability, String name, Gate gate) {
        ProcessSpec<String, String, Void> spec = ProcessSpec.<String, String>named(name)
                .init(() -> "state")
                .handler((state, msg, tools) -> {
                    if (msg.equals("hold")) {
                        gate.pass();
                    }
                    return state;
                })
                .build();
        return Processes.spawn(spec, observability.apply(SpawnOptions.of(clock)));
    }

    PhyxiusObservability.Builder metrics() {
        return PhyxiusObservability.builder().meterRegistry(registry).forwardTo(kit.eventSink());
    }

    List<String> processTags() {
        return registry.getMeters().stream()
                .map(m -> m.getId().getTag("process"))
                .distinct()
                .sorted()
                .toList();
    }

    @Nested
    class MailboxSize {
        @Test
        void theGaugeSumsTheQueuedMessagesOfTheLiveProcessesOfAName() throws Exception {
            PhyxiusObservability observability = metrics().build();
            Gate first = new Gate();
            Gate second = new Gate();
            ProcessRef<String> a = spawn(observability, "queue", first);
            ProcessRef<String> b = spawn(observability, "queue", second);
            var size = registry.get("phyxius.process.mailbox.size")
                    .tags("process", "queue")
                    .gauge();
            assertEquals(0.0, size.value());

            a.send("hold");
            b.send("hold");
            first.awaitEntered();
            second.awaitEntered();
            for (int i = 0; i < 3; i++) {
                a.send("queued");
            }
            b.send("queued");
            assertEquals(4.0, size.value(), "3 behind a's handler, 1 behind b's");

            first.open();
            second.open();
            List<ProcessEvent.MessageHandled> handled = events.awaitEvents(ProcessEvent.MessageHandled.class, 6);
            assertEquals(4, handled.stream().filter(e -> e.id().equals(a.id())).count(), "a's hold and 3 queued");
            assertEquals(2, handled.stream().filter(e -> e.id().equals(b.id())).count(), "b's hold and 1 queued");
            assertEquals(0.0, size.value());
            a.stop().join();
            b.stop().join();
        }

        @Test
        void processesAlreadyLiveWhenTheMetricsAreBoundGetTheirGauges() {
            PhyxiusMetrics metrics = PhyxiusMetrics.create();
            ProcessSpec<String, String, Void> spec = ProcessSpec.<String, String>named("early")
                    .handler((state, msg, tools) -> state)
                    .build();
            ProcessRef<String> ref = Processes.spawn(
                    spec, SpawnOptions.of(clock).withEvents(metrics).withInstrumentation(metrics));
            metrics.bindTo(registry);

            assertEquals(
                    1.0,
                    registry.get("phyxius.process.live")
                            .tags("process", "early")
                            .gauge()
                            .value());
            ref.stop().join();
        }
    }

    @Nested
    class Removal {
        @Test
        void theMetersOfANameAreRemovedOnceItsLastProcessHasBeenGoneForTheLinger() {
            PhyxiusObservability observability =
                    metrics().removeMetersAfter(Duration.ofMinutes(2)).build();
            Gate gate = new Gate();
            gate.open();
            ProcessRef<String> first = spawn(observability, "batch", gate);
            ProcessRef<String> second = spawn(observability, "batch", gate);
            first.send("work");
            ProcessEvent.MessageHandled handled = events.awaitEvent(ProcessEvent.MessageHandled.class);
            assertEquals(first.id(), handled.id());
            assertEquals("batch", handled.name());
            first.stop().join();
            registryClock.add(Duration.ofMinutes(5));
            ProcessRef<String> other = spawn(observability, "other", gate); // a start runs the sweep
            assertTrue(processTags().contains("batch"), "a live process of the name keeps its meters");

            second.stop().join();
            registryClock.add(Duration.ofMinutes(2).minusSeconds(1));
            spawn(observability, "other", gate).stop().join();
            assertTrue(processTags().contains("batch"), "still inside the linger: a scrape sees the final counts");
            assertEquals(
                    1.0,
                    registry.get("phyxius.process.messages")
                            .tags("process", "batch", "outcome", "handled")
                            .counter()
                            .count());

            registryClock.add(Duration.ofSeconds(1));
            spawn(observability, "other", gate).stop().join();
            assertEquals(List.of("other"), processTags(), "every meter of 'batch' is gone");
            other.stop().join();
        }

        @Test
        void aNameThatComesBackAfterItsRemovalStartsFromZero() {
            PhyxiusObservability observability =
                    metrics().removeMetersAfter(Duration.ZERO).build();
            Gate gate = new Gate();
            gate.open();
            ProcessRef<String> first = spawn(observability, "phoenix", gate);
            first.send("work");
            assertEquals(
                    first.id(),
                    events.awaitEvent(ProcessEvent.MessageHandled.class).id());
            first.stop().join();
            ProcessRef<String> again = spawn(observability, "phoenix", gate); // sweeps, then attaches
            again.send("work");
            ProcessEvent.MessageHandled second =
                    events.awaitEvents(ProcessEvent.MessageHandled.class, 2).get(1);
            assertEquals(again.id(), second.id());
            assertEquals("phoenix", second.name());

            assertEquals(
                    1.0,
                    registry.get("phyxius.process.messages")
                            .tags("process", "phoenix", "outcome", "handled")
                            .counter()
                            .count());
            assertEquals(
                    1.0,
                    registry.get("phyxius.process.live")
                            .tags("process", "phoenix")
                            .gauge()
                            .value());
            again.stop().join();
        }

        @Test
        void aSendToAProcessThatHasEndedIsCountedAndItsMetersGoAgainAfterTheLinger() {
            PhyxiusObservability observability =
                    metrics().removeMetersAfter(Duration.ofMinutes(1)).build();
            Gate gate = new Gate();
            gate.open();
            ProcessRef<String> gone = spawn(observability, "gone", gate);
            gone.stop().join();
            registryClock.add(Duration.ofMinutes(2));
            spawn(observability, "sweeper", gate).stop().join();
            assertTrue(!processTags().contains("gone"), processTags()::toString);

            assertTrue(!gone.send("late"));
            assertEquals(
                    1.0,
                    registry.get("phyxius.process.messages")
                            .tags("process", "gone", "outcome", "rejected", "reason", "not_accepting")
                            .counter()
                            .count());
            registryClock.add(Duration.ofMinutes(1));
            spawn(observability, "sweeper", gate).stop().join();
            assertTrue(!processTags().contains("gone"), processTags()::toString);
        }

        @Test
        void manyNamesComingAndGoingConcurrentlyLeaveOnlyTheLiveOnesAndCountEveryMessage() throws Exception {
            PhyxiusObservability observability =
                    metrics().removeMetersAfter(Duration.ZERO).build();
            int names = 40;
            int rounds = 25;
            Gate gate = new Gate();
            gate.open();
            AtomicInteger handled = new AtomicInteger();
            List<ProcessRef<String>> keep = new CopyOnWriteArrayList<>();
            try (var executor = Executors.newFixedThreadPool(4)) {
                List<CompletableFuture<Void>> work = new ArrayList<>();
                for (int n = 0; n < names; n++) {
                    String name = "churn-" + n;
                    work.add(CompletableFuture.runAsync(
                            () -> {
                                for (int round = 0; round < rounds; round++) {
                                    ProcessRef<String> ref = spawn(observability, name, gate);
                                    ref.send("work");
                                    ref.stop().join(); // stop lets the queued message be handled or dropped
                                }
                                keep.add(spawn(observability, name, gate));
                            },
                            executor));
                }
                CompletableFuture.allOf(work.toArray(CompletableFuture[]::new)).get(50, TimeUnit.SECONDS);
            }
            handled.set(events.ofType(ProcessEvent.MessageHandled.class).size());
            int dropped = events.ofType(
                            ProcessEvent.MessageDropped.class, d -> d.reason() == ProcessEvent.DropReason.STOPPED)
                    .size();
            assertEquals(
                    names * rounds,
                    handled.get() + dropped,
                    "every accepted message was handled or dropped by its stop");
            // Every name still has its one live process, and no name has two sets of meters.
            for (int n = 0; n < names; n++) {
                assertEquals(
                        1.0,
                        registry.get("phyxius.process.live")
                                .tags("process", "churn-" + n)
                                .gauge()
                                .value());
            }
            assertEquals(names, registry.find("phyxius.process.live").gauges().size());
            keep.forEach(ref -> ref.stop().join());
            spawn(observability, "sweeper", gate).stop().join();
            assertEquals(
                    List.of(),
                    processTags().stream()
                            .filter(tag -> tag.startsWith("churn-"))
                            .toList(),
                    "handled " + handled + " messages; every name is gone once its last process ended");
        }
    }

    @Nested
    class Cap {
        @Test
        void namesBeyondTheLimitAreCountedUnderOtherWithOneWarning() {
            PhyxiusObservability observability = metrics().maxProcessNames(3).build();
            Gate gate = new Gate();
            gate.open();
            List<ProcessRef<String>> refs = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                ProcessRef<String> ref = spawn(observability, "user-" + i, gate);
                ref.send("work");
                refs.add(ref);
            }
            assertEquals(
                    List.of("user-0", "user-1", "user-2", "user-3", "user-4", "user-5"),
                    events.awaitEvents(ProcessEvent.MessageHandled.class, 6).stream()
                            .map(ProcessEvent.MessageHandled::name)
                            .sorted()
                            .toList(),
                    "the events keep every process's own name, whatever the meters do");

            assertEquals(List.of("_other", "user-0", "user-1", "user-2"), processTags());
            assertEquals(
                    3.0,
                    registry.get("phyxius.process.messages")
                            .tags("process", "_other", "outcome", "handled")
                            .counter()
                            .count(),
                    "nothing is lost: the three refused names are counted together");
            assertEquals(
                    3.0,
                    registry.get("phyxius.process.live")
                            .tags("process", "_other")
                            .gauge()
                            .value());
            List<ObservabilityEvent.ProcessNameLimitReached> warnings =
                    events.ofType(ObservabilityEvent.ProcessNameLimitReached.class);
            assertEquals(1, warnings.size(), events::dump);
            assertEquals("micrometer", warnings.get(0).backend());
            assertEquals("user-3", warnings.get(0).processName());
            assertEquals(3, warnings.get(0).limit());
            refs.forEach(ref -> ref.stop().join());
        }

        @Test
        void aFreedNameLetsANewOneHaveItsOwnMetersAndAFurtherOverflowWarnsAgain() {
            PhyxiusObservability observability = metrics()
                    .maxProcessNames(2)
                    .removeMetersAfter(Duration.ZERO)
                    .build();
            Gate gate = new Gate();
            gate.open();
            ProcessRef<String> a = spawn(observability, "a", gate);
            ProcessRef<String> b = spawn(observability, "b", gate);
            ProcessRef<String> c = spawn(observability, "c", gate); // overflows
            assertEquals(
                    "c",
                    events.assertCount(ObservabilityEvent.ProcessNameLimitReached.class, 1)
                            .getFirst()
                            .processName());
            a.stop().join();
            ProcessRef<String> d = spawn(observability, "d", gate); // a's place was freed
            assertTrue(processTags().contains("d"), processTags()::toString);
            ProcessRef<String> e = spawn(observability, "e", gate); // full again: a second episode
            assertEquals(
                    "e",
                    events.assertCount(ObservabilityEvent.ProcessNameLimitReached.class, 2)
                            .get(1)
                            .processName());
            c.stop().join();
            assertEquals(
                    1.0,
                    registry.get("phyxius.process.live")
                            .tags("process", "_other")
                            .gauge()
                            .value(),
                    "e is still counted under _other after c ended");
            for (ProcessRef<String> ref : List.of(b, d, e)) {
                ref.stop().join();
            }
        }

        @Test
        void theLimitIsValidated() {
            assertEquals(
                    "maxProcessNames must be >= 1, was 0",
                    assertThrows(
                                    IllegalArgumentException.class,
                                    () -> PhyxiusMetrics.builder().maxProcessNames(0))
                            .getMessage());
            assertEquals(
                    "removeAfter must not be negative, was PT-1S",
                    assertThrows(
                                    IllegalArgumentException.class,
                                    () -> PhyxiusMetrics.builder().removeAfter(Duration.ofSeconds(-1)))
                            .getMessage());
            assertTrue(assertThrows(
                            IllegalArgumentException.class,
                            () -> PhyxiusObservability.builder()
                                    .tagMessageTypes()
                                    .build())
                    .getMessage()
                    .startsWith("tagMessageTypes needs a meter registry"));
        }
    }

    @Nested
    class MessageTypes {
        record Order(int id) {}

        record Refund(int id) {}

        @Test
        void offByDefaultNoMeterCarriesAMessageType() {
            PhyxiusObservability observability = metrics().build();
            Gate gate = new Gate();
            gate.open();
            ProcessRef<String> ref = spawn(observability, "plain", gate);
            ref.send("work");
            assertEquals(
                    String.class,
                    events.awaitEvent(ProcessEvent.MessageHandled.class).messageType());
            for (Meter meter : registry.getMeters()) {
                assertTrue(
                        meter.getId().getTags().stream().map(Tag::getKey).noneMatch("message.type"::equals),
                        meter.getId()::toString);
            }
            ref.stop().join();
        }

        @Test
        void whenAskedTheMessageMetersAreTaggedWithTheMessageClassSimpleName() {
            PhyxiusObservability observability = metrics().tagMessageTypes().build();
            ProcessSpec<Record, Integer, Void> spec = ProcessSpec.<Record, Integer>named("payments")
                    .init(() -> 0)
                    .handler((count, msg, tools) -> {
                        if (msg instanceof Refund) {
                            throw new IllegalStateException("refunds are off");
                        }
                        return count + 1;
                    })
                    .build();
            ProcessRef<Record> ref = Processes.spawn(spec, observability.apply(SpawnOptions.of(clock)));
            ref.send(new Order(1));
            ref.send(new Order(2));
            assertEquals(
                    List.of(Order.class, Order.class),
                    events.awaitEvents(ProcessEvent.MessageHandled.class, 2).stream()
                            .map(ProcessEvent.MessageHandled::messageType)
                            .toList());
            ref.send(new Refund(3));
            ref.termination().join();

            assertEquals(
                    2.0,
                    registry.get("phyxius.process.messages")
                            .tags("process", "payments", "outcome", "handled", "message.type", "Order")
                            .counter()
                            .count());
            assertEquals(
                    1.0,
                    registry.get("phyxius.process.messages")
                            .tags("process", "payments", "outcome", "failed", "message.type", "Refund")
                            .counter()
                            .count());
            assertEquals(
                    2,
                    registry.get("phyxius.process.handling")
                            .tags("process", "payments", "message.type", "Order")
                            .timer()
                            .count());
            assertEquals(
                    2,
                    registry.get("phyxius.process.mailbox.wait")
                            .tags("process", "payments", "message.type", "Order")
                            .timer()
                            .count());
        }
    }

    @Test
    void aBrokenWarningsSinkNeverBreaksTheProcessThatBroughtTheName() throws Exception {
        PhyxiusMetrics metrics = PhyxiusMetrics.builder()
                .maxProcessNames(1)
                .warnings(event -> {
                    throw new IllegalStateException("broken");
                })
                .build();
        metrics.bindTo(registry);
        CountDownLatch handled = new CountDownLatch(2);
        ProcessSpec<String, String, Void> spec = ProcessSpec.<String, String>named("x")
                .handler((state, msg, tools) -> {
                    handled.countDown();
                    return state;
                })
                .build();
        ProcessSpec<String, String, Void> other = ProcessSpec.<String, String>named("y")
                .handler((state, msg, tools) -> {
                    handled.countDown();
                    return state;
                })
                .build();
        SpawnOptions<Void> options = SpawnOptions.of(clock).withEvents(metrics).withInstrumentation(metrics);
        ProcessRef<String> x = Processes.spawn(spec, options);
        ProcessRef<String> y = Processes.spawn(other, options);
        x.send("m");
        y.send("m");
        assertTrue(handled.await(10, TimeUnit.SECONDS));
        x.stop().join();
        y.stop().join();
    }
}

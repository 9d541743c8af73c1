package dev.phyxius.tests.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phyxius.observability.PhyxiusObservability;
import dev.phyxius.observability.observation.DefaultProcessObservationConvention;
import dev.phyxius.observability.observation.PhyxiusObservationDocumentation;
import dev.phyxius.observability.observation.PhyxiusObservationInstrumentation;
import dev.phyxius.observability.observation.ProcessObservationContext;
import dev.phyxius.observability.observation.ProcessObservationConvention;
import dev.phyxius.process.ProcessEvent;
import dev.phyxius.process.ProcessInstrumentation;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.Processes;
import dev.phyxius.supervisor.Backoff;
import dev.phyxius.supervisor.SupervisionStrategy;
import dev.phyxius.supervisor.Supervisor;
import dev.phyxius.supervisor.SupervisorEvent;
import dev.phyxius.testing.ControlledClock;
import dev.phyxius.testing.ProcessTestKit;
import dev.phyxius.testing.RecordedEvents;
import dev.phyxius.tests.support.Gate;
import io.micrometer.common.KeyValues;
import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.GlobalObservationConvention;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.ObservationView;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Micrometer Observation instrumentation, against Micrometer's own test registry (which also
 * validates that every observation is started once, stopped once, and its scope closed).
 */
@Timeout(30)
class ObservationTest {

    sealed interface Msg {}

    record Work() implements Msg {}

    record Fail() implements Msg {}

    record Hold(Gate gate) implements Msg {}

    final TestObservationRegistry registry = TestObservationRegistry.create();
    final Lifecycles lifecycles = new Lifecycles();

    {
        registry.observationConfig().observationHandler(lifecycles);
    }

    /** Counts what happens to message observations, to check that each one is closed and stopped. */
    static final class Lifecycles implements ObservationHandler<ProcessObservationContext> {
        final AtomicInteger started = new AtomicInteger();
        final AtomicInteger stopped = new AtomicInteger();
        final AtomicInteger scopesOpened = new AtomicInteger();
        final AtomicInteger scopesClosed = new AtomicInteger();

        @Override
        public void onStart(ProcessObservationContext context) {
            started.incrementAndGet();
        }

        @Override
        public void onStop(ProcessObservationContext context) {
            stopped.incrementAndGet();
        }

        @Override
        public void onScopeOpened(ProcessObservationContext context) {
            scopesOpened.incrementAndGet();
        }

        @Override
        public void onScopeClosed(ProcessObservationContext context) {
            scopesClosed.incrementAndGet();
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
            return context instanceof ProcessObservationContext;
        }

        void assertEachStartedOneWasClosedAndStopped(int expected) {
            assertEquals(
                    List.of(expected, expected, expected, expected),
                    List.of(started.get(), scopesOpened.get(), scopesClosed.get(), stopped.get()),
                    "started, scopes opened, scopes closed, stopped");
        }
    }

    final ProcessTestKit kit = ProcessTestKit.create();
    final ControlledClock clock = kit.clock();
    final RecordedEvents events = kit.events();
    /** The observation current in the handler, one entry per message (null entries allowed). */
    final List<Observation> currentInHandler = new CopyOnWriteArrayList<>();

    final List<ProcessRef<?>> spawned = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopAll() {
        spawned.forEach(ref -> ref.stop().join());
        kit.close();
    }

    ProcessSpec<Msg, Integer, Void> spec(String name) {
        return ProcessSpec.<Msg, Integer>named(name)
                .maxInbox(2048) // room for every message of the many-senders test
                .init(() -> 0)
                .handler((count, msg, tools) -> {
                    currentInHandler.add(registry.getCurrentObservation());
                    switch (msg) {
                        case Work w -> {}
                        case Fail f -> throw new IllegalStateException("handler failed");
                        case Hold h -> h.gate().pass();
                    }
                    return count + 1;
                })
                .build();
    }

    ProcessRef<Msg> spawn(String name, ProcessInstrumentation instrumentation) {
        ProcessRef<Msg> ref = Processes.spawn(spec(name), kit.options().withInstrumentation(instrumentation));
        spawned.add(ref);
        return ref;
    }

    ProcessRef<Msg> spawn(String name) {
        return spawn(name, PhyxiusObservationInstrumentation.builder(registry).build());
    }

    /** Sends inside an observation named "request" and returns it. */
    Observation sendInRequest(ProcessRef<Msg> ref, Msg msg) {
        Observation request = Observation.start("request", registry);
        try (Observation.Scope ignored = request.openScope()) {
            assertTrue(ref.send(msg));
        } finally {
            request.stop();
        }
        return request;
    }

    List<ProcessObservationContext> messageContexts() {
        List<ProcessObservationContext> found = new ArrayList<>();
        TestObservationRegistryAssert.assertThat(registry).hasHandledContextsThatSatisfy(contexts -> {
            for (Observation.Context context : contexts) {
                if (context instanceof ProcessObservationContext message) {
                    found.add(message);
                }
            }
        });
        return found;
    }

    @Test
    void aMessageSentInsideAnObservationIsObservedAsItsChildWithTheDocumentedNameAndKeys() {
        ProcessRef<Msg> orders = spawn("orders");
        Observation request = sendInRequest(orders, new Work());
        ProcessEvent.MessageHandled handled = events.awaitEvent(ProcessEvent.MessageHandled.class);
        assertEquals(orders.id(), handled.id());
        assertEquals(Work.class, handled.messageType());

        TestObservationRegistryAssert.assertThat(registry)
                .hasNumberOfObservationsWithNameEqualTo(DefaultProcessObservationConvention.NAME, 1)
                .hasObservationWithNameEqualTo("phyxius.message.process")
                .that()
                .hasContextualNameEqualTo("process orders")
                .hasLowCardinalityKeyValue("messaging.system", "phyxius")
                .hasLowCardinalityKeyValue("messaging.operation.name", "process")
                .hasLowCardinalityKeyValue("messaging.operation.type", "process")
                .hasLowCardinalityKeyValue("messaging.destination.name", "orders")
                .hasLowCardinalityKeyValue("phyxius.message.type", "Work")
                .hasHighCardinalityKeyValue("phyxius.process.id", orders.id().value())
                .hasParentObservationEqualTo(request)
                .hasBeenStarted()
                .hasBeenStopped()
                .doesNotHaveError();
    }

    @Test
    void theMessageObservationIsCurrentWhileTheHandlerRunsAndNotAfter() {
        ProcessRef<Msg> orders = spawn("orders");
        sendInRequest(orders, new Work());
        assertTrue(orders.send(new Work())); // sent outside any observation
        assertEquals(
                List.of(orders.id(), orders.id()),
                events.awaitEvents(ProcessEvent.MessageHandled.class, 2).stream()
                        .map(ProcessEvent.MessageHandled::id)
                        .toList());

        Observation inHandler = currentInHandler.get(0);
        ProcessObservationContext context = assertInstanceOf(ProcessObservationContext.class, inHandler.getContext());
        assertEquals("orders", context.processName());
        assertInstanceOf(Work.class, context.message());
        assertNull(currentInHandler.get(1), "the second message must not see the first one's observation");
        assertNull(registry.getCurrentObservation(), "the sender's scope was closed");
    }

    @Test
    void aMessageSentOutsideAnyObservationIsNotObserved() {
        ProcessRef<Msg> orders = spawn("orders");
        assertTrue(orders.send(new Work()));
        ProcessEvent.MessageHandled handled = events.awaitEvent(ProcessEvent.MessageHandled.class);
        assertEquals("orders", handled.name());
        assertEquals(Work.class, handled.messageType());

        TestObservationRegistryAssert.assertThat(registry).doesNotHaveAnyObservation();
        assertEquals(1, currentInHandler.size());
        assertNull(currentInHandler.get(0));
    }

    @Test
    void processesChosenToStartObservationsHaveEveryMessageObservedAsARoot() {
        PhyxiusObservationInstrumentation instrumentation = PhyxiusObservationInstrumentation.builder(registry)
                .startObservationsFor("billing"::equals)
                .build();
        ProcessRef<Msg> billing = spawn("billing", instrumentation);
        ProcessRef<Msg> orders = spawn("orders", instrumentation);
        assertTrue(billing.send(new Work()));
        assertTrue(orders.send(new Work()));
        assertEquals(
                Set.of("billing", "orders"),
                events.awaitEvents(ProcessEvent.MessageHandled.class, 2).stream()
                        .map(ProcessEvent.MessageHandled::name)
                        .collect(Collectors.toSet()),
                "both handled their message");

        TestObservationRegistryAssert.assertThat(registry)
                .hasNumberOfObservationsEqualTo(1)
                .hasSingleObservationThat()
                .hasContextualNameEqualTo("process billing")
                .doesNotHaveParentObservation()
                .hasBeenStopped();
    }

    @Test
    void aHandlerFailureBecomesTheObservationsErrorAndTheObservationIsStillStopped() {
        ProcessRef<Msg> orders = spawn("orders");
        sendInRequest(orders, new Fail());
        ProcessEvent.Failed failed = events.awaitEvent(ProcessEvent.Failed.class);
        assertEquals(orders.id(), failed.id());
        assertEquals("handler failed", failed.error().getMessage());

        TestObservationRegistryAssert.assertThat(registry)
                .hasObservationWithNameEqualTo(DefaultProcessObservationConvention.NAME)
                .that()
                .hasBeenStopped()
                .assertThatError()
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("handler failed");
        lifecycles.assertEachStartedOneWasClosedAndStopped(1);
    }

    @Test
    void theContextCarriesHowLongTheMessageWaitedOnTheProcessClock() throws InterruptedException {
        ProcessRef<Msg> orders = spawn("orders");
        Gate gate = new Gate();
        assertTrue(orders.send(new Hold(gate)));
        gate.awaitEntered();
        sendInRequest(orders, new Work()); // queued behind the held message
        clock.advance(Duration.ofMillis(250));
        gate.open();
        ProcessEvent.MessageHandled work =
                events.awaitEvents(ProcessEvent.MessageHandled.class, 2).get(1);
        assertEquals(Work.class, work.messageType());
        assertEquals(Duration.ofMillis(250), work.queued());

        List<ProcessObservationContext> contexts = messageContexts();
        assertEquals(1, contexts.size());
        assertEquals(work.queued(), contexts.get(0).queued(), "the context says what the process event says");
    }

    @Test
    void noRegistryWorkHappensWithANoopRegistry() {
        PhyxiusObservationInstrumentation instrumentation = PhyxiusObservationInstrumentation.builder(
                        ObservationRegistry.NOOP)
                .startObservationsFor(name -> true)
                .build();
        ProcessRef<Msg> orders = spawn("orders", instrumentation);
        assertNull(instrumentation.capture(orders, new Work()));
        assertNull(instrumentation.beforeHandle(orders, new Work(), null, 0L));
    }

    @Nested
    class Conventions {

        @Test
        void aConventionGivenToTheBuilderReplacesTheDefaultOne() {
            ProcessObservationConvention custom = new DefaultProcessObservationConvention() {
                @Override
                public String getName() {
                    return "orders.handled";
                }

                @Override
                public KeyValues getLowCardinalityKeyValues(ProcessObservationContext context) {
                    return super.getLowCardinalityKeyValues(context).and("tier", "gold");
                }
            };
            ProcessRef<Msg> orders = spawn(
                    "orders",
                    PhyxiusObservationInstrumentation.builder(registry)
                            .convention(custom)
                            .build());
            sendInRequest(orders, new Work());
            assertEquals(
                    orders.id(),
                    events.awaitEvent(ProcessEvent.MessageHandled.class).id());

            TestObservationRegistryAssert.assertThat(registry)
                    .hasNumberOfObservationsWithNameEqualTo(DefaultProcessObservationConvention.NAME, 0)
                    .hasObservationWithNameEqualTo("orders.handled")
                    .that()
                    .hasLowCardinalityKeyValue("tier", "gold")
                    .hasLowCardinalityKeyValue("messaging.destination.name", "orders");
        }

        @Test
        void aConventionRegisteredInTheRegistryReplacesTheDefaultOne() {
            registry.observationConfig().observationConvention(new GlobalProcessConvention() {
                @Override
                public String getName() {
                    return "global.name";
                }
            });
            ProcessRef<Msg> orders = spawn("orders");
            sendInRequest(orders, new Work());
            assertEquals(
                    orders.id(),
                    events.awaitEvent(ProcessEvent.MessageHandled.class).id());

            TestObservationRegistryAssert.assertThat(registry)
                    .hasNumberOfObservationsWithNameEqualTo("global.name", 1)
                    .hasNumberOfObservationsWithNameEqualTo(DefaultProcessObservationConvention.NAME, 0);
        }

        @Test
        void theDocumentationListsExactlyTheKeysOfTheDefaultConvention() {
            ProcessRef<Msg> orders = spawn("orders");
            ProcessObservationContext context = new ProcessObservationContext(orders, new Work(), 0L);
            DefaultProcessObservationConvention convention = new DefaultProcessObservationConvention();

            assertEquals(
                    keys(PhyxiusObservationDocumentation.MESSAGE_PROCESS.getLowCardinalityKeyNames()),
                    convention.getLowCardinalityKeyValues(context).stream()
                            .map(kv -> kv.getKey())
                            .collect(Collectors.toSet()));
            assertEquals(
                    keys(PhyxiusObservationDocumentation.MESSAGE_PROCESS.getHighCardinalityKeyNames()),
                    convention.getHighCardinalityKeyValues(context).stream()
                            .map(kv -> kv.getKey())
                            .collect(Collectors.toSet()));
            assertSame(
                    DefaultProcessObservationConvention.class,
                    PhyxiusObservationDocumentation.MESSAGE_PROCESS.getDefaultConvention());
        }

        interface GlobalProcessConvention
                extends ProcessObservationConvention, GlobalObservationConvention<ProcessObservationContext> {}

        private static Set<String> keys(KeyName[] names) {
            return Arrays.stream(names).map(KeyName::asString).collect(Collectors.toSet());
        }
    }

    @Nested
    class UnderSupervision {

        @Test
        void aSupervisorsChildrenAreObservedThroughItsOptionsAcrossARestart() {
            Supervisor supervisor = new Supervisor(kit.supervisorOptions()
                    .withStrategy(SupervisionStrategy.oneForOne().withBackoff(Backoff.none()))
                    .withInstrumentation(
                            PhyxiusObservationInstrumentation.builder(registry).build()));
            try {
                ProcessRef<Msg> worker = supervisor.spawn(spec("worker"));
                Observation failing = sendInRequest(worker, new Fail());
                SupervisorEvent.ChildRestarted restarted = events.awaitEvent(SupervisorEvent.ChildRestarted.class);
                assertEquals(worker.id(), restarted.child());
                assertEquals(Duration.ZERO, restarted.delay());
                Observation after = sendInRequest(worker, new Work());
                assertEquals(
                        worker.id(),
                        events.awaitEvent(ProcessEvent.MessageHandled.class).id());

                Set<ObservationView> parents = new HashSet<>();
                for (ProcessObservationContext context : messageContexts()) {
                    parents.add(context.getParentObservation());
                }
                assertEquals(Set.of(failing, after), parents);
                lifecycles.assertEachStartedOneWasClosedAndStopped(2);
            } finally {
                supervisor.close();
            }
        }

        @Test
        void observabilityAppliedOnTopKeepsTheObservationInstrumentation() {
            PhyxiusObservability observability =
                    PhyxiusObservability.builder().jfr(true).build();
            Supervisor supervisor = new Supervisor(observability.apply(kit.supervisorOptions()
                    .withInstrumentation(
                            PhyxiusObservationInstrumentation.builder(registry).build())));
            try {
                ProcessRef<Msg> worker = supervisor.spawn(spec("worker"));
                Observation request = sendInRequest(worker, new Work());
                ProcessEvent.MessageHandled handled = events.awaitEvent(ProcessEvent.MessageHandled.class);
                assertEquals(worker.id(), handled.id());
                assertEquals(Work.class, handled.messageType());

                TestObservationRegistryAssert.assertThat(registry)
                        .hasObservationWithNameEqualTo(DefaultProcessObservationConvention.NAME)
                        .that()
                        .hasParentObservationEqualTo(request)
                        .hasBeenStopped();
            } finally {
                supervisor.close();
            }
        }
    }

    @Test
    void underManySendersEveryObservedMessageHasOneStoppedObservationWhoseParentIsItsSendersObservation()
            throws InterruptedException {
        int senders = 8;
        int perSender = 200;
        ProcessRef<Msg> orders = spawn("orders");
        Map<ObservationView, Integer> sentUnder = new ConcurrentHashMap<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Throwable> senderFailures = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                try {
                    for (int i = 0; i < perSender; i++) {
                        sentUnder.merge(sendInRequest(orders, new Work()), 1, Integer::sum);
                    }
                } catch (Throwable failure) {
                    senderFailures.add(failure);
                }
            }));
        }
        start.countDown();
        for (Thread thread : threads) {
            assertTrue(thread.join(Duration.ofSeconds(20)), "a sender did not finish");
        }
        assertEquals(List.of(), senderFailures);
        events.awaitEvents(ProcessEvent.MessageHandled.class, senders * perSender);
        assertTrue(
                events.assertCount(ProcessEvent.MessageHandled.class, senders * perSender).stream()
                        .allMatch(e -> e.id().equals(orders.id())),
                "every message sent was handled by orders, once");

        List<ProcessObservationContext> contexts = messageContexts();
        assertEquals(senders * perSender, contexts.size());
        Map<ObservationView, Integer> observedUnder = new HashMap<>();
        for (ProcessObservationContext context : contexts) {
            observedUnder.merge(context.getParentObservation(), 1, Integer::sum);
        }
        assertEquals(sentUnder, observedUnder, "each message's observation has its own sender's request as parent");
        lifecycles.assertEachStartedOneWasClosedAndStopped(senders * perSender);
        assertEquals(
                senders * perSender,
                currentInHandler.stream().filter(o -> o != null).count());
    }

    @Test
    void theBuilderRejectsNullsNamingTheArgument() {
        assertEquals(
                "registry",
                assertThrows(NullPointerException.class, () -> PhyxiusObservationInstrumentation.builder(null))
                        .getMessage());
        PhyxiusObservationInstrumentation.Builder builder = PhyxiusObservationInstrumentation.builder(registry);
        assertEquals(
                "convention",
                assertThrows(NullPointerException.class, () -> builder.convention(null))
                        .getMessage());
        assertEquals(
                "processNames",
                assertThrows(NullPointerException.class, () -> builder.startObservationsFor(null))
                        .getMessage());
    }
}

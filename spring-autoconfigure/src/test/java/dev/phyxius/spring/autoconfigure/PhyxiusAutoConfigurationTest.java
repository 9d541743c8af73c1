package dev.phyxius.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.phyxius.clock.Clock;
import dev.phyxius.clock.Event;
import dev.phyxius.clock.EventSink;
import dev.phyxius.process.ProcessId;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.ProcessStatus;
import dev.phyxius.spring.autoconfigure.internal.SupervisionTrees;
import dev.phyxius.supervisor.Backoff;
import dev.phyxius.supervisor.SupervisionStrategy;
import dev.phyxius.supervisor.Supervisor;
import dev.phyxius.supervisor.SupervisorEvent;
import dev.phyxius.supervisor.SupervisorOptions;
import dev.phyxius.testing.ControlledClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/** The core beans: what they are, what properties change, and when they back off. */
@Timeout(30)
class PhyxiusAutoConfigurationTest {

    private final ApplicationContextRunner runner =
            new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(PhyxiusAutoConfiguration.class));

    /** Records every event, for tests that watch a supervisor work. */
    static final class Recorder implements EventSink {
        final List<Event> events = new CopyOnWriteArrayList<>();

        @Override
        public void emit(Event event) {
            events.add(event);
        }

        <E extends Event> List<E> ofType(Class<E> type) {
            return events.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }

    static final ProcessSpec<String, Integer, Void> CRASHER = ProcessSpec.<String, Integer>named("crasher")
            .init(() -> 0)
            .handler((count, msg, tools) -> {
                if (msg.equals("crash")) {
                    throw new IllegalStateException("crash");
                }
                return count + 1;
            })
            .build();

    @Test
    void providesTheSystemClockARunningSupervisorItsOptionsGiveUpsAndALifecycle() {
        runner.run(context -> {
            assertThat(context)
                    .hasSingleBean(Clock.class)
                    .hasSingleBean(SupervisorOptions.class)
                    .hasSingleBean(Supervisor.class)
                    .hasSingleBean(GiveUps.class)
                    .hasSingleBean(SupervisorLifecycle.class);
            assertThat(context.getBean(Clock.class)).isSameAs(Clock.system());
            Supervisor supervisor = context.getBean(Supervisor.class);
            assertThat(supervisor.snapshot().status()).isEqualTo(ProcessStatus.RUNNING);
            assertThat(supervisor.snapshot().strategy()).isEqualTo(SupervisionStrategy.oneForOne());
        });
    }

    @Test
    void theStrategyIntensityBackoffAndIdComeFromProperties() {
        runner.withPropertyValues(
                        "phyxius.supervisor.id=orders-root",
                        "phyxius.supervisor.strategy=rest-for-one",
                        "phyxius.supervisor.max-restarts=5",
                        "phyxius.supervisor.within=10s",
                        "phyxius.supervisor.backoff.initial=100ms",
                        "phyxius.supervisor.backoff.max=2s",
                        "phyxius.supervisor.backoff.factor=3")
                .run(context -> {
                    Supervisor supervisor = context.getBean(Supervisor.class);
                    assertThat(supervisor.id()).isEqualTo(new ProcessId("orders-root"));
                    assertThat(supervisor.snapshot().strategy())
                            .isEqualTo(SupervisionStrategy.restForOne()
                                    .withMaxRestarts(5, Duration.ofSeconds(10))
                                    .withBackoff(
                                            Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(2), 3.0)));
                });
    }

    @ParameterizedTest(name = "phyxius.supervisor.strategy={0}")
    @CsvSource({"one-for-one, oneForOne", "one-for-all, oneForAll", "rest-for-one, restForOne", "ONE_FOR_ALL, oneForAll"
    })
    void everyStrategyKindCanBeChosenByProperty(String value, String kind) {
        runner.withPropertyValues("phyxius.supervisor.strategy=" + value)
                .run(context -> assertThat(SupervisionTrees.kind(
                                context.getBean(Supervisor.class).snapshot().strategy()))
                        .isEqualTo(kind));
    }

    @Test
    void aJitterSeedMakesTheBackoffReproducible() {
        runner.withPropertyValues(
                        "phyxius.supervisor.backoff.initial=1s",
                        "phyxius.supervisor.backoff.jitter=0.5",
                        "phyxius.supervisor.backoff.jitter-seed=42")
                .run(context -> {
                    Backoff backoff = context.getBean(Supervisor.class)
                            .snapshot()
                            .strategy()
                            .backoff();
                    assertThat(backoff.jitter()).isEqualTo(0.5);
                    assertThat(backoff.seed()).isEqualTo(42L);
                });
    }

    @Test
    void theBackoffFromPropertiesIsWaitedOnTheApplicationsClock() {
        ControlledClock clock = ControlledClock.create();
        runner.withBean(Clock.class, () -> clock)
                .withBean(Recorder.class, Recorder::new)
                .withPropertyValues("phyxius.supervisor.backoff.initial=100ms")
                .run(context -> {
                    Recorder recorder = context.getBean(Recorder.class);
                    ProcessRef<String> crasher =
                            context.getBean(Supervisor.class).spawn(CRASHER);
                    crasher.send("crash");
                    await().atMost(Duration.ofSeconds(10))
                            .until(() -> !recorder.ofType(SupervisorEvent.RestartScheduled.class)
                                    .isEmpty());
                    clock.advance(Duration.ofMillis(99));
                    assertThat(recorder.ofType(SupervisorEvent.ChildRestarted.class))
                            .isEmpty();
                    clock.advance(Duration.ofMillis(1));
                    await().atMost(Duration.ofSeconds(10))
                            .until(() -> recorder.ofType(SupervisorEvent.ChildRestarted.class)
                                            .size()
                                    == 1);
                    assertThat(recorder.ofType(SupervisorEvent.ChildRestarted.class)
                                    .get(0)
                                    .delay())
                            .isEqualTo(Duration.ofMillis(100));
                });
    }

    @Nested
    class BadPropertiesFailStartUpNamingTheProperty {

        @Test
        void anIntensityBelowOne() {
            runner.withPropertyValues("phyxius.supervisor.max-restarts=0")
                    .run(context -> assertThat(context)
                            .getFailure()
                            .rootCause()
                            .hasMessage("phyxius.supervisor.max-restarts must be >= 1, was 0"));
        }

        @Test
        void aNonPositiveWindow() {
            runner.withPropertyValues("phyxius.supervisor.within=0s")
                    .run(context -> assertThat(context)
                            .getFailure()
                            .rootCause()
                            .hasMessage("phyxius.supervisor.within must be positive, was PT0S"));
        }

        @Test
        void aJitterOutsideZeroToOne() {
            runner.withPropertyValues("phyxius.supervisor.backoff.jitter=1.5")
                    .run(context -> assertThat(context)
                            .getFailure()
                            .rootCause()
                            .hasMessage("phyxius.supervisor.backoff.jitter must be in [0, 1], was 1.5"));
        }

        @Test
        void aMaximumDelayBelowTheInitialOne() {
            runner.withPropertyValues("phyxius.supervisor.backoff.initial=2s", "phyxius.supervisor.backoff.max=1s")
                    .run(
                            context -> assertThat(context)
                                    .getFailure()
                                    .rootCause()
                                    .hasMessage(
                                            "phyxius.supervisor.backoff.max (PT1S) must be >= phyxius.supervisor.backoff.initial (PT2S)"));
        }

        @Test
        void anUnknownStrategy() {
            runner.withPropertyValues("phyxius.supervisor.strategy=one-for-some")
                    .run(context ->
                            assertThat(context).getFailure().hasStackTraceContaining("phyxius.supervisor.strategy"));
        }
    }

    @Test
    void everyEventSinkBeanSeesTheSupervisorsEventsAndGiveUpsRecordsAGiveUp() {
        runner.withBean(Recorder.class, Recorder::new)
                .withPropertyValues("phyxius.supervisor.max-restarts=1")
                .run(context -> {
                    Recorder recorder = context.getBean(Recorder.class);
                    ProcessRef<String> crasher =
                            context.getBean(Supervisor.class).spawn(CRASHER);
                    crasher.send("crash");
                    await().atMost(Duration.ofSeconds(10))
                            .until(() -> recorder.ofType(SupervisorEvent.ChildRestarted.class)
                                            .size()
                                    == 1);
                    crasher.send("crash"); // the second failure inside 5 s: gives up
                    await().atMost(Duration.ofSeconds(10)).until(() -> crasher.status() == ProcessStatus.FAILED);

                    GiveUps giveUps = context.getBean(GiveUps.class);
                    assertThat(giveUps.total()).isEqualTo(1);
                    GiveUps.GiveUp giveUp = giveUps.recent().get(0);
                    assertThat(giveUp.child()).isEqualTo(crasher.id());
                    assertThat(giveUp.name()).isEqualTo("crasher");
                    assertThat(giveUp.restarts()).isEqualTo(1);
                    assertThat(giveUp.supervisor())
                            .isEqualTo(context.getBean(Supervisor.class).id());
                    assertThat(recorder.ofType(SupervisorEvent.GaveUp.class)).hasSize(1);
                });
    }

    @Test
    void customizersRunInOrderOnTheOptions() {
        List<String> calls = new CopyOnWriteArrayList<>();
        runner.withUserConfiguration(Customizers.class)
                .withBean("calls", List.class, () -> calls)
                .run(context -> {
                    assertThat(calls).containsExactly("first", "second");
                    assertThat(context.getBean(Supervisor.class).id()).isEqualTo(new ProcessId("customized"));
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class Customizers {

        @Bean
        @Order(2)
        SupervisorOptionsCustomizer second(List<String> calls) {
            return options -> {
                calls.add("second");
                return options.withId(new ProcessId("customized"));
            };
        }

        @Bean
        @Order(1)
        SupervisorOptionsCustomizer first(List<String> calls) {
            return options -> {
                calls.add("first");
                return options;
            };
        }
    }

    @Test
    void aCustomizerThatReturnsNullFailsStartUpNamingIt() {
        runner.withBean(SupervisorOptionsCustomizer.class, () -> options -> null)
                .run(context -> assertThat(context).getFailure().rootCause().hasMessageContaining("returned null"));
    }

    @Test
    void closingTheContextStopsTheSupervisorAndItsChildren() {
        List<String> stopped = new CopyOnWriteArrayList<>();
        ProcessSpec<String, Integer, Void> spec = ProcessSpec.<String, Integer>named("worker")
                .init(() -> 0)
                .handler((count, msg, tools) -> count + 1)
                .onStop((count, reason, ctx) -> stopped.add("worker " + reason))
                .build();
        Supervisor[] supervisor = new Supervisor[1];
        runner.run(context -> {
            supervisor[0] = context.getBean(Supervisor.class);
            supervisor[0].spawn(spec);
        });
        assertThat(stopped).containsExactly("worker SHUTDOWN");
        assertThat(supervisor[0].snapshot().status()).isEqualTo(ProcessStatus.STOPPED);
    }

    @Nested
    class BacksOff {

        @Test
        void whenTheApplicationHasItsOwnClock() {
            ControlledClock clock = ControlledClock.create();
            runner.withBean(Clock.class, () -> clock).run(context -> {
                assertThat(context).hasSingleBean(Clock.class);
                assertThat(context.getBean(SupervisorOptions.class).clock()).isSameAs(clock);
            });
        }

        @Test
        void whenTheApplicationHasItsOwnOptions() {
            SupervisorOptions options = SupervisorOptions.of(Clock.system()).withId(new ProcessId("mine"));
            runner.withBean(SupervisorOptions.class, () -> options)
                    .run(context ->
                            assertThat(context.getBean(Supervisor.class).id()).isEqualTo(new ProcessId("mine")));
        }

        @Test
        void whenTheApplicationHasItsOwnSupervisorWhichTheLifecycleStillStops() {
            Supervisor[] mine = new Supervisor[1];
            runner.withUserConfiguration(OwnSupervisor.class).run(context -> {
                assertThat(context).hasSingleBean(Supervisor.class).doesNotHaveBean("phyxiusSupervisor");
                mine[0] = context.getBean(Supervisor.class);
                assertThat(mine[0].id()).isEqualTo(new ProcessId("mine"));
            });
            // Spring was told not to close it: only the lifecycle can have stopped it.
            assertThat(mine[0].snapshot().status()).isEqualTo(ProcessStatus.STOPPED);
        }

        @Test
        void whenTheApplicationHasItsOwnLifecycleOrGiveUps() {
            SupervisorLifecycle lifecycle = new SupervisorLifecycle(List::of, Duration.ofSeconds(1));
            GiveUps giveUps = new GiveUps();
            runner.withBean(SupervisorLifecycle.class, () -> lifecycle)
                    .withBean(GiveUps.class, () -> giveUps)
                    .run(context -> {
                        assertThat(context.getBean(SupervisorLifecycle.class)).isSameAs(lifecycle);
                        assertThat(context.getBean(GiveUps.class)).isSameAs(giveUps);
                    });
        }

        @Test
        void entirelyWhenDisabled() {
            runner.withPropertyValues("phyxius.enabled=false")
                    .run(context -> assertThat(context)
                            .doesNotHaveBean(Supervisor.class)
                            .doesNotHaveBean(Clock.class)
                            .doesNotHaveBean(SupervisorLifecycle.class));
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnSupervisor {

        @Bean(destroyMethod = "")
        Supervisor mySupervisor(SupervisorOptions options) {
            return new Supervisor(options.withId(new ProcessId("mine")));
        }
    }

    @Test
    void aNestedSupervisorBeanIsStoppedThroughItsParentWithItsChildren() {
        List<String> stopped = new CopyOnWriteArrayList<>();
        Supervisor[] supervisors = new Supervisor[2];
        runner.withUserConfiguration(NestedSupervisors.class).run(context -> {
            supervisors[0] = context.getBean("root", Supervisor.class);
            supervisors[1] = context.getBean("nested", Supervisor.class);
            supervisors[1].spawn(ProcessSpec.<String, Integer>named("leaf")
                    .init(() -> 0)
                    .handler((count, msg, tools) -> count)
                    .onStop((count, reason, ctx) -> stopped.add("leaf " + reason))
                    .build());
            assertThat(SupervisionTrees.roots(List.of(supervisors[0], supervisors[1])))
                    .containsExactly(supervisors[0]);
        });
        assertThat(stopped).containsExactly("leaf SHUTDOWN");
        assertThat(supervisors[0].snapshot().status()).isEqualTo(ProcessStatus.STOPPED);
        assertThat(supervisors[1].snapshot().status()).isEqualTo(ProcessStatus.STOPPED);
    }

    @Configuration(proxyBeanMethods = false)
    static class NestedSupervisors {

        @Bean(destroyMethod = "")
        Supervisor root(SupervisorOptions options) {
            return new Supervisor(options.withId(new ProcessId("root")));
        }

        @Bean(destroyMethod = "")
        Supervisor nested(Supervisor root, SupervisorOptions options) {
            Supervisor nested = new Supervisor(options.withId(new ProcessId("nested")));
            root.supervise(nested);
            return nested;
        }
    }
}

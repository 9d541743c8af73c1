package dev.phyxius.spring.autoconfigure.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.phyxius.process.ProcessId;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.ProcessStatus;
import dev.phyxius.spring.autoconfigure.PhyxiusAutoConfiguration;
import dev.phyxius.supervisor.SupervisionStrategy;
import dev.phyxius.supervisor.Supervisor;
import dev.phyxius.supervisor.SupervisorOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The health indicator and the endpoint, on real supervisors. */
@Timeout(30)
class ActuatorContributionsTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    PhyxiusAutoConfiguration.class,
                    EndpointAutoConfiguration.class,
                    PhyxiusHealthContributorAutoConfiguration.class,
                    PhyxiusEndpointAutoConfiguration.class))
            .withPropertyValues("management.endpoints.web.exposure.include=health,phyxius");

    sealed interface Msg {}

    record Crash() implements Msg {}

    record Hold(CountDownLatch started, CountDownLatch release) implements Msg {}

    record Work() implements Msg {}

    static ProcessSpec<Msg, Integer, Void> worker(String name) {
        return ProcessSpec.<Msg, Integer>named(name)
                .init(() -> 0)
                .handler((count, msg, tools) -> {
                    switch (msg) {
                        case Crash c -> throw new IllegalStateException("crash");
                        case Hold h -> {
                            h.started().countDown();
                            h.release().await(20, TimeUnit.SECONDS);
                        }
                        case Work w -> {}
                    }
                    return count + 1;
                })
                .build();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> supervisorDetails(Health health, String bean) {
        return (Map<String, Object>) ((Map<String, Object>) health.getDetails().get("supervisors")).get(bean);
    }

    @Nested
    class TheHealthIndicator {

        @Test
        void isUpWithEachRootSupervisorInItsDetails() {
            runner.run(context -> {
                context.getBean(Supervisor.class).spawn(worker("a"));
                Health health = context.getBean("phyxiusHealthIndicator", HealthIndicator.class)
                        .health();
                assertThat(health.getStatus()).isEqualTo(Status.UP);
                Map<String, Object> details = supervisorDetails(health, "phyxiusSupervisor");
                assertThat(details)
                        .containsEntry("status", "RUNNING")
                        .containsEntry("children", 1)
                        .containsEntry("gaveUp", List.of());
            });
        }

        @Test
        void isDownOnceTheSupervisorGaveUpOnAChildNamingIt() {
            runner.withPropertyValues("phyxius.supervisor.max-restarts=1").run(context -> {
                ProcessRef<Msg> flaky = context.getBean(Supervisor.class).spawn(worker("flaky"));
                flaky.send(new Crash());
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> context.getBean(Supervisor.class).restartCount(flaky.id()) == 1);
                flaky.send(new Crash());
                await().atMost(Duration.ofSeconds(10)).until(() -> flaky.status() == ProcessStatus.FAILED);

                Health health = context.getBean("phyxiusHealthIndicator", HealthIndicator.class)
                        .health();
                assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                assertThat(supervisorDetails(health, "phyxiusSupervisor").get("gaveUp"))
                        .asInstanceOf(InstanceOfAssertFactories.LIST)
                        .singleElement()
                        .satisfies(giveUp -> assertThat((Map<String, Object>) giveUp)
                                .containsEntry("child", flaky.id().value())
                                .containsEntry("name", "flaky")
                                .containsEntry("restarts", 1)
                                .containsEntry("within", "PT5S")
                                .containsKey("at"));
            });
        }

        @Test
        void staysUpWhenANestedSupervisorGivesUpAndItsParentRestartsIt() {
            runner.withUserConfiguration(NestedSupervisor.class).run(context -> {
                Supervisor nested = context.getBean(NestedTree.class).supervisor();
                Supervisor root = context.getBean("phyxiusSupervisor", Supervisor.class);
                ProcessRef<Msg> flaky = nested.spawn(worker("flaky"));
                flaky.send(new Crash());
                await().atMost(Duration.ofSeconds(10)).until(() -> nested.restartCount(flaky.id()) == 1);
                flaky.send(new Crash()); // the nested supervisor allows one restart: it gives up and escalates
                await().atMost(Duration.ofSeconds(10)).until(() -> root.restartCount(nested.id()) == 1);
                await().atMost(Duration.ofSeconds(10)).until(() -> flaky.status() == ProcessStatus.RUNNING);

                Health health = context.getBean("phyxiusHealthIndicator", HealthIndicator.class)
                        .health();
                assertThat(health.getStatus()).isEqualTo(Status.UP);
                assertThat((Map<String, Object>) health.getDetails().get("supervisors"))
                        .containsOnlyKeys("phyxiusSupervisor");
            });
        }

        @Test
        void isOutOfServiceOnceTheSupervisorStopped() {
            runner.run(context -> {
                context.getBean(Supervisor.class).stop().join();
                assertThat(context.getBean("phyxiusHealthIndicator", HealthIndicator.class)
                                .health()
                                .getStatus())
                        .isEqualTo(Status.OUT_OF_SERVICE);
            });
        }

        @Test
        void isOffWithTheProperty() {
            runner.withPropertyValues("management.health.phyxius.enabled=false")
                    .run(context -> assertThat(context).doesNotHaveBean("phyxiusHealthIndicator"));
        }

        @Test
        void backsOffForTheApplicationsOwn() {
            HealthIndicator mine = () -> Health.up().build();
            runner.withBean("phyxiusHealthIndicator", HealthIndicator.class, () -> mine)
                    .run(context -> {
                        assertThat(context.getBean("phyxiusHealthIndicator")).isSameAs(mine);
                        assertThat(context).doesNotHaveBean(PhyxiusHealthIndicator.class);
                    });
        }
    }

    /**
     * A supervisor nested under the root. Not a {@code Supervisor} bean itself: one would make the
     * auto-configured root back off, as any {@code Supervisor} bean does.
     */
    record NestedTree(Supervisor supervisor) {}

    @Configuration(proxyBeanMethods = false)
    static class NestedSupervisor {

        @Bean
        NestedTree nestedSupervisor(Supervisor phyxiusSupervisor, SupervisorOptions options) {
            Supervisor nested = new Supervisor(options.withId(new ProcessId("nested"))
                    .withStrategy(SupervisionStrategy.oneForOne().withMaxRestarts(1, Duration.ofMinutes(1))));
            phyxiusSupervisor.supervise(nested);
            return new NestedTree(nested);
        }
    }

    @Nested
    class TheEndpoint {

        @Test
        void describesTheTreeWithStatusesMailboxSizesAndRestartCounts() throws InterruptedException {
            runner.withUserConfiguration(NestedSupervisor.class)
                    .withPropertyValues(
                            "phyxius.supervisor.id=root",
                            "phyxius.supervisor.backoff.initial=10ms",
                            "phyxius.supervisor.backoff.max=1s")
                    .run(context -> {
                        Supervisor root = context.getBean("phyxiusSupervisor", Supervisor.class);
                        ProcessRef<Msg> busy = root.spawn(worker("busy"));
                        CountDownLatch started = new CountDownLatch(1);
                        CountDownLatch release = new CountDownLatch(1);
                        busy.send(new Hold(started, release));
                        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
                        busy.send(new Work());
                        busy.send(new Work());
                        ProcessRef<Msg> leaf =
                                context.getBean(NestedTree.class).supervisor().spawn(worker("leaf"));
                        try {
                            PhyxiusEndpoint.SupervisorsDescriptor all =
                                    context.getBean(PhyxiusEndpoint.class).supervisors();
                            assertThat(all.supervisors()).containsOnlyKeys("phyxiusSupervisor");
                            PhyxiusEndpoint.SupervisorDescriptor tree =
                                    all.supervisors().get("phyxiusSupervisor");
                            assertThat(tree.id()).isEqualTo("root");
                            assertThat(tree.status()).isEqualTo("RUNNING");
                            assertThat(tree.strategy())
                                    .isEqualTo(new PhyxiusEndpoint.StrategyDescriptor(
                                            "oneForOne",
                                            3,
                                            "PT5S",
                                            new PhyxiusEndpoint.BackoffDescriptor("PT0.01S", "PT1S", 2.0, 0.0)));
                            assertThat(tree.children()).hasSize(2);
                            PhyxiusEndpoint.ChildDescriptor nested =
                                    tree.children().get(0);
                            assertThat(nested.name()).isEqualTo("supervisor");
                            assertThat(nested.supervisor().id()).isEqualTo("nested");
                            assertThat(nested.supervisor().strategy().maxRestarts())
                                    .isEqualTo(1);
                            assertThat(nested.supervisor().children())
                                    .singleElement()
                                    .satisfies(child -> {
                                        assertThat(child.id())
                                                .isEqualTo(leaf.id().value());
                                        assertThat(child.name()).isEqualTo("leaf");
                                        assertThat(child.supervisor()).isNull();
                                    });
                            PhyxiusEndpoint.ChildDescriptor busyChild =
                                    tree.children().get(1);
                            assertThat(busyChild.name()).isEqualTo("busy");
                            assertThat(busyChild.kind()).isEqualTo("PERMANENT");
                            assertThat(busyChild.status()).isEqualTo("RUNNING");
                            assertThat(busyChild.mailboxSize()).isEqualTo(2);
                            assertThat(busyChild.restartCount()).isZero();
                            assertThat(context.getBean(PhyxiusEndpoint.class).supervisor("phyxiusSupervisor"))
                                    .isEqualTo(tree);
                            assertThat(context.getBean(PhyxiusEndpoint.class).supervisor("nested"))
                                    .isNull();
                        } finally {
                            release.countDown();
                        }
                    });
        }

        @Test
        void countsRestartsAndListsGiveUps() {
            runner.withPropertyValues("phyxius.supervisor.max-restarts=1").run(context -> {
                Supervisor root = context.getBean(Supervisor.class);
                ProcessRef<Msg> flaky = root.spawn(worker("flaky"));
                flaky.send(new Crash());
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> context.getBean(PhyxiusEndpoint.class)
                                        .supervisor("phyxiusSupervisor")
                                        .children()
                                        .get(0)
                                        .restartCount()
                                == 1);
                flaky.send(new Crash());
                await().atMost(Duration.ofSeconds(10)).until(() -> flaky.status() == ProcessStatus.FAILED);

                PhyxiusEndpoint.SupervisorDescriptor tree =
                        context.getBean(PhyxiusEndpoint.class).supervisor("phyxiusSupervisor");
                assertThat(tree.children())
                        .as("a child given up on is forgotten")
                        .isEmpty();
                assertThat(tree.giveUps()).singleElement().satisfies(giveUp -> {
                    assertThat(giveUp.child()).isEqualTo(flaky.id().value());
                    assertThat(giveUp.name()).isEqualTo("flaky");
                    assertThat(giveUp.restarts()).isEqualTo(1);
                });
            });
        }

        @Test
        void isNotAvailableUnlessExposed() {
            new WebApplicationContextRunner()
                    .withConfiguration(AutoConfigurations.of(
                            PhyxiusAutoConfiguration.class,
                            EndpointAutoConfiguration.class,
                            PhyxiusEndpointAutoConfiguration.class))
                    .run(context -> assertThat(context).doesNotHaveBean(PhyxiusEndpoint.class));
        }
    }
}

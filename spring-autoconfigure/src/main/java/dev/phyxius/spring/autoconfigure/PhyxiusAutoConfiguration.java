package dev.phyxius.spring.autoconfigure;

import dev.phyxius.clock.Clock;
import dev.phyxius.clock.EventSink;
import dev.phyxius.process.ProcessId;
import dev.phyxius.spring.autoconfigure.internal.FanOutEventSink;
import dev.phyxius.supervisor.Supervisor;
import dev.phyxius.supervisor.SupervisorOptions;
import java.time.Duration;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Auto-configures Phyxius's core: a {@link Clock}, the root supervisor's
 * {@link SupervisorOptions}, the root {@link Supervisor}, the {@link GiveUps} it reports to, and
 * the {@link SupervisorLifecycle} that stops it with the application context.
 *
 * <p>Each bean backs off when the application defines its own of the same type: a
 * {@code ControlledClock} bean in a test, a {@code Supervisor} built from other options. The
 * options gather every {@link EventSink} bean (in order) as their event sink and pass through
 * every {@link SupervisorOptionsCustomizer} bean; the observability auto-configuration adds
 * spans, meters, observations and JFR events that way. The lifecycle stops every
 * {@code Supervisor} bean, the application's own too.
 *
 * <p>Off with {@code phyxius.enabled=false}.
 *
 * @since 0.1
 */
@AutoConfiguration
@ConditionalOnClass(Supervisor.class)
@ConditionalOnBooleanProperty(name = "phyxius.enabled", matchIfMissing = true)
@EnableConfigurationProperties(PhyxiusProperties.class)
public final class PhyxiusAutoConfiguration {

    /** Spring's own default for {@code spring.lifecycle.timeout-per-shutdown-phase}. */
    private static final Duration DEFAULT_SHUTDOWN_PHASE_TIMEOUT = Duration.ofSeconds(30);

    PhyxiusAutoConfiguration() {}

    /**
     * The system clock: wall time from the system, monotonic time from {@code System.nanoTime()}.
     *
     * @return {@link Clock#system()}
     */
    @Bean
    @ConditionalOnMissingBean
    Clock phyxiusClock() {
        return Clock.system();
    }

    /**
     * Remembers which children the supervisors gave up on, for the health indicator.
     *
     * @return an empty record
     */
    @Bean
    @ConditionalOnMissingBean
    GiveUps phyxiusGiveUps() {
        return new GiveUps();
    }

    /**
     * The root supervisor's options: the clock, the strategy from {@code phyxius.supervisor.*},
     * every event sink bean, then every customizer.
     *
     * @param clock       the clock
     * @param properties  the properties
     * @param sinks       the application's event sinks (including {@link GiveUps})
     * @param customizers the customizers, in order
     * @return the options
     */
    @Bean
    @ConditionalOnMissingBean
    SupervisorOptions phyxiusSupervisorOptions(
            Clock clock,
            PhyxiusProperties properties,
            ObjectProvider<EventSink> sinks,
            ObjectProvider<SupervisorOptionsCustomizer> customizers) {
        PhyxiusProperties.RootSupervisor supervisor = properties.getSupervisor();
        SupervisorOptions options = SupervisorOptions.of(clock).withStrategy(supervisor.toStrategy());
        if (supervisor.getId() != null) {
            options = options.withId(new ProcessId(supervisor.getId()));
        }
        List<EventSink> all = sinks.orderedStream().toList();
        if (!all.isEmpty()) {
            options = options.withEvents(FanOutEventSink.of(all));
        }
        for (SupervisorOptionsCustomizer customizer :
                customizers.orderedStream().toList()) {
            SupervisorOptions customized = customizer.customize(options);
            if (customized == null) {
                throw new IllegalStateException("SupervisorOptionsCustomizer " + customizer + " returned null");
            }
            options = customized;
        }
        return options;
    }

    /**
     * The root supervisor. Its destroy method is the lifecycle's: Spring must not call
     * {@link Supervisor#close()}, which waits without the phase's bound.
     *
     * @param options its options
     * @return a running supervisor with no children
     */
    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    Supervisor phyxiusSupervisor(SupervisorOptions options) {
        return new Supervisor(options);
    }

    /**
     * Stops every supervisor bean in the shutdown phase.
     *
     * @param supervisors the supervisor beans
     * @param environment for {@code spring.lifecycle.timeout-per-shutdown-phase}
     * @return the lifecycle
     */
    @Bean
    @ConditionalOnMissingBean
    SupervisorLifecycle phyxiusSupervisorLifecycle(ObjectProvider<Supervisor> supervisors, Environment environment) {
        Duration timeout = Binder.get(environment)
                .bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
                .orElse(DEFAULT_SHUTDOWN_PHASE_TIMEOUT);
        return new SupervisorLifecycle(() -> supervisors.orderedStream().toList(), timeout);
    }
}

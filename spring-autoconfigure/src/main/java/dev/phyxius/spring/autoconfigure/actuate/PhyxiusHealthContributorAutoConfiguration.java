package dev.phyxius.spring.autoconfigure.actuate;

import dev.phyxius.spring.autoconfigure.GiveUps;
import dev.phyxius.spring.autoconfigure.PhyxiusAutoConfiguration;
import dev.phyxius.supervisor.Supervisor;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configures the {@link PhyxiusHealthIndicator} (contributor {@code phyxius}) when Spring
 * Boot's health support is present and the context has a supervisor. Off with
 * {@code management.health.phyxius.enabled=false}; a bean named {@code phyxiusHealthIndicator} of
 * the application's own replaces it.
 *
 * @since 0.1
 */
@AutoConfiguration(after = PhyxiusAutoConfiguration.class)
@ConditionalOnClass({HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
@ConditionalOnBean({Supervisor.class, GiveUps.class})
public final class PhyxiusHealthContributorAutoConfiguration {

    PhyxiusHealthContributorAutoConfiguration() {}

    /**
     * Nested so that the enablement condition, a class of Spring Boot's health module, is read only
     * once the class condition above found that module.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnEnabledHealthIndicator("phyxius")
    static class HealthIndicatorConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "phyxiusHealthIndicator")
        PhyxiusHealthIndicator phyxiusHealthIndicator(ListableBeanFactory beans, GiveUps giveUps) {
            return new PhyxiusHealthIndicator(beans, giveUps);
        }
    }
}

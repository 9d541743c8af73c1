package dev.phyxius.spring.autoconfigure.actuate;

import dev.phyxius.spring.autoconfigure.GiveUps;
import dev.phyxius.spring.autoconfigure.PhyxiusAutoConfiguration;
import dev.phyxius.supervisor.Supervisor;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configures the {@link PhyxiusEndpoint} when Spring Boot Actuator is present, the context
 * has a supervisor, and the endpoint is available (enabled and exposed:
 * {@code management.endpoints.web.exposure.include=health,phyxius} for HTTP).
 *
 * @since 0.1
 */
@AutoConfiguration(after = PhyxiusAutoConfiguration.class)
@ConditionalOnClass({Endpoint.class, ConditionalOnAvailableEndpoint.class})
@ConditionalOnBean({Supervisor.class, GiveUps.class})
public final class PhyxiusEndpointAutoConfiguration {

    PhyxiusEndpointAutoConfiguration() {}

    /**
     * Nested so that the availability condition, a class of Actuator's, is read only once the
     * class condition above found Actuator.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnAvailableEndpoint(PhyxiusEndpoint.class)
    static class EndpointConfiguration {

        @Bean
        @ConditionalOnMissingBean
        PhyxiusEndpoint phyxiusEndpoint(ListableBeanFactory beans, GiveUps giveUps) {
            return new PhyxiusEndpoint(beans, giveUps);
        }
    }
}

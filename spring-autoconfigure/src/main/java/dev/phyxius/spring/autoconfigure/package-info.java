/**
 * Spring Boot auto-configuration of Phyxius: {@link dev.phyxius.spring.autoconfigure.PhyxiusAutoConfiguration}
 * (clock, root supervisor, lifecycle), its {@link dev.phyxius.spring.autoconfigure.PhyxiusProperties}
 * ({@code phyxius.*}), and the extension points {@link dev.phyxius.spring.autoconfigure.SupervisorOptionsCustomizer}
 * and {@link dev.phyxius.spring.autoconfigure.GiveUps}. Add {@code phyxius-spring-boot-starter} to an
 * application rather than this module alone.
 *
 * <p>On the module path this jar is the automatic module {@code dev.phyxius.spring.autoconfigure};
 * its {@code internal} package is not API.
 */
package dev.phyxius.spring.autoconfigure;

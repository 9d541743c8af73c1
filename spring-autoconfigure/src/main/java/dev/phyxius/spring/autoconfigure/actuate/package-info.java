/**
 * Spring Boot Actuator support: the {@code phyxius} health indicator and the {@code phyxius}
 * endpoint. Active only with Spring Boot's health and actuator modules on the class path.
 */
package dev.phyxius.spring.autoconfigure.actuate;

package dev.phyxius.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a JUnit 5 test class (or method) as a Phyxius test: each test gets its own
 * {@link ProcessTestKit}, injected wherever a test method, constructor or lifecycle method declares
 * a {@code ProcessTestKit} or {@code ControlledClock} parameter, and torn down after the test.
 *
 * <p>After each test the kit stops everything it made, and the test fails if a process failed or
 * a message was dropped that the test did not declare with {@link ProcessTestKit#expectFailures()}
 * or {@link ProcessTestKit#expectDrops()}. See {@link PhyxiusExtension}.
 *
 * <pre>{@code
 * @PhyxiusTest
 * @Timeout(10)
 * class HeartbeatTest {
 *     @Test
 *     void beatsOncePerSecond(ProcessTestKit kit) { ... }
 * }
 * }</pre>
 *
 * @since 0.1
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(PhyxiusExtension.class)
public @interface PhyxiusTest {}

package dev.phyxius.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phyxius.clock.Clock;
import dev.phyxius.process.ProcessSpec;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Keyed groups' options and factories: defaults, and every bad value refused with a clear message. */
@Timeout(10)
class KeyedConfigurationTest {

    static final Clock CLOCK = new StillClock();
    static final ProcessSpec<String, String, Void> SPEC = ProcessSpec.<String, String>named("echo")
            .handler((state, message, tools) -> message)
            .build();

    static void assertMessage(RuntimeException e, String expected) {
        assertEquals(expected, e.getMessage());
    }

    @Test
    void theDefaultsPassivateAfterTwoMinutesBoundNothingAndQuarantineForTheStrategysWindow() {
        KeyedOptions<Object> options = KeyedOptions.of(CLOCK);
        assertEquals(Optional.of(Duration.ofMinutes(2)), options.idleTimeout());
        assertEquals(Integer.MAX_VALUE, options.maxLiveKeys());
        assertEquals(SupervisionStrategy.oneForOne(), options.strategy());
        assertEquals(SupervisionStrategy.DEFAULT_WITHIN, options.quarantine());
        assertEquals(ChildOptions.DEFAULT_SHUTDOWN_TIMEOUT, options.shutdownTimeout());
        assertTrue(options.events().isEmpty());
        assertTrue(options.ownership().isEmpty());
        assertTrue(options.supervisors().isEmpty());
        assertTrue(options.threadFactory().isEmpty());
        assertEquals(
                Duration.ofSeconds(9),
                options.withStrategy(SupervisionStrategy.oneForOne().withMaxRestarts(2, Duration.ofSeconds(9)))
                        .quarantine(),
                "the strategy's window by default");
    }

    @Test
    void optionsAreImmutable() {
        KeyedOptions<Object> options = KeyedOptions.of(CLOCK);
        options.withIdleTimeout(Duration.ofSeconds(1)).withMaxLiveKeys(3).withoutIdleTimeout();
        assertEquals(Optional.of(KeyedOptions.DEFAULT_IDLE_TIMEOUT), options.idleTimeout());
        assertEquals(Integer.MAX_VALUE, options.maxLiveKeys());
        assertFalse(options.withoutIdleTimeout().idleTimeout().isPresent());
    }

    @Test
    void badValuesAreRefusedWithMessagesNamingThem() {
        KeyedOptions<Object> options = KeyedOptions.of(CLOCK);
        assertMessage(assertThrows(NullPointerException.class, () -> KeyedOptions.of(null)), "clock");
        assertMessage(
                assertThrows(IllegalArgumentException.class, () -> options.withIdleTimeout(Duration.ZERO)),
                "idleTimeout must be positive, was PT0S");
        assertMessage(
                assertThrows(IllegalArgumentException.class, () -> options.withMaxLiveKeys(0)),
                "maxLiveKeys must be >= 1, was 0");
        assertMessage(
                assertThrows(IllegalArgumentException.class, () -> options.withQuarantine(Duration.ofSeconds(-1))),
                "quarantine must not be negative, was PT-1S");
        assertMessage(
                assertThrows(IllegalArgumentException.class, () -> options.withShutdownTimeout(Duration.ZERO)),
                "shutdownTimeout must be positive, was PT0S");
        assertMessage(assertThrows(NullPointerException.class, () -> options.withEvents(null)), "events");
        assertMessage(assertThrows(NullPointerException.class, () -> options.withOwnership(null)), "ownership");
        assertMessage(assertThrows(NullPointerException.class, () -> options.withSupervisors(null)), "supervisors");
        assertMessage(assertThrows(NullPointerException.class, () -> options.withThreadFactory(null)), "threadFactory");
    }

    @Test
    void aStrategyThatRestartsSiblingsIsRefused() {
        IllegalArgumentException refused = assertThrows(
                IllegalArgumentException.class,
                () -> KeyedOptions.of(CLOCK).withStrategy(SupervisionStrategy.oneForAll()));
        assertTrue(
                refused.getMessage()
                        .startsWith("strategy must be one for one (a key's failure must not restart"
                                + " other keys), was SupervisionStrategy.oneForAll()"),
                refused.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> KeyedOptions.of(CLOCK).withStrategy(SupervisionStrategy.restForOne()));
    }

    @Test
    void aGroupNeedsANameASpecAndOptions() {
        KeyedOptions<Object> options = KeyedOptions.of(CLOCK);
        assertMessage(
                assertThrows(
                        IllegalArgumentException.class,
                        () -> KeyedProcesses.<String, String>create(" ", key -> SPEC, options)),
                "name must not be blank");
        assertMessage(
                assertThrows(
                        NullPointerException.class,
                        () -> KeyedProcesses.<String, String>create(null, key -> SPEC, options)),
                "name");
        assertMessage(
                assertThrows(
                        NullPointerException.class, () -> KeyedProcesses.<String, String>create("echo", null, options)),
                "specs");
        assertMessage(
                assertThrows(
                        NullPointerException.class,
                        () -> KeyedProcesses.<String, String>create("echo", key -> SPEC, null)),
                "options");
    }

    @Test
    void nullKeysAndMessagesAreRefusedByName() {
        KeyedProcesses<String, String> group = KeyedProcesses.create("echo", key -> SPEC, KeyedOptions.of(CLOCK));
        assertMessage(assertThrows(NullPointerException.class, () -> group.ref(null)), "key");
        assertMessage(assertThrows(NullPointerException.class, () -> group.offer(null, "m")), "key");
        assertMessage(assertThrows(NullPointerException.class, () -> group.offer("k", null)), "message");
        assertMessage(assertThrows(NullPointerException.class, () -> group.ask("k", null)), "request");
        assertMessage(
                assertThrows(IllegalArgumentException.class, () -> group.passivate("k", " ")), "why must not be blank");
        assertMessage(assertThrows(NullPointerException.class, () -> group.release(null, "why")), "keys");
        group.stop();
    }

    @Test
    void ownershipTypesTheKeysItDecidesAbout() {
        KeyOwnership<String> evenLength = key -> key.length() % 2 == 0;
        KeyedOptions<String> options = KeyedOptions.of(CLOCK).withOwnership(evenLength);
        assertEquals(Optional.of(evenLength), options.ownership());
        KeyedProcesses<String, String> group = KeyedProcesses.create("echo", key -> SPEC, options);
        assertEquals(SendResult.NOT_OWNED, group.offer("odd", "m"));
        group.stop();
    }
}

package com.example.consumer;

import dev.phyxius.clock.Clock;
import dev.phyxius.spring.autoconfigure.PhyxiusProperties;
import dev.phyxius.supervisor.SupervisionStrategy;

/**
 * The smallest use of the public API that compiles against the artifacts resolved through the
 * BOM.
 *
 * <p>For now it uses only {@link Clock}, the one API type every module has agreed on so far.
 * Once they land, extend it with a counter spawned through {@code Processes.spawn} under a
 * {@code Supervisor}, driven by a {@code ControlledClock} from phyxius-testing, so that the
 * check also covers what the process, supervisor and testing modules export.
 */
public final class Consumer {

    private Consumer() {
    }

    /**
     * Picks the clock an application would run on.
     *
     * @return the system clock
     */
    public static Clock clock() {
        return Clock.system();
    }

    /**
     * The root supervisor's strategy a Spring Boot application gets when it sets no
     * {@code phyxius.supervisor.*} property.
     *
     * @return the default strategy of the auto-configuration
     */
    public static SupervisionStrategy springBootDefaultStrategy() {
        return new PhyxiusProperties().getSupervisor().toStrategy();
    }
}

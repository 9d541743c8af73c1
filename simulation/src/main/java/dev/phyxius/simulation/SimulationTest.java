package dev.phyxius.simulation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A JUnit 5 test whose body is a simulation scenario: the method takes a {@link Simulation}
 * parameter and runs once per seed, each run under {@link Simulation#run}. The test fails at the
 * first seed that does not pass (an assertion, a failure the scenario did not
 * {@linkplain Simulation#expectFailures() expect}, a deadlock, a time limit), with a message
 * whose first line names the seed and how to replay it, followed by the event log up to the
 * failure. The attributes set the strategy, the faults (aimed at processes and messages if need
 * be) and the bounds of a run.
 *
 * <pre>{@code
 * @SimulationTest(seeds = 1000)
 * void transfersNeverOverdraw(Simulation sim) { ... }
 *
 * @SimulationTest(seed = 412)          // replay the seed a failure reported
 * void transfersNeverOverdraw(Simulation sim) { ... }
 * }</pre>
 *
 * <p>Each seed gets a fresh {@code Simulation} but the same test instance, so keep per-run state
 * in local variables, not in fields: with the default strategy (PCT, its {@code k} measured) the
 * method also runs once more, first, as the calibration run (see {@link SimulationStrategy});
 * {@link #pctSteps()} fixes {@code k} and skips it. Durations are ISO-8601 strings
 * ({@code "PT0.1S"}), parsed by {@link java.time.Duration#parse}. The JVM needs {@code --add-opens
 * java.base/java.lang=ALL-UNNAMED} (or {@code =dev.phyxius.simulation} on the module path).
 *
 * @since 0.1
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Test
@ExtendWith(SimulationExtension.class)
public @interface SimulationTest {

    /** The value of {@link #seed()} that means "explore instead of replaying one seed". */
    long EXPLORE = Long.MIN_VALUE;

    /**
     * How many seeds to explore, from {@link #firstSeed()}.
     *
     * @return at least 1
     */
    int seeds() default 100;

    /**
     * The first seed explored.
     *
     * @return the first seed
     */
    long firstSeed() default 0;

    /**
     * One seed to replay; when given, {@link #seeds()} and {@link #firstSeed()} are ignored.
     *
     * @return the seed, or {@link #EXPLORE}
     */
    long seed() default EXPLORE;

    /**
     * The scheduling strategy; see {@link SimulationStrategy}.
     *
     * @return {@link SimulationStrategy.Kind#PCT} (the default) or {@link SimulationStrategy.Kind#RANDOM}
     */
    SimulationStrategy.Kind strategy() default SimulationStrategy.Kind.PCT;

    /**
     * PCT's bug depth; see {@link SimulationStrategy#pct(int)}.
     *
     * @return at least 1
     */
    int bugDepth() default SimulationStrategy.DEFAULT_DEPTH;

    /**
     * PCT's {@code k}, the steps its change points are drawn from, or 0 to measure it with a
     * calibration run; see {@link SimulationStrategy#pct(int, long)}.
     *
     * @return 0, or at least 1
     */
    long pctSteps() default 0;

    /**
     * The probability that a handled message crashes its handler; see
     * {@link SimulationFaults#crashHandlers(double)}.
     *
     * @return from 0 to 1
     */
    double crashHandlers() default 0;

    /**
     * The processes (by name) whose handlers may crash, or none for all; see
     * {@link SimulationFaults#inProcesses(String...)}.
     *
     * @return process names
     */
    String[] crashProcesses() default {};

    /**
     * The message types whose handling may crash, or none for all; see
     * {@link SimulationFaults#onMessages(Class...)}.
     *
     * @return message types
     */
    Class<?>[] crashMessages() default {};

    /**
     * The probability that a one-shot timer is delayed; see
     * {@link SimulationFaults#delayTimers(double, java.time.Duration)}.
     *
     * @return from 0 to 1
     */
    double delayTimers() default 0;

    /**
     * The longest extra delay of a delayed timer, as an ISO-8601 duration.
     *
     * @return for example {@code "PT0.1S"}
     */
    String maxTimerDelay() default "PT0.1S";

    /**
     * A cap on every simulated mailbox, or 0 for none; see
     * {@link SimulationFaults#mailboxCapacity(int)}.
     *
     * @return the cap, or 0
     */
    int mailboxCapacity() default 0;

    /**
     * The blocking bound, as an ISO-8601 duration; see
     * {@link SimulationOptions#withBlockingBound(java.time.Duration)}.
     *
     * @return for example {@code "PT2S"}
     */
    String blockingBound() default "PT2S";

    /**
     * The step limit of one run; see {@link SimulationOptions#withMaxSteps(long)}.
     *
     * @return at least 1
     */
    long maxSteps() default SimulationOptions.DEFAULT_MAX_STEPS;

    /**
     * The virtual time limit of one run, as an ISO-8601 duration; see
     * {@link SimulationOptions#withTimeLimit(java.time.Duration)}.
     *
     * @return for example {@code "PT1H"}
     */
    String timeLimit() default "PT1H";

    /**
     * What the log shows of messages; see {@link SimulationOptions#withMessageDetail}.
     *
     * @return {@link SimulationOptions.MessageDetail#CONTENTS} (the default) or
     *     {@link SimulationOptions.MessageDetail#TYPES}
     */
    SimulationOptions.MessageDetail messages() default SimulationOptions.MessageDetail.CONTENTS;
}

package dev.phyxius.spring.autoconfigure;

import dev.phyxius.supervisor.Backoff;
import dev.phyxius.supervisor.SupervisionStrategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code phyxius.*} configuration properties. Spring Boot binds them from the environment;
 * the configuration processor turns this class's documentation into the metadata that IDEs
 * complete.
 *
 * <p>Every setter validates its value and names the property in its exception, so a bad value
 * fails at start-up with the property, the value and the rule. Rules across properties (a backoff
 * whose maximum is below its initial delay) are checked by {@link RootSupervisor#toStrategy()}.
 *
 * <p>Mutable, as Spring Boot's binding needs; not thread-safe. The auto-configuration reads it
 * once, at start-up.
 *
 * @since 0.1
 */
@ConfigurationProperties("phyxius")
public class PhyxiusProperties {

    /**
     * Whether to auto-configure Phyxius: a clock, a root supervisor in the application's
     * lifecycle, observability and the actuator contributions.
     */
    private boolean enabled = true;

    private final RootSupervisor supervisor = new RootSupervisor();

    private final FlightRecorder jfr = new FlightRecorder();

    private final Observations observation = new Observations();

    private final OpenTelemetryTracing opentelemetry = new OpenTelemetryTracing();

    private final Meters metrics = new Meters();

    /**
     * Whether Phyxius is auto-configured.
     *
     * @return {@code phyxius.enabled}
     */
    public boolean isEnabled() {
        return enabled;
    }

    /**
     * Sets {@code phyxius.enabled}.
     *
     * @param enabled whether Phyxius is auto-configured
     */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * The root supervisor's settings, {@code phyxius.supervisor.*}.
     *
     * @return the settings
     */
    public RootSupervisor getSupervisor() {
        return supervisor;
    }

    /**
     * The JDK Flight Recorder settings, {@code phyxius.jfr.*}.
     *
     * @return the settings
     */
    public FlightRecorder getJfr() {
        return jfr;
    }

    /**
     * The Micrometer Observation settings, {@code phyxius.observation.*}.
     *
     * @return the settings
     */
    public Observations getObservation() {
        return observation;
    }

    /**
     * The OpenTelemetry tracing settings, {@code phyxius.opentelemetry.*}.
     *
     * @return the settings
     */
    public OpenTelemetryTracing getOpentelemetry() {
        return opentelemetry;
    }

    /**
     * The Micrometer meter settings, {@code phyxius.metrics.*}.
     *
     * @return the settings
     */
    public Meters getMetrics() {
        return metrics;
    }

    /** The kinds of supervision strategy, as {@code phyxius.supervisor.strategy} names them. */
    public enum Strategy {
        /** Restart only the child that failed. */
        ONE_FOR_ONE,
        /** Restart every child when one fails. */
        ONE_FOR_ALL,
        /** Restart the failed child and every child started after it. */
        REST_FOR_ONE
    }

    /**
     * How the root supervisor restarts its children: {@code phyxius.supervisor.*}.
     *
     * @since 0.1
     */
    public static class RootSupervisor {

        /**
         * The root supervisor's id, as events, spans, the health indicator and the phyxius
         * endpoint show it. Random when unset.
         */
        private String id;

        /** Which children restart when one fails. */
        private Strategy strategy = Strategy.ONE_FOR_ONE;

        /**
         * The most restarts of one child inside the intensity window; the failure that would need
         * one more gives up on the child.
         */
        private int maxRestarts = 3;

        /** The sliding intensity window, on monotonic time. */
        private Duration within = Duration.ofSeconds(5);

        private final RestartBackoff backoff = new RestartBackoff();

        /**
         * The root supervisor's fixed id, or {@code null} for a random one.
         *
         * @return {@code phyxius.supervisor.id}
         */
        public String getId() {
            return id;
        }

        /**
         * Sets {@code phyxius.supervisor.id}.
         *
         * @param id the id, or {@code null} for a random one
         * @throws IllegalArgumentException if {@code id} is blank
         */
        public void setId(String id) {
            if (id != null && id.isBlank()) {
                throw new IllegalArgumentException("phyxius.supervisor.id must not be blank, was '" + id + "'");
            }
            this.id = id;
        }

        /**
         * The strategy.
         *
         * @return {@code phyxius.supervisor.strategy}
         */
        public Strategy getStrategy() {
            return strategy;
        }

        /**
         * Sets {@code phyxius.supervisor.strategy}.
         *
         * @param strategy the strategy
         * @throws NullPointerException if {@code strategy} is {@code null}
         */
        public void setStrategy(Strategy strategy) {
            this.strategy = Objects.requireNonNull(strategy, "phyxius.supervisor.strategy");
        }

        /**
         * The intensity count.
         *
         * @return {@code phyxius.supervisor.max-restarts}
         */
        public int getMaxRestarts() {
            return maxRestarts;
        }

        /**
         * Sets {@code phyxius.supervisor.max-restarts}.
         *
         * @param maxRestarts at least 1
         * @throws IllegalArgumentException if it is below 1
         */
        public void setMaxRestarts(int maxRestarts) {
            if (maxRestarts < 1) {
                throw new IllegalArgumentException("phyxius.supervisor.max-restarts must be >= 1, was " + maxRestarts);
            }
            this.maxRestarts = maxRestarts;
        }

        /**
         * The intensity window.
         *
         * @return {@code phyxius.supervisor.within}
         */
        public Duration getWithin() {
            return within;
        }

        /**
         * Sets {@code phyxius.supervisor.within}.
         *
         * @param within positive
         * @throws NullPointerException     if {@code within} is {@code null}
         * @throws IllegalArgumentException if it is not positive
         */
        public void setWithin(Duration within) {
            this.within = positive(within, "phyxius.supervisor.within");
        }

        /**
         * The restart backoff, {@code phyxius.supervisor.backoff.*}.
         *
         * @return the backoff settings
         */
        public RestartBackoff getBackoff() {
            return backoff;
        }

        /**
         * The strategy these settings describe.
         *
         * @return a new strategy
         * @throws IllegalStateException if the backoff's maximum is below its initial delay
         */
        public SupervisionStrategy toStrategy() {
            SupervisionStrategy base = switch (strategy) {
                case ONE_FOR_ONE -> SupervisionStrategy.oneForOne();
                case ONE_FOR_ALL -> SupervisionStrategy.oneForAll();
                case REST_FOR_ONE -> SupervisionStrategy.restForOne();
            };
            return base.withMaxRestarts(maxRestarts, within).withBackoff(backoff.toBackoff());
        }
    }

    /**
     * How long restarts wait: {@code phyxius.supervisor.backoff.*}. The n-th restart inside the
     * intensity window waits {@code min(initial * factor^(n-1), max)}, shortened by up to
     * {@code jitter} of itself.
     *
     * @since 0.1
     */
    public static class RestartBackoff {

        /** The first restart's delay. Unset: no backoff, a failed child restarts at once. */
        private Duration initial;

        /** The longest delay; at least the initial one. */
        private Duration max = Duration.ofSeconds(30);

        /** How much each delay grows on the one before, at least 1 (1 gives a fixed delay). */
        private double factor = 2.0;

        /** How much of each delay jitter may take away, from 0 (no jitter) to 1. */
        private double jitter = 0.0;

        /**
         * The seed of the jitter's random generator, for reproducible delays. Unset: one drawn at
         * start-up, so that instances of a service do not restart in step.
         */
        private Long jitterSeed;

        /**
         * The first delay, or {@code null} for no backoff.
         *
         * @return {@code phyxius.supervisor.backoff.initial}
         */
        public Duration getInitial() {
            return initial;
        }

        /**
         * Sets {@code phyxius.supervisor.backoff.initial}.
         *
         * @param initial positive, or {@code null} for no backoff
         * @throws IllegalArgumentException if it is zero or negative
         */
        public void setInitial(Duration initial) {
            this.initial = initial == null ? null : positive(initial, "phyxius.supervisor.backoff.initial");
        }

        /**
         * The longest delay.
         *
         * @return {@code phyxius.supervisor.backoff.max}
         */
        public Duration getMax() {
            return max;
        }

        /**
         * Sets {@code phyxius.supervisor.backoff.max}.
         *
         * @param max positive
         * @throws NullPointerException     if {@code max} is {@code null}
         * @throws IllegalArgumentException if it is not positive
         */
        public void setMax(Duration max) {
            this.max = positive(max, "phyxius.supervisor.backoff.max");
        }

        /**
         * The growth per restart.
         *
         * @return {@code phyxius.supervisor.backoff.factor}
         */
        public double getFactor() {
            return factor;
        }

        /**
         * Sets {@code phyxius.supervisor.backoff.factor}.
         *
         * @param factor a finite number, at least 1
         * @throws IllegalArgumentException if it is below 1 or not finite
         */
        public void setFactor(double factor) {
            if (!(factor >= 1.0) || Double.isInfinite(factor)) {
                throw new IllegalArgumentException(
                        "phyxius.supervisor.backoff.factor must be a finite number >= 1, was " + factor);
            }
            this.factor = factor;
        }

        /**
         * The jitter fraction.
         *
         * @return {@code phyxius.supervisor.backoff.jitter}
         */
        public double getJitter() {
            return jitter;
        }

        /**
         * Sets {@code phyxius.supervisor.backoff.jitter}.
         *
         * @param jitter in {@code [0, 1]}
         * @throws IllegalArgumentException if it is outside {@code [0, 1]}
         */
        public void setJitter(double jitter) {
            if (!(jitter >= 0.0 && jitter <= 1.0)) {
                throw new IllegalArgumentException(
                        "phyxius.supervisor.backoff.jitter must be in [0, 1], was " + jitter);
            }
            this.jitter = jitter;
        }

        /**
         * The jitter seed, or {@code null} for one drawn at start-up.
         *
         * @return {@code phyxius.supervisor.backoff.jitter-seed}
         */
        public Long getJitterSeed() {
            return jitterSeed;
        }

        /**
         * Sets {@code phyxius.supervisor.backoff.jitter-seed}.
         *
         * @param jitterSeed the seed, or {@code null} for one drawn at start-up
         */
        public void setJitterSeed(Long jitterSeed) {
            this.jitterSeed = jitterSeed;
        }

        /**
         * The backoff these settings describe.
         *
         * @return {@link Backoff#none()} without an initial delay, else an exponential backoff
         * @throws IllegalStateException if {@code max} is below {@code initial}
         */
        public Backoff toBackoff() {
            if (initial == null) {
                return Backoff.none();
            }
            if (max.compareTo(initial) < 0) {
                throw new IllegalStateException("phyxius.supervisor.backoff.max (" + max
                        + ") must be >= phyxius.supervisor.backoff.initial (" + initial + ")");
            }
            Backoff exponential = Backoff.exponential(initial, max, factor);
            if (jitter == 0.0) {
                return exponential;
            }
            long seed = jitterSeed != null
                    ? jitterSeed
                    : ThreadLocalRandom.current().nextLong();
            return exponential.withJitter(jitter, seed);
        }
    }

    /**
     * JDK Flight Recorder events: {@code phyxius.jfr.*}.
     *
     * @since 0.1
     */
    public static class FlightRecorder {

        /**
         * Whether to write Phyxius JFR events (category Phyxius). They cost almost nothing while
         * no recording is running.
         */
        private boolean enabled = true;

        /**
         * Whether JFR events are written.
         *
         * @return {@code phyxius.jfr.enabled}
         */
        public boolean isEnabled() {
            return enabled;
        }

        /**
         * Sets {@code phyxius.jfr.enabled}.
         *
         * @param enabled whether JFR events are written
         */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /**
     * Micrometer Observation of message handling: {@code phyxius.observation.*}.
     *
     * @since 0.1
     */
    public static class Observations {

        /**
         * Whether messages sent from inside an observation (an HTTP request, say) are observed,
         * through the application's ObservationRegistry. With Micrometer Tracing this makes the
         * message spans.
         */
        private boolean enabled = true;

        /**
         * Names of processes whose every message is observed, as the root of a new observation
         * when the sender was not inside one; "*" for every process.
         */
        private List<String> startFor = new ArrayList<>();

        /**
         * Whether messages are observed.
         *
         * @return {@code phyxius.observation.enabled}
         */
        public boolean isEnabled() {
            return enabled;
        }

        /**
         * Sets {@code phyxius.observation.enabled}.
         *
         * @param enabled whether messages are observed
         */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /**
         * The processes that start observations.
         *
         * @return {@code phyxius.observation.start-for}, mutable for binding
         */
        public List<String> getStartFor() {
            return startFor;
        }

        /**
         * Sets {@code phyxius.observation.start-for}.
         *
         * @param startFor process names, or "*"
         * @throws NullPointerException if {@code startFor} is {@code null}
         */
        public void setStartFor(List<String> startFor) {
            this.startFor = new ArrayList<>(Objects.requireNonNull(startFor, "phyxius.observation.start-for"));
        }
    }

    /**
     * OpenTelemetry spans through Phyxius's own OpenTelemetry bridge: {@code phyxius.opentelemetry.*}.
     *
     * @since 0.1
     */
    public static class OpenTelemetryTracing {

        /**
         * Whether to make message spans with the application's OpenTelemetry bean. Unset: yes,
         * unless Micrometer Tracing is present and message observations are on, which already make
         * them (a second span per message would be a duplicate).
         */
        private Boolean enabled;

        /**
         * Names of processes that may start traces of their own: their messages get a span even
         * when the sender had none; "*" for every process.
         */
        private List<String> startTracesFor = new ArrayList<>();

        /**
         * Whether each message span starts a new trace linked to the sender's span, instead of
         * being its child.
         */
        private boolean linkToSenderSpan = false;

        /**
         * Whether spans are made with the OpenTelemetry bean, or {@code null} to decide as described.
         *
         * @return {@code phyxius.opentelemetry.enabled}
         */
        public Boolean getEnabled() {
            return enabled;
        }

        /**
         * Sets {@code phyxius.opentelemetry.enabled}.
         *
         * @param enabled whether spans are made, or {@code null} to decide
         */
        public void setEnabled(Boolean enabled) {
            this.enabled = enabled;
        }

        /**
         * The processes that may start traces.
         *
         * @return {@code phyxius.opentelemetry.start-traces-for}, mutable for binding
         */
        public List<String> getStartTracesFor() {
            return startTracesFor;
        }

        /**
         * Sets {@code phyxius.opentelemetry.start-traces-for}.
         *
         * @param startTracesFor process names, or "*"
         * @throws NullPointerException if {@code startTracesFor} is {@code null}
         */
        public void setStartTracesFor(List<String> startTracesFor) {
            this.startTracesFor =
                    new ArrayList<>(Objects.requireNonNull(startTracesFor, "phyxius.opentelemetry.start-traces-for"));
        }

        /**
         * Whether message spans link to the sender's span instead of being its children.
         *
         * @return {@code phyxius.opentelemetry.link-to-sender-span}
         */
        public boolean isLinkToSenderSpan() {
            return linkToSenderSpan;
        }

        /**
         * Sets {@code phyxius.opentelemetry.link-to-sender-span}.
         *
         * @param linkToSenderSpan whether message spans start new, linked traces
         */
        public void setLinkToSenderSpan(boolean linkToSenderSpan) {
            this.linkToSenderSpan = linkToSenderSpan;
        }
    }

    /**
     * Micrometer meters: {@code phyxius.metrics.*}.
     *
     * @since 0.1
     */
    public static class Meters {

        /**
         * Whether to record the phyxius.process.* meters in the application's MeterRegistry.
         */
        private boolean enabled = true;

        /**
         * Whether meters are recorded.
         *
         * @return {@code phyxius.metrics.enabled}
         */
        public boolean isEnabled() {
            return enabled;
        }

        /**
         * Sets {@code phyxius.metrics.enabled}.
         *
         * @param enabled whether meters are recorded
         */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    private static Duration positive(Duration value, String property) {
        Objects.requireNonNull(value, property);
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(property + " must be positive, was " + value);
        }
        return value;
    }
}

package dev.phyxius.observability;

import dev.phyxius.clock.EventSink;
import dev.phyxius.observability.internal.FanOutSink;
import dev.phyxius.observability.internal.NoInstrumentation;
import dev.phyxius.observability.internal.ObservedInstrumentation;
import dev.phyxius.observability.jfr.PhyxiusFlightRecording;
import dev.phyxius.observability.jfr.TraceCorrelation;
import dev.phyxius.observability.micrometer.PhyxiusMetrics;
import dev.phyxius.observability.otel.PhyxiusTracing;
import dev.phyxius.process.ProcessInstrumentation;
import dev.phyxius.process.SpawnOptions;
import dev.phyxius.supervisor.KeyedOptions;
import dev.phyxius.supervisor.SupervisorOptions;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Observability for Phyxius processes, supervisors and keyed groups: OpenTelemetry spans, Micrometer meters and
 * JDK Flight Recorder events, each only if asked for.
 *
 * <pre>{@code
 * PhyxiusObservability observability = PhyxiusObservability.builder()
 *         .openTelemetry(openTelemetry)     // spans; or .openTelemetry() for GlobalOpenTelemetry
 *         .meterRegistry(meterRegistry)     // meters
 *         .jfr(true)                        // JFR events
 *         .build();
 * ProcessRef<Msg> ref = Processes.spawn(spec, observability.apply(SpawnOptions.of(clock)));
 * }</pre>
 *
 * <p>It yields what {@link SpawnOptions} takes: an {@link #instrumentation()} (tracing and the JFR
 * {@code MessageHandled} event hook message handling) and an {@link #events()} sink (meters, the
 * other JFR events and lifecycle span events come from process and supervisor events); the sink
 * also suits a supervisor's options. {@link #apply(SpawnOptions)} sets both;
 * {@link #apply(SupervisorOptions)} sets both for a supervisor, which passes them to its children.
 *
 * <p>Nothing is recorded for a backend that was not asked for, and its library is not even loaded:
 * without {@code openTelemetry(...)}/{@code tracing(true)} no OpenTelemetry class is touched, without
 * {@code meterRegistry(...)} no Micrometer class, so the JFR part runs where neither library is
 * present. The names of spans, attributes, meters and JFR events are documented on
 * {@link PhyxiusTracing}, {@link PhyxiusMetrics} and {@link PhyxiusFlightRecording} and are part of
 * the contract; each of those can also be used on its own.
 *
 * <p>Immutable and thread-safe; one instance may serve any number of processes.
 *
 * @since 0.1
 */
public final class PhyxiusObservability {

    private final ProcessInstrumentation instrumentation;
    /** Ours, timing every message: for options that bring a sink of their own. */
    private final ProcessInstrumentation everyMessage;

    private final EventSink events;
    private final boolean instrumented;
    /** Whether any backend or forwarding sink wants events; if not, apply changes nothing. */
    private final boolean observes;

    private PhyxiusObservability(
            ProcessInstrumentation instrumentation, boolean sampleChosen, EventSink events, boolean observes) {
        this.instrumented = instrumentation != null;
        this.instrumentation = instrumented ? instrumentation : NoInstrumentation.INSTANCE;
        this.everyMessage = !instrumented || sampleChosen || instrumentation.timingSample() == 1
                ? this.instrumentation
                : new ObservedInstrumentation(instrumentation, List.of(), 1);
        this.events = events;
        this.observes = observes;
    }

    /**
     * A builder with every backend off.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The hook for {@link SpawnOptions#withInstrumentation}: carries the sender's trace context with
     * each message and spans the handler (tracing), times it (JFR), and tells the meters and the
     * JFR statistics which processes are live. Does nothing if no backend was asked for.
     *
     * @return the instrumentation, never {@code null}
     */
    public ProcessInstrumentation instrumentation() {
        return instrumentation;
    }

    /**
     * The sink for {@link SpawnOptions#withEvents} and for a supervisor's options: feeds the meters,
     * the JFR events and lifecycle span events, then the sink given to
     * {@link Builder#forwardTo}. A backend that throws never keeps an event from the others.
     *
     * @return the sink, never {@code null}
     */
    public EventSink events() {
        return events;
    }

    /**
     * {@code options} with this observability: its {@link #events()} as the event sink (alongside a
     * sink the options already had: both get every event) and its {@link #instrumentation()}. With
     * every backend off and no {@link Builder#forwardTo} sink, {@code options} itself is returned,
     * so the hot path pays nothing (not even the creation of events nobody reads). An
     * instrumentation the options already had is kept, combined with ours
     * ({@link ProcessInstrumentation#combine}: it wraps ours), so that observability can be applied
     * to a simulation's options or on top of a custom hook.
     *
     * @param options the options to extend
     * @param <C>     the options' context type
     * @return new options
     * @throws NullPointerException     if {@code options} is {@code null}
     */
    public <C> SpawnOptions<C> apply(SpawnOptions<C> options) {
        Objects.requireNonNull(options, "options");
        if (!observes) {
            return options; // every backend off: a sink that ignores events would still cost them
        }
        SpawnOptions<C> applied = options.withEvents(options.events()
                .map(existing -> FanOutSink.of(List.of(events, existing)))
                .orElse(events));
        if (!instrumented) {
            return applied;
        }
        return applied.withInstrumentation(combinedWith(options.instrumentation(), ours(options.events())));
    }

    /**
     * Ours; timing every message if the options bring a sink of their own and no sample was
     * chosen: an application's sink gets every {@code MessageHandled} unless asked otherwise.
     */
    private ProcessInstrumentation ours(Optional<EventSink> existingSink) {
        return existingSink.isPresent() ? everyMessage : instrumentation;
    }

    /** Ours inside the one the options had, so that neither is lost and ours nests in it. */
    private static ProcessInstrumentation combinedWith(
            Optional<ProcessInstrumentation> existing, ProcessInstrumentation ours) {
        return existing.map(outer -> ProcessInstrumentation.combine(outer, ours))
                .orElse(ours);
    }

    /**
     * {@code options} with this observability's {@link #events()} as the supervisor's event sink
     * (alongside a sink the options already had: both get every event). The supervisor hands the
     * same sink to the children it spawns, so their process events are observed too: meters, JFR
     * events and lifecycle span events, including give-ups and escalations. With any backend,
     * the supervisor also gives its children this observability's {@link #instrumentation()}, so
     * they get message spans, {@code MessageHandled} JFR events and mailbox gauges; an
     * instrumentation the options
     * already had is kept, combined with ours as in {@link #apply(SpawnOptions)}.
     *
     * @param options the supervisor options to extend
     * @return new options
     * @throws NullPointerException     if {@code options} is {@code null}
     */
    public SupervisorOptions apply(SupervisorOptions options) {
        Objects.requireNonNull(options, "options");
        if (!observes) {
            return options;
        }
        SupervisorOptions applied = options.withEvents(options.events()
                .map(existing -> FanOutSink.of(List.of(events, existing)))
                .orElse(events));
        if (!instrumented) {
            return applied;
        }
        return applied.withInstrumentation(combinedWith(options.instrumentation(), ours(options.events())));
    }

    /**
     * {@code options} with this observability, for a keyed group ({@code KeyedProcesses}): its
     * {@link #events()} as the group's sink (alongside a sink the options already had), which the
     * group hands to the supervisors it makes and through them to every key's process, and its
     * {@link #instrumentation()} for those processes (combined with one the options already had,
     * as in {@link #apply(SpawnOptions)}). So the group's own events become the
     * {@code phyxius.keyed.*} meters, the {@code dev.phyxius.Keyed*} JFR events and
     * {@code phyxius.keyed.*} span events, and its keys' processes are observed like any other.
     * Supervisors given by {@link KeyedOptions#withSupervisors} keep their own sink and
     * instrumentation; apply this to their options too. With every backend off and no
     * {@link Builder#forwardTo} sink, {@code options} itself is returned.
     *
     * @param options the keyed group's options to extend
     * @param <K>     the options' key type
     * @return new options
     * @throws NullPointerException if {@code options} is {@code null}
     */
    public <K> KeyedOptions<K> apply(KeyedOptions<K> options) {
        Objects.requireNonNull(options, "options");
        if (!observes) {
            return options;
        }
        KeyedOptions<K> applied = options.withEvents(options.events()
                .map(existing -> FanOutSink.of(List.of(events, existing)))
                .orElse(events));
        if (!instrumented) {
            return applied;
        }
        return applied.withInstrumentation(combinedWith(options.instrumentation(), ours(options.events())));
    }

    @Override
    public String toString() {
        return "PhyxiusObservability[instrumentation=" + instrumentation + ", events=" + events + "]";
    }

    /**
     * Configures a {@link PhyxiusObservability}: which backends, and how. Not thread-safe; validated
     * at {@link #build()}, which may be called more than once.
     *
     * @since 0.1
     */
    public static final class Builder {

        // Typed fields of optional libraries are fine: a field's type is resolved only when the
        // field is used with a value, which happens only when the user passed one.
        private OpenTelemetry openTelemetry;
        private boolean tracing;
        private boolean linkToSenderSpan;
        private Predicate<String> startTracesFor;
        private MeterRegistry meterRegistry;
        private boolean tagMessageTypes;
        private int maxProcessNames = PhyxiusMetrics.DEFAULT_MAX_PROCESS_NAMES;
        private Duration removeMetersAfter;
        private boolean jfr;
        private EventSink forwardTo;
        /** Zero while not chosen: each backend's own. */
        private int timingSample;

        private Builder() {}

        /**
         * Traces with {@code openTelemetry}: a span per traced message, lifecycle span events.
         *
         * @param openTelemetry where the tracer comes from
         * @return this builder
         * @throws NullPointerException if {@code openTelemetry} is {@code null}
         */
        public Builder openTelemetry(OpenTelemetry openTelemetry) {
            this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
            this.tracing = true;
            return this;
        }

        /**
         * Traces with {@code GlobalOpenTelemetry.get()}, read at {@link #build()}: register the SDK
         * globally before that. Same as {@code tracing(true)} without an {@code OpenTelemetry}.
         *
         * @return this builder
         */
        public Builder openTelemetry() {
            this.openTelemetry = null;
            this.tracing = true;
            return this;
        }

        /**
         * Turns tracing on (with the {@code OpenTelemetry} given to {@link #openTelemetry(OpenTelemetry)},
         * else the global one) or off.
         *
         * @param enabled whether to trace
         * @return this builder
         */
        public Builder tracing(boolean enabled) {
            this.tracing = enabled;
            return this;
        }

        /**
         * Makes each message span a new trace linked to the sender's span, rather than its child.
         * Needs tracing.
         *
         * @return this builder
         * @see PhyxiusTracing.Builder#linkToSenderSpan()
         */
        public Builder linkToSenderSpan() {
            this.linkToSenderSpan = true;
            return this;
        }

        /**
         * Lets processes whose name matches start traces of their own. Needs tracing.
         *
         * @param processNames matches process names; cheap and never throwing
         * @return this builder
         * @throws NullPointerException if {@code processNames} is {@code null}
         * @see PhyxiusTracing.Builder#startTracesFor(Predicate)
         */
        public Builder startTracesFor(Predicate<String> processNames) {
            this.startTracesFor = Objects.requireNonNull(processNames, "processNames");
            return this;
        }

        /**
         * Records meters in {@code registry}, tagged by process name.
         *
         * @param registry the registry
         * @return this builder
         * @throws NullPointerException if {@code registry} is {@code null}
         * @see PhyxiusMetrics
         */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * Tags the per-message meters with {@code message.type} as well (off by default: one time
         * series more per message type and process name). Needs a meter registry.
         *
         * @return this builder
         * @see PhyxiusMetrics.Builder#tagMessageTypes()
         */
        public Builder tagMessageTypes() {
            this.tagMessageTypes = true;
            return this;
        }

        /**
         * The most process names that get meters and {@code ProcessStatistics} rows of their own
         * (1,000 by default); the processes of further names are counted under {@code _other},
         * and an {@link dev.phyxius.observability.events.ObservabilityEvent.ProcessNameLimitReached} is reported.
         *
         * @param limit the limit
         * @return this builder
         * @throws IllegalArgumentException if {@code limit} is less than 1
         */
        public Builder maxProcessNames(int limit) {
            if (limit < 1) {
                throw new IllegalArgumentException("maxProcessNames must be >= 1, was " + limit);
            }
            this.maxProcessNames = limit;
            return this;
        }

        /**
         * How long the meters of a name stay registered after its last process ended (2 minutes
         * by default, on the registry's clock). Needs a meter registry.
         *
         * @param linger the time; zero removes them at the next start or end of a process
         * @return this builder
         * @throws NullPointerException     if {@code linger} is {@code null}
         * @throws IllegalArgumentException if {@code linger} is negative
         * @see PhyxiusMetrics.Builder#removeAfter(Duration)
         */
        public Builder removeMetersAfter(Duration linger) {
            Objects.requireNonNull(linger, "linger");
            if (linger.isNegative()) {
                throw new IllegalArgumentException("removeMetersAfter must not be negative, was " + linger);
            }
            this.removeMetersAfter = linger;
            return this;
        }

        /**
         * Turns JDK Flight Recorder events on or off.
         *
         * @param enabled whether to write JFR events
         * @return this builder
         * @see PhyxiusFlightRecording
         */
        public Builder jfr(boolean enabled) {
            this.jfr = enabled;
            return this;
        }

        /**
         * One message in how many the processes time, for every backend: what the meters' two
         * timers record, which messages get a JFR {@code MessageHandled} event, and which reach
         * every sink in the options (the application's too) as {@code ProcessEvent.MessageHandled}.
         * Every message is still counted and traced. Without this each backend asks for its own
         * ({@link PhyxiusMetrics.Builder#timingSample}: every message;
         * {@link PhyxiusFlightRecording.Builder#timingSample}: one in 16; tracing: every message)
         * and processes time what the most demanding of those asks for; with a
         * {@link #forwardTo} sink, or applied to options that have a sink of their own, every
         * message, so that an application's sink gets every {@code MessageHandled} unless this
         * was called. Options given {@link SpawnOptions#withTimingSample} keep their own.
         *
         * @param oneIn 1 (every message) or more
         * @return this builder
         * @throws IllegalArgumentException if {@code oneIn} is less than 1
         */
        public Builder timingSample(int oneIn) {
            if (oneIn < 1) {
                throw new IllegalArgumentException("timingSample must be >= 1, was " + oneIn);
            }
            this.timingSample = oneIn;
            return this;
        }

        /**
         * Also hands every event to {@code sink}, after the backends: one sink in the options
         * serves both observability and the application. A later call replaces the sink; to
         * forward to several, give one that fans out.
         *
         * @param sink the application's sink
         * @return this builder
         * @throws NullPointerException if {@code sink} is {@code null}
         */
        public Builder forwardTo(EventSink sink) {
            this.forwardTo = Objects.requireNonNull(sink, "sink");
            return this;
        }

        /**
         * The observability, as configured.
         *
         * @return a new observability
         * @throws IllegalArgumentException if a tracing option was given without tracing, a
         *                                  meter option without a meter registry, or
         *                                  {@link #tagMessageTypes()} with a {@link #timingSample}
         *                                  above 1 (the meters count each type from every
         *                                  message's event)
         */
        public PhyxiusObservability build() {
            if (!tracing && linkToSenderSpan) {
                throw new IllegalArgumentException(
                        "linkToSenderSpan needs tracing: call openTelemetry(...) or tracing(true)");
            }
            if (!tracing && startTracesFor != null) {
                throw new IllegalArgumentException(
                        "startTracesFor needs tracing: call openTelemetry(...) or tracing(true)");
            }
            if (meterRegistry == null && tagMessageTypes) {
                throw new IllegalArgumentException("tagMessageTypes needs a meter registry: call meterRegistry(...)");
            }
            if (meterRegistry == null && removeMetersAfter != null) {
                throw new IllegalArgumentException("removeMetersAfter needs a meter registry: call meterRegistry(...)");
            }
            List<EventSink> sinks = new ArrayList<>(4);
            List<ProcessInstrumentation> lifecycle = new ArrayList<>(1);
            ProcessInstrumentation messages = null;
            // Each bridge is created in its own method, reached only when asked for: a class that
            // links OpenTelemetry or Micrometer is then never loaded without its library.
            if (tracing) {
                messages = tracing(sinks);
            }
            PhyxiusFlightRecording recording = jfr ? flightRecording(sinks) : null;
            if (meterRegistry != null) {
                // The metrics' warnings become JFR events too, and reach the application's sink.
                List<EventSink> warnings = new ArrayList<>(2);
                if (recording != null) {
                    warnings.add(recording);
                }
                if (forwardTo != null) {
                    warnings.add(forwardTo);
                }
                lifecycle.add(metrics(sinks, FanOutSink.of(warnings)));
            }
            if (recording != null) {
                messages = messages == null ? recording : ProcessInstrumentation.combine(messages, recording);
            }
            if (forwardTo != null) {
                sinks.add(forwardTo);
            }
            // The application's own sink gets every MessageHandled unless a sample was chosen.
            int sample = timingSample != 0 ? timingSample : forwardTo != null ? 1 : 0;
            ProcessInstrumentation instrumentation = messages == null && lifecycle.isEmpty()
                    ? null
                    : lifecycle.isEmpty() && sample == 0
                            ? messages
                            : new ObservedInstrumentation(messages, lifecycle, sample);
            return new PhyxiusObservability(instrumentation, timingSample != 0, FanOutSink.of(sinks), !sinks.isEmpty());
        }

        private ProcessInstrumentation tracing(List<EventSink> sinks) {
            PhyxiusTracing.Builder builder =
                    openTelemetry != null ? PhyxiusTracing.builder(openTelemetry) : PhyxiusTracing.builder();
            if (linkToSenderSpan) {
                builder.linkToSenderSpan();
            }
            if (startTracesFor != null) {
                builder.startTracesFor(startTracesFor);
            }
            PhyxiusTracing tracing = builder.build();
            sinks.add(tracing);
            return tracing;
        }

        private ProcessInstrumentation metrics(List<EventSink> sinks, EventSink warnings) {
            PhyxiusMetrics.Builder builder =
                    PhyxiusMetrics.builder().maxProcessNames(maxProcessNames).warnings(warnings);
            if (tagMessageTypes) {
                builder.tagMessageTypes();
            }
            if (removeMetersAfter != null) {
                builder.removeAfter(removeMetersAfter);
            }
            if (timingSample != 0) {
                builder.timingSample(timingSample);
            }
            PhyxiusMetrics metrics = builder.build();
            metrics.bindTo(meterRegistry);
            sinks.add(metrics);
            return metrics;
        }

        private PhyxiusFlightRecording flightRecording(List<EventSink> sinks) {
            PhyxiusFlightRecording.Builder builder =
                    PhyxiusFlightRecording.builder().maxProcessNames(maxProcessNames);
            if (tracing) {
                builder.traceCorrelation(traceCorrelation());
            }
            if (forwardTo != null) {
                builder.warnings(forwardTo);
            }
            if (timingSample != 0) {
                builder.timingSample(timingSample);
            }
            PhyxiusFlightRecording recording = builder.build();
            sinks.add(recording);
            return recording;
        }

        /** Apart, so that OpenTelemetry's classes are linked only when tracing is on. */
        private static TraceCorrelation traceCorrelation() {
            return PhyxiusTracing.traceCorrelation();
        }
    }
}

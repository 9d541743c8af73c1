package dev.phyxius.observability.otel;

import dev.phyxius.clock.Event;
import dev.phyxius.clock.EventSink;
import dev.phyxius.observability.internal.ChildNames;
import dev.phyxius.observability.jfr.TraceCorrelation;
import dev.phyxius.process.ProcessEvent;
import dev.phyxius.process.ProcessId;
import dev.phyxius.process.ProcessInstrumentation;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.StopReason;
import dev.phyxius.supervisor.KeyedEvent;
import dev.phyxius.supervisor.SupervisorEvent;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * OpenTelemetry tracing for processes: a {@link SpanKind#CONSUMER} span around every traced
 * message, as a child of the span that sent it, and lifecycle events as span events.
 *
 * <p>As a {@link ProcessInstrumentation} it carries the sender's {@link Context} with the message:
 * {@link #capture} runs on the sender's thread inside {@code send}/{@code ask} and returns
 * {@link Context#current()}; {@link #beforeHandle} starts the span on the process's thread and
 * makes the captured context, with the new span in it, current around the handler; so any span the
 * handler starts is a child of the message's span, and through it of the sender's request.
 * {@link #afterHandle} records a failure, closes the scope and ends the span.
 *
 * <p>The message span:
 * <table>
 *   <caption>Span per handled message</caption>
 *   <tr><th>name</th><td>{@code process {process name}} (the spec's name, never the id)</td></tr>
 *   <tr><th>kind</th><td>{@code CONSUMER}</td></tr>
 *   <tr><th>{@code messaging.system}</th><td>{@code phyxius}</td></tr>
 *   <tr><th>{@code messaging.operation.name}</th><td>{@code process}</td></tr>
 *   <tr><th>{@code messaging.operation.type}</th><td>{@code process}</td></tr>
 *   <tr><th>{@code messaging.destination.name}</th><td>the process name</td></tr>
 *   <tr><th>{@code phyxius.process.id}</th><td>the process id</td></tr>
 *   <tr><th>{@code phyxius.message.type}</th><td>the message's class simple name (its name if it has none)</td></tr>
 *   <tr><th>{@code error.type}</th><td>on failure: the thrown class's name; the exception is recorded and the status is {@code ERROR}</td></tr>
 * </table>
 * Message contents and {@code toString()} never become attributes.
 *
 * <p>Cost control: by default a message gets a span only if the sender's context holds a sampled
 * span; an untraced send costs one context read and no span ({@code capture} returns
 * {@code null}). {@link Builder#startTracesFor} names processes that may start traces of their own.
 * With {@link Builder#linkToSenderSpan()} the message span starts a new trace that links to the
 * sender's span instead of being its child (for long-lived flows where one request should not
 * own every message it causes).
 *
 * <p>Lifecycle events ({@code Started}, {@code Restarted}, {@code Failed}, {@code Stopped}), when
 * this is also given as the event sink, become span events named {@code phyxius.process.started},
 * {@code phyxius.process.restarted}, {@code phyxius.process.failed} and
 * {@code phyxius.process.stopped} on the span current where they happen (for example the request
 * that spawned or stopped the process), with {@code phyxius.process.name} and
 * {@code phyxius.process.id}. Supervisor events, when this is also a supervisor's sink, do the same:
 * {@code phyxius.supervisor.gave_up} (with {@code phyxius.supervisor.id} and
 * {@code phyxius.supervisor.restarts}) and {@code phyxius.supervisor.escalated} (with
 * {@code phyxius.supervisor.parent.id} and {@code error.type}), named after the child. Where no
 * span is recording (a failure, stop or give-up happens on a process or timer thread), a process
 * chosen by {@link Builder#startTracesFor} gets a short {@code INTERNAL} span of the same name
 * instead (status {@code ERROR} for failures, give-ups and escalations), and other processes
 * record nothing.
 *
 * <p>Keyed groups' events, when this is also a group's sink, do the same, each with
 * {@code phyxius.keyed.group} (the group's name; never the key) and, where there is one,
 * {@code phyxius.process.id}: {@code phyxius.keyed.activated}, {@code phyxius.keyed.activation_failed}
 * (with {@code error.type}), {@code phyxius.keyed.evicted} (with {@code phyxius.keyed.live_keys} and
 * {@code phyxius.keyed.max_live_keys}), {@code phyxius.keyed.passivated} (with
 * {@code phyxius.keyed.cause}: {@code idle}, {@code evicted}, {@code requested} or {@code released}),
 * {@code phyxius.keyed.gave_up} (with {@code error.type}), {@code phyxius.keyed.message.dropped} and
 * {@code phyxius.keyed.message.rejected} (with {@code phyxius.message.type} and
 * {@code phyxius.keyed.reason}) and {@code phyxius.keyed.group.stopped}; outside a recording span,
 * a group whose name {@link Builder#startTracesFor} matches gets the short span.
 *
 * <p>Thread-safe; never throws from its hooks. Its only state is the names of supervised
 * children, learned from supervisor events.
 *
 * @since 0.1
 */
public final class PhyxiusTracing implements ProcessInstrumentation, EventSink {

    /** The instrumentation scope name of the tracer. */
    public static final String INSTRUMENTATION_SCOPE = "dev.phyxius.observability";

    // Copied from the messaging semantic conventions rather than taken from the incubating
    // semconv artifact: these names are stable and the artifact is not.
    private static final AttributeKey<String> MESSAGING_SYSTEM = AttributeKey.stringKey("messaging.system");
    private static final AttributeKey<String> MESSAGING_OPERATION_NAME =
            AttributeKey.stringKey("messaging.operation.name");
    private static final AttributeKey<String> MESSAGING_OPERATION_TYPE =
            AttributeKey.stringKey("messaging.operation.type");
    private static final AttributeKey<String> MESSAGING_DESTINATION_NAME =
            AttributeKey.stringKey("messaging.destination.name");
    private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    private static final AttributeKey<String> PROCESS_ID = AttributeKey.stringKey("phyxius.process.id");
    private static final AttributeKey<String> PROCESS_NAME = AttributeKey.stringKey("phyxius.process.name");
    private static final AttributeKey<String> MESSAGE_TYPE = AttributeKey.stringKey("phyxius.message.type");
    private static final AttributeKey<String> STOP_REASON = AttributeKey.stringKey("phyxius.stop.reason");
    private static final AttributeKey<String> SUPERVISOR_ID = AttributeKey.stringKey("phyxius.supervisor.id");
    private static final AttributeKey<String> PARENT_SUPERVISOR_ID =
            AttributeKey.stringKey("phyxius.supervisor.parent.id");
    private static final AttributeKey<Long> RESTARTS = AttributeKey.longKey("phyxius.supervisor.restarts");
    private static final AttributeKey<String> KEYED_GROUP = AttributeKey.stringKey("phyxius.keyed.group");
    private static final AttributeKey<String> KEYED_CAUSE = AttributeKey.stringKey("phyxius.keyed.cause");
    private static final AttributeKey<String> KEYED_REASON = AttributeKey.stringKey("phyxius.keyed.reason");
    private static final AttributeKey<Long> KEYED_LIVE_KEYS = AttributeKey.longKey("phyxius.keyed.live_keys");
    private static final AttributeKey<Long> KEYED_MAX_LIVE_KEYS = AttributeKey.longKey("phyxius.keyed.max_live_keys");

    private static final String SYSTEM = "phyxius";
    private static final String OPERATION = "process";

    /** Message type names, computed once per class: getSimpleName walks the class's metadata. */
    private static final ClassValue<String> MESSAGE_TYPES = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
            String simple = type.getSimpleName();
            return simple.isEmpty() ? type.getName() : simple;
        }
    };

    private final Tracer tracer;
    private final boolean linkToSender;
    private final Predicate<String> startsTraces;
    /** Span names per process name, so a handled message does not concatenate a new string. */
    private final ConcurrentHashMap<String, String> spanNames = new ConcurrentHashMap<>();

    private final ChildNames childNames = new ChildNames();

    private PhyxiusTracing(Builder builder) {
        OpenTelemetry openTelemetry = builder.openTelemetry != null ? builder.openTelemetry : GlobalOpenTelemetry.get();
        this.tracer = openTelemetry.getTracer(INSTRUMENTATION_SCOPE);
        this.linkToSender = builder.linkToSender;
        this.startsTraces = builder.startsTraces;
    }

    /**
     * A builder that traces with {@code openTelemetry}.
     *
     * @param openTelemetry where the tracer comes from
     * @return the builder
     * @throws NullPointerException if {@code openTelemetry} is {@code null}
     */
    public static Builder builder(OpenTelemetry openTelemetry) {
        return new Builder(Objects.requireNonNull(openTelemetry, "openTelemetry"));
    }

    /**
     * A builder that traces with {@link GlobalOpenTelemetry#get()}, read when {@link Builder#build()}
     * runs: register the SDK globally before that (OpenTelemetry's global can be read only once).
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder(null);
    }

    /**
     * Captures the sender's context if the message should be traced: if the context holds a
     * sampled span, or if the target may start traces.
     *
     * @param target  the receiving process
     * @param message the message (never read)
     * @return the current {@link Context}, or {@code null} for an untraced message
     */
    @Override
    public Object capture(ProcessRef<?> target, Object message) {
        Context context = Context.current();
        if (Span.fromContext(context).getSpanContext().isSampled() || startsTraces.test(target.name())) {
            return context;
        }
        return null;
    }

    /**
     * Starts the message's span and makes the captured context, with the span, current.
     *
     * @param process     the process
     * @param message     the message; only its class is read
     * @param captured    what {@link #capture} returned
     * @param queuedNanos unused
     * @return the open span and scope, or {@code null} for an untraced message
     */
    @Override
    public Object beforeHandle(ProcessRef<?> process, Object message, Object captured, long queuedNanos) {
        if (!(captured instanceof Context context)) {
            return null;
        }
        String name = process.name();
        SpanBuilder builder = tracer.spanBuilder(spanNames.computeIfAbsent(name, n -> "process " + n))
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute(MESSAGING_SYSTEM, SYSTEM)
                .setAttribute(MESSAGING_OPERATION_NAME, OPERATION)
                .setAttribute(MESSAGING_OPERATION_TYPE, OPERATION)
                .setAttribute(MESSAGING_DESTINATION_NAME, name)
                .setAttribute(PROCESS_ID, process.id().value())
                .setAttribute(MESSAGE_TYPE, MESSAGE_TYPES.get(message.getClass()));
        if (linkToSender) {
            builder.setNoParent();
            SpanContext sender = Span.fromContext(context).getSpanContext();
            if (sender.isValid()) {
                builder.addLink(sender);
            }
        } else {
            builder.setParent(context);
        }
        Span span = builder.startSpan();
        // The captured context, not just the span, becomes current: baggage and anything else
        // the sender had travels to the handler too.
        Scope scope = context.with(span).makeCurrent();
        return new MessageSpan(span, scope);
    }

    /**
     * Records a failure on the message's span, closes its scope and ends it.
     *
     * @param scope         what {@link #beforeHandle} returned
     * @param error         what the handler threw, or {@code null}
     * @param handlingNanos unused: the span has its own timing
     */
    @Override
    public void afterHandle(Object scope, Throwable error, long handlingNanos) {
        if (!(scope instanceof MessageSpan messageSpan)) {
            return;
        }
        Span span = messageSpan.span();
        try {
            if (error != null) {
                span.setAttribute(ERROR_TYPE, error.getClass().getName());
                span.recordException(error);
                span.setStatus(StatusCode.ERROR);
            }
        } finally {
            // Close before end: the process thread must not keep the message's context after
            // the handler, whatever happens to the span.
            messageSpan.scope().close();
            span.end();
        }
    }

    /**
     * Turns lifecycle events into span events (or short spans, see the class comment); ignores
     * every other event.
     *
     * @param event the event
     */
    @Override
    public void emit(Event event) {
        if (event instanceof ProcessEvent processEvent) {
            switch (processEvent) {
                case ProcessEvent.Started e -> lifecycle("phyxius.process.started", e.name(), process(e), null);
                case ProcessEvent.Restarted e -> lifecycle("phyxius.process.restarted", e.name(), process(e), null);
                case ProcessEvent.Failed e ->
                    lifecycle(
                            "phyxius.process.failed",
                            e.name(),
                            process(e).put(ERROR_TYPE, e.error().getClass().getName()),
                            e.error());
                case ProcessEvent.Stopped e ->
                    lifecycle(
                            "phyxius.process.stopped",
                            e.name(),
                            process(e).put(STOP_REASON, stopReason(e.reason())),
                            null);
                default -> {}
            }
        } else if (event instanceof SupervisorEvent supervisorEvent) {
            supervisor(supervisorEvent);
        } else if (event instanceof KeyedEvent keyedEvent) {
            keyed(keyedEvent);
        }
    }

    /** One case per keyed event; the group's name stands for the process name in startTracesFor. */
    private void keyed(KeyedEvent event) {
        String group = event.group();
        AttributesBuilder attributes = Attributes.builder().put(KEYED_GROUP, group);
        switch (event) {
            case KeyedEvent.Activated e ->
                lifecycle(
                        "phyxius.keyed.activated",
                        group,
                        attributes.put(PROCESS_ID, e.process().value()),
                        null);
            case KeyedEvent.ActivationFailed e ->
                lifecycle(
                        "phyxius.keyed.activation_failed",
                        group,
                        attributes.put(ERROR_TYPE, e.error().getClass().getName()),
                        e.error());
            case KeyedEvent.Evicted e ->
                lifecycle(
                        "phyxius.keyed.evicted",
                        group,
                        attributes
                                .put(PROCESS_ID, e.process().value())
                                .put(KEYED_LIVE_KEYS, (long) e.liveKeys())
                                .put(KEYED_MAX_LIVE_KEYS, (long) e.maxLive()),
                        null);
            case KeyedEvent.Passivated e ->
                lifecycle(
                        "phyxius.keyed.passivated",
                        group,
                        attributes.put(PROCESS_ID, e.process().value()).put(KEYED_CAUSE, lowerCase(e.cause())),
                        null);
            case KeyedEvent.GaveUp e ->
                lifecycle(
                        "phyxius.keyed.gave_up",
                        group,
                        attributes
                                .put(PROCESS_ID, e.process().value())
                                .put(ERROR_TYPE, e.error().getClass().getName()),
                        null);
            case KeyedEvent.MessageDropped e ->
                lifecycle(
                        "phyxius.keyed.message.dropped",
                        group,
                        attributes.put(MESSAGE_TYPE, messageType(e.message())).put(KEYED_REASON, lowerCase(e.reason())),
                        null);
            case KeyedEvent.MessageRejected e ->
                lifecycle(
                        "phyxius.keyed.message.rejected",
                        group,
                        attributes.put(MESSAGE_TYPE, messageType(e.message())).put(KEYED_REASON, lowerCase(e.reason())),
                        null);
            case KeyedEvent.GroupStopped e -> lifecycle("phyxius.keyed.group.stopped", group, attributes, null);
        }
    }

    private static String lowerCase(Enum<?> value) {
        return value.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String messageType(Object message) {
        return MESSAGE_TYPES.get(message == null ? Object.class : message.getClass());
    }

    private void supervisor(SupervisorEvent event) {
        childNames.track(event);
        switch (event) {
            case SupervisorEvent.GaveUp e -> {
                String name = childNames.nameOf(e.child()).orElse("");
                AttributesBuilder attributes = child(name, e.child(), e).put(RESTARTS, (long) e.restarts());
                lifecycle("phyxius.supervisor.gave_up", name, attributes, null);
            }
            case SupervisorEvent.Escalated e -> {
                String name = childNames.nameOf(e.child()).orElse("");
                AttributesBuilder attributes = child(name, e.child(), e)
                        .put(PARENT_SUPERVISOR_ID, e.parent().value())
                        .put(ERROR_TYPE, e.error().getClass().getName());
                lifecycle("phyxius.supervisor.escalated", name, attributes, e.error());
            }
            default -> {}
        }
    }

    private static AttributesBuilder process(ProcessEvent event) {
        return Attributes.builder()
                .put(PROCESS_NAME, event.name())
                .put(PROCESS_ID, event.id().value());
    }

    private static AttributesBuilder child(String name, ProcessId child, SupervisorEvent event) {
        AttributesBuilder attributes = Attributes.builder();
        if (!name.isEmpty()) {
            attributes.put(PROCESS_NAME, name);
        }
        return attributes
                .put(PROCESS_ID, child.value())
                .put(SUPERVISOR_ID, event.supervisor().value());
    }

    /**
     * Records a lifecycle event: on the recording current span if there is one, else as a short
     * span if the process may start traces. A give-up is a failure too, so its short span is an
     * error even without an exception.
     */
    private void lifecycle(String eventName, String processName, AttributesBuilder attributes, Throwable error) {
        Span current = Span.current();
        if (current.isRecording()) {
            current.addEvent(eventName, attributes.build());
            return;
        }
        if (!startsTraces.test(processName)) {
            return;
        }
        Span span = tracer.spanBuilder(eventName)
                .setSpanKind(SpanKind.INTERNAL)
                .setAllAttributes(attributes.build())
                .startSpan();
        if (error != null) {
            span.recordException(error);
        }
        if (error != null || eventName.endsWith(".gave_up")) {
            span.setStatus(StatusCode.ERROR);
        }
        span.end();
    }

    private static String stopReason(StopReason reason) {
        return switch (reason) {
            case StopReason.Normal n -> "normal";
            case StopReason.Shutdown s -> "shutdown";
            case StopReason.Passivated p -> "passivated";
            case StopReason.Error e -> "error";
        };
    }

    /**
     * The ids of OpenTelemetry's current span, for JFR events: give it to
     * {@code PhyxiusFlightRecording.builder().traceCorrelation(...)} so that a recording can be
     * joined to the traces ({@code PhyxiusObservability} does this when both are on). A span is
     * current for its ids to be read whether or not it is sampled, as long as its context is valid.
     *
     * @return the correlation, stateless and thread-safe
     */
    public static TraceCorrelation traceCorrelation() {
        return OpenTelemetryCorrelation.INSTANCE;
    }

    @Override
    public String toString() {
        return "PhyxiusTracing[linkToSender=" + linkToSender + "]";
    }

    /** Reads {@link Span#current()}; its ids are strings the span context already holds. */
    private enum OpenTelemetryCorrelation implements TraceCorrelation {
        INSTANCE;

        @Override
        public String traceId() {
            SpanContext context = Span.current().getSpanContext();
            return context.isValid() ? context.getTraceId() : "";
        }

        @Override
        public String spanId() {
            SpanContext context = Span.current().getSpanContext();
            return context.isValid() ? context.getSpanId() : "";
        }

        @Override
        public String toString() {
            return "PhyxiusTracing.traceCorrelation()";
        }
    }

    /** The open span and scope of one message, handed from beforeHandle to afterHandle. */
    private record MessageSpan(Span span, Scope scope) {}

    /**
     * Configures a {@link PhyxiusTracing}. Not thread-safe; {@link #build()} may be called more
     * than once.
     *
     * @since 0.1
     */
    public static final class Builder {

        private final OpenTelemetry openTelemetry;
        private boolean linkToSender;
        private Predicate<String> startsTraces = name -> false;

        private Builder(OpenTelemetry openTelemetry) {
            this.openTelemetry = openTelemetry;
        }

        /**
         * Starts each message span as a new trace with a link to the sender's span, instead of as
         * the sender span's child. The sender's context (baggage) is still current in the handler.
         *
         * @return this builder
         */
        public Builder linkToSenderSpan() {
            this.linkToSender = true;
            return this;
        }

        /**
         * Lets processes whose name matches start traces: their messages get a span even when the
         * sender has no sampled span (the tracer's sampler still decides), and their lifecycle
         * events outside a recording span become short spans. Called on every send to such a
         * process without a sampled span, so it should be cheap, and it must not throw.
         *
         * @param processNames matches the names of processes that may start traces
         * @return this builder
         * @throws NullPointerException if {@code processNames} is {@code null}
         */
        public Builder startTracesFor(Predicate<String> processNames) {
            this.startsTraces = Objects.requireNonNull(processNames, "processNames");
            return this;
        }

        /**
         * The tracing, as configured.
         *
         * @return a new tracing
         */
        public PhyxiusTracing build() {
            return new PhyxiusTracing(this);
        }
    }
}

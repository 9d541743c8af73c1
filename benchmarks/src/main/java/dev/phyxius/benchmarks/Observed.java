package dev.phyxius.benchmarks;

import dev.phyxius.analysis.LiveProcessFigures;
import dev.phyxius.observability.PhyxiusObservability;
import dev.phyxius.observability.jfr.PhyxiusFlightRecording;
import dev.phyxius.process.ProcessInstrumentation;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.Processes;
import dev.phyxius.process.SpawnOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * Phyxius processes observed by one backend, for the overhead benchmarks: the same workload code
 * as {@link Actors}, spawned with the options a user gets from {@code PhyxiusObservability}.
 *
 * <ul>
 *   <li>{@code none}: no observability at all ({@code SpawnOptions.of(clock)});</li>
 *   <li>{@code off}: the module installed, {@code PhyxiusObservability.builder().build()} applied;</li>
 *   <li>{@code micrometer}: meters in a {@code SimpleMeterRegistry}, every message timed (their
 *       default);</li>
 *   <li>{@code micrometer-sampled}: the same meters with {@code timingSample(16)}: every message
 *       counted, one in 16 timed;</li>
 *   <li>{@code jfr}: JFR events, with a recording running on the JDK's {@code default} settings
 *       merged with the shipped {@code phyxius.jfc}, as {@code settings=default,settings=phyxius.jfc}
 *       would start it (JFR's default timing sample, one in 16);</li>
 *   <li>{@code jfr-every}: the same with {@code timingSample(1)}: every message timed on the
 *       process's clock too;</li>
 *   <li>{@code stream}: JFR events with no recording to disk, consumed live by
 *       {@code LiveProcessFigures} (its defaults: {@code MessageHandled} from 10 ms, statistics
 *       every second, a one-minute window);</li>
 *   <li>{@code otel}: every message traced (the sender's span is sampled, and the SDK samples
 *       always), spans ended into a processor that counts them;</li>
 *   <li>{@code events} and {@code hook}, to take the cost apart: an event sink that ignores
 *       every event, and an instrumentation that does nothing, each alone and without any
 *       backend. They measure what the process core spends to be observed at all (an event
 *       object and clock readings per message for a sink; a larger mailbox node and clock
 *       readings for a hook), before a backend does any work.</li>
 * </ul>
 */
final class Observed implements AutoCloseable {

    static final String BACKENDS = "none,off,events,hook,micrometer,micrometer-sampled,jfr,jfr-every,stream,otel";

    private final String backend;
    private final SpawnOptions<Void> options;
    private final Recording recording;
    private final LiveProcessFigures live;
    private final SdkTracerProvider tracerProvider;
    private final Tracer tracer;
    final LongAdder endedSpans = new LongAdder();

    private Observed(String backend) {
        this.backend = backend;
        Recording r = null;
        LiveProcessFigures l = null;
        SdkTracerProvider provider = null;
        SpawnOptions<Void> diagnostic = switch (backend) {
            case "events" -> Actors.OPTIONS.withEvents(event -> {});
            case "hook" -> Actors.OPTIONS.withInstrumentation(new NoOpHook());
            default -> null;
        };
        PhyxiusObservability observability = switch (backend) {
            case "none", "events", "hook" -> null;
            case "off" -> PhyxiusObservability.builder().build();
            case "micrometer" ->
                PhyxiusObservability.builder()
                        .meterRegistry(new SimpleMeterRegistry())
                        .build();
            case "micrometer-sampled" ->
                PhyxiusObservability.builder()
                        .meterRegistry(new SimpleMeterRegistry())
                        .timingSample(16)
                        .build();
            case "jfr" -> {
                r = startRecording();
                yield PhyxiusObservability.builder().jfr(true).build();
            }
            case "jfr-every" -> {
                r = startRecording();
                yield PhyxiusObservability.builder().jfr(true).timingSample(1).build();
            }
            case "stream" -> {
                l = LiveProcessFigures.start(LiveProcessFigures.Options.defaults());
                yield PhyxiusObservability.builder().jfr(true).build();
            }
            case "otel" -> {
                provider = SdkTracerProvider.builder()
                        .setSampler(Sampler.alwaysOn())
                        .addSpanProcessor(new CountingProcessor(endedSpans))
                        .build();
                yield PhyxiusObservability.builder()
                        .openTelemetry(OpenTelemetrySdk.builder()
                                .setTracerProvider(provider)
                                .build())
                        .build();
            }
            default -> throw new IllegalArgumentException("backend must be one of " + BACKENDS + ", was " + backend);
        };
        this.recording = r;
        this.live = l;
        this.tracerProvider = provider;
        this.tracer = provider == null ? null : provider.get("benchmark");
        this.options = diagnostic != null
                ? diagnostic
                : observability == null ? Actors.OPTIONS : observability.apply(Actors.OPTIONS);
    }

    static Observed of(String backend) {
        return new Observed(backend);
    }

    private static Recording startRecording() {
        Map<String, String> settings;
        try {
            settings = new HashMap<>(Configuration.getConfiguration("default").getSettings());
        } catch (Exception e) {
            throw new IllegalStateException("no JDK default JFR configuration", e);
        }
        settings.putAll(PhyxiusFlightRecording.configuration().getSettings());
        Recording recording = new Recording(settings);
        recording.setToDisk(true);
        recording.setMaxAge(java.time.Duration.ofMinutes(1));
        recording.start();
        return recording;
    }

    ProcessRef<Object> spawn(String name, Supplier<? extends Actors.Logic> logic) {
        return Processes.spawn(Actors.phyxiusSpec(name, logic, Actors.BIG_INBOX), options);
    }

    /**
     * Runs {@code round} inside a sampled span with the {@code otel} backend (so that every
     * message it sends, and every message those handlers send, is traced), plainly otherwise.
     */
    void traced(Runnable round) {
        if (tracer == null) {
            round.run();
            return;
        }
        Span span = tracer.spanBuilder("round").setParent(Context.root()).startSpan();
        try (Scope ignored = span.makeCurrent()) {
            round.run();
        } finally {
            span.end();
        }
    }

    @Override
    public void close() {
        if (recording != null) {
            recording.close();
        }
        if (live != null) {
            live.close();
        }
        if (tracerProvider != null) {
            tracerProvider.close();
        }
    }

    @Override
    public String toString() {
        return "Observed[" + backend + "]";
    }

    /** An instrumentation that captures nothing and opens no scope. */
    private static final class NoOpHook implements ProcessInstrumentation {
        @Override
        public Object capture(ProcessRef<?> target, Object message) {
            return null;
        }

        @Override
        public Object beforeHandle(ProcessRef<?> process, Object message, Object captured, long queuedNanos) {
            return null;
        }

        @Override
        public void afterHandle(Object scope, Throwable error, long handlingNanos) {
            // nothing to end
        }
    }

    /** Ends spans into a counter: the SDK does all its work, nothing is exported. */
    private record CountingProcessor(LongAdder ended) implements SpanProcessor {
        @Override
        public void onStart(Context parentContext, ReadWriteSpan span) {}

        @Override
        public boolean isStartRequired() {
            return false;
        }

        @Override
        public void onEnd(ReadableSpan span) {
            ended.increment();
        }

        @Override
        public boolean isEndRequired() {
            return true;
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }
}

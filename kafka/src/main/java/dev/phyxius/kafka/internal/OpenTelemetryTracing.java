package dev.phyxius.kafka.internal;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * One {@code CONSUMER} span per handled record, child of the W3C trace context in its headers.
 * The W3C propagator is used whatever the OpenTelemetry's own propagators are: the record's
 * headers are the wire format between replicas, and W3C is what the feed promises to read.
 */
final class OpenTelemetryTracing implements RecordTracing {

    static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
    static final AttributeKey<String> OPERATION = AttributeKey.stringKey("messaging.operation.type");
    static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    static final AttributeKey<String> PARTITION = AttributeKey.stringKey("messaging.destination.partition.id");
    static final AttributeKey<Long> OFFSET = AttributeKey.longKey("messaging.kafka.offset");
    static final AttributeKey<String> CONSUMER_GROUP = AttributeKey.stringKey("messaging.consumer.group.name");
    static final AttributeKey<String> PROCESS_ID = AttributeKey.stringKey("phyxius.process.id");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    private static final TextMapGetter<Headers> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers carrier) {
            List<String> keys = new ArrayList<>();
            for (Header header : carrier) {
                keys.add(header.key());
            }
            return keys;
        }

        @Override
        public String get(Headers carrier, String key) {
            if (carrier == null) {
                return null;
            }
            Header header = carrier.lastHeader(key);
            return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        }
    };

    private final Tracer tracer;
    private final String consumerGroup;

    OpenTelemetryTracing(Object openTelemetry, String consumerGroup) {
        this.tracer = ((OpenTelemetry) openTelemetry).getTracer("dev.phyxius.kafka");
        this.consumerGroup = consumerGroup;
    }

    @Override
    public Object start(ConsumerRecord<?, ?> record, String process) {
        Context parent = W3CTraceContextPropagator.getInstance().extract(Context.root(), record.headers(), HEADERS);
        Span span = tracer.spanBuilder("process " + record.topic())
                .setParent(parent)
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute(SYSTEM, "kafka")
                .setAttribute(OPERATION, "process")
                .setAttribute(DESTINATION, record.topic())
                .setAttribute(PARTITION, Integer.toString(record.partition()))
                .setAttribute(OFFSET, record.offset())
                .setAttribute(CONSUMER_GROUP, consumerGroup)
                .setAttribute(PROCESS_ID, process)
                .startSpan();
        return new Open(span, span.makeCurrent());
    }

    @Override
    public void end(Object open, Throwable error) {
        Open current = (Open) open;
        if (error != null) {
            current.span.recordException(error);
            current.span.setAttribute(ERROR_TYPE, error.getClass().getName());
            current.span.setStatus(StatusCode.ERROR);
        }
        current.scope.close();
        current.span.end();
    }

    private record Open(Span span, Scope scope) {}
}

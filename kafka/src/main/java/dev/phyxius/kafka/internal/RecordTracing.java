package dev.phyxius.kafka.internal;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Wraps the handling of one record in a span, or does nothing. Kept behind an interface so that
 * OpenTelemetry's classes are loaded only when tracing was asked for.
 */
interface RecordTracing {

    /** Does nothing. */
    RecordTracing NONE = new RecordTracing() {
        @Override
        public Object start(ConsumerRecord<?, ?> record, String process) {
            return null;
        }

        @Override
        public void end(Object span, Throwable error) {}
    };

    /** Starts the record's span and makes it current; returns what {@link #end} needs. */
    Object start(ConsumerRecord<?, ?> record, String process);

    /** Ends the span {@link #start} returned, on the same thread; {@code error} is null on success. */
    void end(Object span, Throwable error);
}

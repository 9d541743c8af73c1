package dev.phyxius.simulation.internal;

import dev.phyxius.clock.Event;
import dev.phyxius.clock.Timestamp;
import dev.phyxius.process.ProcessId;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns events into log text that is the same on every run of a seed: record components by
 * name, minus the timestamp (the log has its own), with messages shown by type (a message may
 * hold a reply future, whose {@code toString} carries an identity hash) and errors by type and
 * message (no stack trace).
 */
final class EventFormat {

    private EventFormat() {}

    static String source(Event event) {
        if (event instanceof Record record) {
            Object name = component(record, "name");
            if (name instanceof String text) {
                return text;
            }
            Object supervisor = component(record, "supervisor");
            if (supervisor instanceof ProcessId id) {
                return id.value();
            }
        }
        return event.getClass().getSimpleName().contains("Clock") ? "clock" : "events";
    }

    static String text(Event event) {
        if (!(event instanceof Record record)) {
            return event.getClass().getSimpleName();
        }
        boolean named = component(record, "name") instanceof String;
        List<String> parts = new ArrayList<>();
        for (RecordComponent rc : record.getClass().getRecordComponents()) {
            String name = rc.getName();
            if (rc.getType() == Timestamp.class || name.equals("name") || (named && name.equals("id"))) {
                continue;
            }
            parts.add(name + "=" + value(name, read(record, rc)));
        }
        return event.getClass().getSimpleName() + (parts.isEmpty() ? "" : "(" + String.join(", ", parts) + ")");
    }

    static String value(String name, Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof ProcessId id) {
            return id.value();
        }
        if (value instanceof Class<?> type) {
            return type.getSimpleName();
        }
        if (value instanceof Throwable error) {
            return error.getClass().getSimpleName() + (error.getMessage() == null ? "" : ": " + error.getMessage());
        }
        if (value instanceof Duration duration) {
            long nanos = duration.toNanos();
            return nanos % 1_000_000 == 0 ? (nanos / 1_000_000) + "ms" : duration.toString();
        }
        if (name.equals("message")) {
            return value.getClass().getSimpleName();
        }
        if (value instanceof Record || value instanceof Enum<?> || value instanceof Number || value instanceof String
                || value instanceof Boolean) {
            return String.valueOf(value);
        }
        // Anything else may print an identity hash; its type is stable.
        return value.getClass().getSimpleName();
    }

    private static Object component(Record record, String name) {
        for (RecordComponent rc : record.getClass().getRecordComponents()) {
            if (rc.getName().equals(name)) {
                return read(record, rc);
            }
        }
        return null;
    }

    private static Object read(Record record, RecordComponent rc) {
        try {
            return rc.getAccessor().invoke(record);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "?";
        }
    }
}

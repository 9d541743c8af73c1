package dev.phyxius.simulation.internal;

import dev.phyxius.clock.Event;
import dev.phyxius.clock.Timestamp;
import dev.phyxius.process.ProcessId;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns events into log text that is the same on every run of a seed: record components by
 * name, minus the timestamp (the log has its own), rendered by {@link Render} (messages as the
 * options allow, errors by type and message, with no stack trace).
 */
final class EventFormat {

    private EventFormat() {}

    static String source(Event event) {
        if (event instanceof Record record) {
            Object name = component(record, "name");
            if (name instanceof String text) {
                return text;
            }
            Object group = component(record, "group"); // a keyed group's events
            if (group instanceof String text) {
                return text;
            }
            Object supervisor = component(record, "supervisor");
            if (supervisor instanceof ProcessId id) {
                return id.value();
            }
        }
        return event.getClass().getSimpleName().contains("Clock") ? "clock" : "events";
    }

    static String text(Event event, MessageText messages) {
        if (!(event instanceof Record record)) {
            return Render.type(event.getClass());
        }
        boolean named = component(record, "name") instanceof String;
        List<String> parts = new ArrayList<>();
        for (RecordComponent rc : record.getClass().getRecordComponents()) {
            String name = rc.getName();
            if (rc.getType() == Timestamp.class || name.equals("name") || (named && name.equals("id"))) {
                continue;
            }
            Object value = read(record, rc);
            parts.add(name + "=" + (name.equals("message") ? messages.of(value) : Render.value(value, reply -> null)));
        }
        return Render.type(event.getClass()) + (parts.isEmpty() ? "" : "(" + String.join(", ", parts) + ")");
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

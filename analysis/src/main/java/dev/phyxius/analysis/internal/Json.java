package dev.phyxius.analysis.internal;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** A small JSON writer: values are maps, lists, strings, numbers, booleans and {@code null}. */
final class Json {

    private Json() {}

    /** The value as JSON text, with two-space indentation. */
    static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out, 0);
        return out.append('\n').toString();
    }

    private static void write(Object value, StringBuilder out, int indent) {
        switch (value) {
            case null -> out.append("null");
            case String s -> string(s, out);
            case Boolean b -> out.append(b);
            case Double d -> out.append(Double.isFinite(d) ? Double.toString(Math.round(d * 1000) / 1000.0) : "null");
            case Number n -> out.append(n.longValue());
            case Map<?, ?> map -> {
                if (map.isEmpty()) {
                    out.append("{}");
                    return;
                }
                out.append("{\n");
                Iterator<? extends Map.Entry<?, ?>> entries = map.entrySet().iterator();
                while (entries.hasNext()) {
                    Map.Entry<?, ?> entry = entries.next();
                    pad(out, indent + 1);
                    string(String.valueOf(entry.getKey()), out);
                    out.append(": ");
                    write(entry.getValue(), out, indent + 1);
                    out.append(entries.hasNext() ? ",\n" : "\n");
                }
                pad(out, indent);
                out.append('}');
            }
            case List<?> list -> {
                if (list.isEmpty()) {
                    out.append("[]");
                    return;
                }
                boolean flat = list.stream().allMatch(v -> v instanceof Number);
                out.append(flat ? "[" : "[\n");
                for (int i = 0; i < list.size(); i++) {
                    if (!flat) {
                        pad(out, indent + 1);
                    }
                    write(list.get(i), out, indent + 1);
                    if (i < list.size() - 1) {
                        out.append(flat ? ", " : ",\n");
                    }
                }
                if (!flat) {
                    out.append('\n');
                    pad(out, indent);
                }
                out.append(']');
            }
            default -> string(value.toString(), out);
        }
    }

    private static void pad(StringBuilder out, int indent) {
        out.append("  ".repeat(indent));
    }

    static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                // Escaped so that the JSON can sit inside an HTML script element unchanged.
                case '<' -> out.append("\\u003c");
                case '>' -> out.append("\\u003e");
                case '&' -> out.append("\\u0026");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}

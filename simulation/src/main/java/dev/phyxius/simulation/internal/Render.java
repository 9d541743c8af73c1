package dev.phyxius.simulation.internal;

import dev.phyxius.process.ProcessId;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.Reply;
import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Short text for values in the log that reads the same on every run of a seed, in any JVM.
 *
 * <p>A record is shown as its {@code toString} would show it, component by component, unless the
 * record overrides {@code toString} (a record that masks a password keeps its mask). Any other
 * type that overrides {@code toString} is shown by it; a type that does not is shown by its
 * simple name, as {@code Object.toString} prints an identity hash that differs from run to run.
 * What cannot be the same from run to run is replaced: identity hashes ({@code Type@1b6d3586}
 * becomes {@code Type@…}), lambda class names, futures and replies (shown by what the log knows
 * of them, such as {@code ask #3}). Text is bounded; a {@code toString} that throws is named,
 * never propagated.
 */
public final class Render {

    /** Characters a rendering keeps before it is cut with an ellipsis. */
    public static final int LIMIT = 120;

    private static final int DEPTH = 4;
    private static final int ELEMENTS = 8;
    private static final Pattern IDENTITY_HASH = Pattern.compile("(?<=[\\w$\\]])@[0-9a-fA-F]{1,16}\\b");
    private static final Pattern LAMBDA = Pattern.compile("\\$\\$Lambda[/$][\\w.$/]*");

    private Render() {}

    /**
     * Renders a value, bounded.
     *
     * @param value   anything, {@code null} included
     * @param replies names a reply or future the log knows (an ask's number), or returns null
     * @return the text
     */
    public static String value(Object value, Function<Object, String> replies) {
        StringBuilder out = new StringBuilder();
        append(out, value, replies, 0);
        return bound(out.toString());
    }

    /** The simple name of a type, with enclosing types: {@code Bank.Deposit} reads as {@code Deposit}. */
    public static String type(Class<?> type) {
        String simple = type.getSimpleName();
        return simple.isEmpty() ? scrub(type.getName().substring(type.getName().lastIndexOf('.') + 1)) : simple;
    }

    /** An error as type and message, without a stack trace. */
    public static String error(Throwable error) {
        String message = safeMessage(error);
        return type(error.getClass()) + (message == null ? "" : ": " + bound(scrub(message)));
    }

    /**
     * A throwable as a failure line names it: by its first cause. Wrappers that only carry
     * another (a {@link CompletionException} from {@code join}, an {@link ExecutionException}
     * from {@code get}) are unwrapped, and the deepest cause of a chain is named after it.
     */
    public static String cause(Throwable failure) {
        Throwable shown = failure;
        while ((shown instanceof CompletionException || shown instanceof ExecutionException)
                && shown.getCause() != null) {
            shown = shown.getCause();
        }
        Throwable root = shown;
        for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < 20; depth++) {
            root = root.getCause();
        }
        String text = Render.error(shown);
        if (shown != failure) {
            text += " (in a " + Render.type(failure.getClass()) + ")";
        }
        return root == shown ? text : text + ", caused by " + Render.error(root);
    }

    /** Cuts text to {@link #LIMIT} characters. */
    public static String bound(String text) {
        return text.length() <= LIMIT ? text : text.substring(0, LIMIT - 1) + "…";
    }

    /** Replaces what differs between runs in a {@code toString}: identity hashes, lambda classes. */
    static String scrub(String text) {
        String noLambdas = LAMBDA.matcher(text).replaceAll(Matcher.quoteReplacement("$$Lambda"));
        return IDENTITY_HASH.matcher(noLambdas).replaceAll("@…");
    }

    private static void append(StringBuilder out, Object value, Function<Object, String> replies, int depth) {
        if (out.length() > LIMIT) {
            return;
        }
        if (value == null) {
            out.append("null");
            return;
        }
        if (value instanceof Reply<?> || value instanceof Future<?>) {
            String known = replies.apply(value);
            out.append(known != null ? known : value instanceof Reply<?> ? "reply" : "future");
            return;
        }
        if (value instanceof ProcessRef<?> ref) {
            out.append(ref.name());
            return;
        }
        if (value instanceof ProcessId id) {
            out.append(id.value());
            return;
        }
        if (value instanceof Class<?> type) {
            out.append(type(type));
            return;
        }
        if (value instanceof Duration duration) {
            out.append(Durations.format(duration));
            return;
        }
        if (value instanceof Throwable error) {
            out.append(error(error));
            return;
        }
        if (value instanceof CharSequence
                || value instanceof Number
                || value instanceof Boolean
                || value instanceof Character
                || value instanceof Enum<?>) {
            out.append(value);
            return;
        }
        if (depth >= DEPTH) {
            out.append(type(value.getClass()));
            return;
        }
        if (value instanceof Record record) {
            appendRecord(out, record, replies, depth);
            return;
        }
        if (value instanceof Collection<?> collection) {
            appendElements(out, collection.iterator(), collection.size(), '[', ']', replies, depth);
            return;
        }
        if (value instanceof Map<?, ?> map) {
            out.append('{');
            int shown = 0;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (shown > 0) {
                    out.append(", ");
                }
                if (shown++ == ELEMENTS) {
                    out.append("…");
                    break;
                }
                append(out, entry.getKey(), replies, depth + 1);
                out.append('=');
                append(out, entry.getValue(), replies, depth + 1);
            }
            out.append('}');
            return;
        }
        if (value.getClass().isArray()) {
            int length = Array.getLength(value);
            out.append('[');
            for (int i = 0; i < Math.min(length, ELEMENTS); i++) {
                if (i > 0) {
                    out.append(", ");
                }
                append(out, Array.get(value, i), replies, depth + 1);
            }
            out.append(length > ELEMENTS ? ", …]" : "]");
            return;
        }
        out.append(ownToString(value));
    }

    private static void appendRecord(StringBuilder out, Record record, Function<Object, String> replies, int depth) {
        RecordComponent[] components = record.getClass().getRecordComponents();
        Object[] values = new Object[components.length];
        StringBuilder plain = new StringBuilder(type(record.getClass())).append('[');
        for (int i = 0; i < components.length; i++) {
            values[i] = read(record, components[i]);
            plain.append(i == 0 ? "" : ", ")
                    .append(components[i].getName())
                    .append('=')
                    .append(safeToString(values[i]));
        }
        plain.append(']');
        String own = safeToString(record);
        if (!own.equals(plain.toString())) {
            // The record writes its own toString (perhaps to hide something): respect it.
            out.append(bound(scrub(own)));
            return;
        }
        out.append(type(record.getClass())).append('[');
        for (int i = 0; i < components.length; i++) {
            if (i > 0) {
                out.append(", ");
            }
            out.append(components[i].getName()).append('=');
            append(out, values[i], replies, depth + 1);
        }
        out.append(']');
    }

    private static void appendElements(
            StringBuilder out,
            Iterator<?> elements,
            int size,
            char open,
            char close,
            Function<Object, String> replies,
            int depth) {
        out.append(open);
        int shown = 0;
        while (elements.hasNext() && shown < ELEMENTS) {
            if (shown++ > 0) {
                out.append(", ");
            }
            append(out, elements.next(), replies, depth + 1);
        }
        out.append(size > ELEMENTS ? ", …" : "").append(close);
    }

    /** The value's own toString if its class has one; its type name otherwise. */
    private static String ownToString(Object value) {
        Class<?> declaring;
        try {
            declaring = value.getClass().getMethod("toString").getDeclaringClass();
        } catch (NoSuchMethodException impossible) {
            declaring = Object.class; // every class has a public toString
        }
        if (declaring == Object.class) {
            return type(value.getClass());
        }
        return bound(scrub(safeToString(value)));
    }

    private static String safeToString(Object value) {
        try {
            return String.valueOf(value);
        } catch (RuntimeException | Error broken) {
            return "<" + type(value.getClass()) + ": toString threw " + type(broken.getClass()) + ">";
        }
    }

    private static String safeMessage(Throwable error) {
        try {
            return error.getMessage();
        } catch (RuntimeException broken) {
            return "<getMessage threw " + type(broken.getClass()) + ">";
        }
    }

    private static Object read(Record record, RecordComponent component) {
        try {
            component.getAccessor().setAccessible(true);
        } catch (RuntimeException notOpen) {
            // A record in a module that is not open to us is read through its public accessor.
        }
        try {
            return component.getAccessor().invoke(record);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "?";
        }
    }
}

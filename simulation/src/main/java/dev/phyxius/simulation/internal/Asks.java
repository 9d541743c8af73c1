package dev.phyxius.simulation.internal;

import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.Reply;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The asks of one run: each gets a number, the sender, the target, the message type and the
 * call site, so that the log can pair a request with its reply and a deadlock can name the asks
 * it is made of.
 *
 * <p><b>How an ask is known.</b> Exactly, from the future {@code ask} hands out
 * ({@code ProcessInstrumentation.awaitable}), which follows the capture of its message on the
 * same thread with nothing in between, so that the message is known too. An ask the mailbox
 * refuses fails before {@code ask} returns and is never handed out: for it only the reply its
 * message shows ({@link #replyIn}) tells that it was an ask.
 *
 * <p>Used only inside the run's serialized execution.
 */
final class Asks {

    /** One ask. */
    static final class Ask {
        final int number;
        /** The simulated thread that asked, or null for the clock or a thread outside the run. */
        final SimThread asker;

        final String from;
        final ProcessRef<?> target;
        final String messageType;
        final String callSite;
        final CompletableFuture<?> future;
        /** The future's dependents when its asker's current step began (or when it was asked). */
        int dependentsBefore;

        Ask(
                int number,
                SimThread asker,
                String from,
                ProcessRef<?> target,
                String messageType,
                String callSite,
                CompletableFuture<?> future) {
            this.number = number;
            this.asker = asker;
            this.from = from;
            this.target = target;
            this.messageType = messageType;
            this.callSite = callSite;
            this.future = future;
        }

        /** {@code ask #3}. */
        String label() {
            return "ask #" + number;
        }

        /** {@code ask Get at Teller.java:42}, as a deadlock names it. */
        String describe() {
            return "ask " + messageType + (callSite.isEmpty() ? "" : " at " + callSite);
        }
    }

    private final Map<Object, Ask> byReply = new IdentityHashMap<>();
    private int asked;

    /**
     * Registers an ask by its future, which must not be registered yet.
     *
     * @param messageType the request's type, as the log shows it
     * @param callSite    where the user's code asked, or empty text
     * @return the ask, numbered
     */
    Ask register(
            SimThread asker,
            String from,
            ProcessRef<?> target,
            String messageType,
            String callSite,
            CompletableFuture<?> future) {
        Ask ask = new Ask(++asked, asker, from, target, messageType, callSite, future);
        byReply.put(future, ask);
        return ask;
    }

    /** Whether {@code reply} is the future of an ask of this run. */
    boolean knows(Object reply) {
        return byReply.containsKey(reply);
    }

    /** The ask is watched from now on: dependents it gains later in this step are waiters. */
    static void watched(Ask ask) {
        ask.dependentsBefore = ask.future.getNumberOfDependents();
    }

    /** {@code ask #3} for a reply the run knows, else null. */
    String label(Object reply) {
        Ask ask = byReply.get(reply);
        return ask == null ? null : ask.label();
    }

    /**
     * The reply a message shows: a record component (or, for other classes, a field the
     * simulation may read) that is a {@link Reply} and a {@link CompletableFuture}, as the reply
     * of {@code ProcessRef.ask} is. A message that keeps its reply elsewhere (a private field of
     * another type, a lambda) shows none.
     *
     * @return the reply, or null
     */
    static CompletableFuture<?> replyIn(Object message) {
        if (message instanceof Record record) {
            for (RecordComponent component : record.getClass().getRecordComponents()) {
                if (Reply.class.isAssignableFrom(component.getType())
                        || CompletableFuture.class.isAssignableFrom(component.getType())
                        || component.getType() == Object.class) {
                    CompletableFuture<?> found = asReplyFuture(read(record, component));
                    if (found != null) {
                        return found;
                    }
                }
            }
            return null;
        }
        for (Class<?> type = message.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())
                        || !Reply.class.isAssignableFrom(field.getType())
                        || !field.trySetAccessible()) {
                    continue;
                }
                try {
                    CompletableFuture<?> found = asReplyFuture(field.get(message));
                    if (found != null) {
                        return found;
                    }
                } catch (IllegalAccessException notOpen) {
                    // A field of a module that is not open to us: the reply is simply not seen.
                }
            }
        }
        return null;
    }

    private static CompletableFuture<?> asReplyFuture(Object value) {
        return value instanceof Reply<?> && value instanceof CompletableFuture<?> future ? future : null;
    }

    private static Object read(Record record, RecordComponent component) {
        try {
            component.getAccessor().trySetAccessible();
            return component.getAccessor().invoke(record);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}

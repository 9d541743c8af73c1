package dev.phyxius.process;

/**
 * The way back to whoever {@linkplain ProcessRef#ask asked}. Only the first {@code send} or
 * {@code fail} counts; later ones, and any after the ask timed out, are ignored. Thread-safe: a
 * handler may pass it on to another process that answers later.
 *
 * @param <R> the type of the answer
 * @since 0.1
 */
public interface Reply<R> {

    /**
     * Answers the ask with {@code value}.
     *
     * @param value the answer; may be {@code null}
     */
    void send(R value);

    /**
     * Fails the ask with {@code error}.
     *
     * @param error why; never {@code null}
     * @throws NullPointerException if {@code error} is {@code null}
     */
    void fail(Throwable error);
}

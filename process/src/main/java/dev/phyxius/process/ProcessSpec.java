package dev.phyxius.process;

import java.util.Objects;

/**
 * What a process is: its name, how it builds its state, how it handles a message, how it cleans
 * up, and its mailbox. Implement it directly, or build one with {@link #named(String)}.
 *
 * <p>A spec is a recipe: the same spec may be spawned many times, and a supervisor calls
 * {@link #init} again on every restart. Its methods may throw checked exceptions.
 *
 * @param <M> the message type
 * @param <S> the state type; a handler returning {@code null} leaves the state unchanged
 * @param <C> the type of the context given to {@code init} and {@code onStop}
 * @since 0.1
 */
public interface ProcessSpec<M, S, C> {

    /**
     * The process's name, for events, spans and metrics: a kind of process, not an instance.
     *
     * @return the name, non-blank
     */
    String name();

    /**
     * Builds the initial state; runs at spawn and on every supervised restart.
     *
     * @param ctx the context from {@link SpawnOptions#withContext}
     * @return the initial state
     * @throws Exception anything; at spawn it becomes a {@link SpawnException}
     */
    default S init(C ctx) throws Exception {
        return null;
    }

    /**
     * Handles one message. Never called concurrently for one process.
     *
     * @param state   the current state
     * @param message the message
     * @param tools   the process's clock, events, self-ref and timers
     * @return the next state, or {@code null} to keep the current one
     * @throws Exception anything; the process fails (or its supervisor restarts it)
     */
    S handle(S state, M message, Tools<M> tools) throws Exception;

    /**
     * Cleans up, once per life of the state: on stop, on failure, and before a supervised restart.
     *
     * @param state  the last state
     * @param reason why the process is stopping
     * @param ctx    the context from {@link SpawnOptions#withContext}
     * @throws Exception anything; reported as {@link ProcessEvent.CleanupFailed}
     */
    default void onStop(S state, StopReason reason, C ctx) throws Exception {}

    /**
     * The mailbox's capacity.
     *
     * @return at least 1; 1024 by default
     */
    default int maxInbox() {
        return 1024;
    }

    /**
     * What a send into a full mailbox does.
     *
     * @return the policy; {@link MailboxPolicy#REJECT} by default
     */
    default MailboxPolicy mailboxPolicy() {
        return MailboxPolicy.REJECT;
    }

    /**
     * Starts a fluent builder: {@code ProcessSpec.<Msg, Integer>named("counter").init(() -> 0)
     * .handler((state, msg, tools) -> state + 1).build()}.
     *
     * @param name the process's name, non-blank
     * @param <M>  the message type
     * @param <S>  the state type
     * @return a builder without context
     * @throws NullPointerException     if {@code name} is {@code null}
     * @throws IllegalArgumentException if {@code name} is blank
     */
    static <M, S> Builder<M, S, Void> named(String name) {
        return new Builder<>(requireName(name));
    }

    /** Validates a process name: non-null, non-blank. */
    private static String requireName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        return name;
    }

    /**
     * Builds the initial state without context.
     *
     * @param <S> the state type
     */
    @FunctionalInterface
    interface Init<S> {
        /**
         * Builds the state.
         *
         * @return the initial state
         * @throws Exception anything
         */
        S init() throws Exception;
    }

    /**
     * Builds the initial state from a context.
     *
     * @param <C> the context type
     * @param <S> the state type
     */
    @FunctionalInterface
    interface ContextInit<C, S> {
        /**
         * Builds the state.
         *
         * @param ctx the context
         * @return the initial state
         * @throws Exception anything
         */
        S init(C ctx) throws Exception;
    }

    /**
     * Handles a message.
     *
     * @param <M> the message type
     * @param <S> the state type
     */
    @FunctionalInterface
    interface Handler<M, S> {
        /**
         * Handles one message.
         *
         * @param state   the current state
         * @param message the message
         * @param tools   the process's tools
         * @return the next state, or {@code null} to keep it
         * @throws Exception anything
         */
        S handle(S state, M message, Tools<M> tools) throws Exception;
    }

    /**
     * Cleans up with the context.
     *
     * @param <S> the state type
     * @param <C> the context type
     */
    @FunctionalInterface
    interface OnStop<S, C> {
        /**
         * Cleans up.
         *
         * @param state  the last state
         * @param reason why
         * @param ctx    the context
         * @throws Exception anything
         */
        void onStop(S state, StopReason reason, C ctx) throws Exception;
    }

    /**
     * Cleans up without the context.
     *
     * @param <S> the state type
     */
    @FunctionalInterface
    interface StateOnStop<S> {
        /**
         * Cleans up.
         *
         * @param state  the last state
         * @param reason why
         * @throws Exception anything
         */
        void onStop(S state, StopReason reason) throws Exception;
    }

    /**
     * A fluent, validating builder of {@link ProcessSpec}s. Not thread-safe; the spec it builds is
     * immutable.
     *
     * @param <M> the message type
     * @param <S> the state type
     * @param <C> the context type
     */
    final class Builder<M, S, C> {
        private final String name;
        private ContextInit<? super C, ? extends S> init = ctx -> null;
        private Handler<M, S> handler;
        private OnStop<? super S, ? super C> onStop = (state, reason, ctx) -> {};
        private int maxInbox = 1024;
        private MailboxPolicy mailboxPolicy = MailboxPolicy.REJECT;

        private Builder(String name) {
            this.name = name;
        }

        private <C2> Builder<M, S, C2> copyWith(ContextInit<? super C2, ? extends S> newInit) {
            Builder<M, S, C2> copy = new Builder<>(name);
            copy.init = newInit;
            copy.handler = handler;
            @SuppressWarnings("unchecked") // an onStop set before the context type changed ignores it
            OnStop<? super S, ? super C2> carried = (OnStop<? super S, ? super C2>) (OnStop<?, ?>) onStop;
            copy.onStop = carried;
            copy.maxInbox = maxInbox;
            copy.mailboxPolicy = mailboxPolicy;
            return copy;
        }

        /**
         * Sets how the initial state is built, without context.
         *
         * @param init builds the state
         * @return this builder
         * @throws NullPointerException if {@code init} is {@code null}
         */
        public Builder<M, S, C> init(Init<? extends S> init) {
            Objects.requireNonNull(init, "init");
            this.init = ctx -> init.init();
            return this;
        }

        /**
         * Sets how the initial state is built from a context, and so the context type.
         *
         * @param init builds the state from the context
         * @param <C2> the context type
         * @return a builder for that context type, carrying everything set so far
         * @throws NullPointerException if {@code init} is {@code null}
         */
        public <C2> Builder<M, S, C2> init(ContextInit<? super C2, ? extends S> init) {
            Objects.requireNonNull(init, "init");
            return copyWith(init);
        }

        /**
         * Sets the message handler (required).
         *
         * @param handler handles one message
         * @return this builder
         * @throws NullPointerException if {@code handler} is {@code null}
         */
        public Builder<M, S, C> handler(Handler<M, S> handler) {
            this.handler = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /**
         * Sets the clean-up, with the context.
         *
         * @param onStop cleans up
         * @return this builder
         * @throws NullPointerException if {@code onStop} is {@code null}
         */
        public Builder<M, S, C> onStop(OnStop<? super S, ? super C> onStop) {
            this.onStop = Objects.requireNonNull(onStop, "onStop");
            return this;
        }

        /**
         * Sets the clean-up, without the context.
         *
         * @param onStop cleans up
         * @return this builder
         * @throws NullPointerException if {@code onStop} is {@code null}
         */
        public Builder<M, S, C> onStop(StateOnStop<? super S> onStop) {
            Objects.requireNonNull(onStop, "onStop");
            this.onStop = (state, reason, ctx) -> onStop.onStop(state, reason);
            return this;
        }

        /**
         * Sets the mailbox capacity (default 1024).
         *
         * @param maxInbox at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code maxInbox < 1}
         */
        public Builder<M, S, C> maxInbox(int maxInbox) {
            if (maxInbox < 1) {
                throw new IllegalArgumentException("maxInbox must be >= 1, was " + maxInbox);
            }
            this.maxInbox = maxInbox;
            return this;
        }

        /**
         * Sets what a send into a full mailbox does (default {@link MailboxPolicy#REJECT}).
         *
         * @param mailboxPolicy the policy
         * @return this builder
         * @throws NullPointerException if {@code mailboxPolicy} is {@code null}
         */
        public Builder<M, S, C> mailboxPolicy(MailboxPolicy mailboxPolicy) {
            this.mailboxPolicy = Objects.requireNonNull(mailboxPolicy, "mailboxPolicy");
            return this;
        }

        /**
         * Builds the immutable spec.
         *
         * @return the spec
         * @throws NullPointerException if no handler was set
         */
        public ProcessSpec<M, S, C> build() {
            Objects.requireNonNull(handler, "handler must be set before build() (process '" + name + "')");
            return new BuiltSpec<>(name, init, handler, onStop, maxInbox, mailboxPolicy);
        }
    }
}

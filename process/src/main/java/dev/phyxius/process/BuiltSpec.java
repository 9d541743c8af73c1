package dev.phyxius.process;

/** The immutable spec a {@link ProcessSpec.Builder} makes. */
record BuiltSpec<M, S, C>(
        String name,
        ProcessSpec.ContextInit<? super C, ? extends S> initFn,
        ProcessSpec.Handler<M, S> handler,
        ProcessSpec.OnStop<? super S, ? super C> onStopFn,
        int maxInbox,
        MailboxPolicy mailboxPolicy)
        implements ProcessSpec<M, S, C> {
    @Override
    public S init(C ctx) throws Exception {
        return initFn.init(ctx);
    }

    @Override
    public S handle(S state, M message, Tools<M> tools) throws Exception {
        return handler.handle(state, message, tools);
    }

    @Override
    public void onStop(S state, StopReason reason, C ctx) throws Exception {
        onStopFn.onStop(state, reason, ctx);
    }

    @Override
    public String toString() {
        return "ProcessSpec[" + name + "]";
    }
}

package dev.phyxius.simulation.internal;

import dev.phyxius.process.MailboxPolicy;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.StopReason;
import dev.phyxius.process.Tools;

/** A spec that behaves as its delegate except for the faults its plan injects. */
public final class FaultySpec<M, S, C> implements ProcessSpec<M, S, C> {

    private final ProcessSpec<M, S, C> delegate;
    private final FaultPlan plan;

    public FaultySpec(ProcessSpec<M, S, C> delegate, FaultPlan plan) {
        this.delegate = delegate;
        this.plan = plan;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public S init(C ctx) throws Exception {
        return delegate.init(ctx);
    }

    @Override
    public S handle(S state, M message, Tools<M> tools) throws Exception {
        plan.maybeCrash(delegate.name(), message);
        return delegate.handle(state, message, tools);
    }

    @Override
    public void onStop(S state, StopReason reason, C ctx) throws Exception {
        delegate.onStop(state, reason, ctx);
    }

    @Override
    public int maxInbox() {
        return plan.capacity(delegate.maxInbox());
    }

    @Override
    public MailboxPolicy mailboxPolicy() {
        return delegate.mailboxPolicy();
    }

    @Override
    public String toString() {
        return delegate.toString();
    }
}

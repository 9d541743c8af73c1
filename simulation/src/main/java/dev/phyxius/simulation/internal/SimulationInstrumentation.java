package dev.phyxius.simulation.internal;

import dev.phyxius.process.MessageRejectedException;
import dev.phyxius.process.ProcessInstrumentation;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.Reply;
import dev.phyxius.process.StopReason;
import java.util.concurrent.CompletableFuture;

/**
 * The instrumentation every simulated process carries: it makes sends, stops, replies and the
 * end of each handler scheduling points, writes who sends, asks or stops what into the log, and
 * tells the wait-for graph which futures a thread was handed.
 *
 * <p><b>Why these points.</b> Between two scheduling points a simulated thread runs alone, so
 * only at a point can another process observe a different order. A send is a point before it
 * takes effect ({@link #capture} runs on the sender's thread before the message is queued): "A
 * tells X, then tells C" then interleaves with X's own sends to C, as it does on real carriers. A
 * stop is a point before it takes effect ({@link #stopping}) for the same reason: "A tells X, then
 * stops C" interleaves with X's sends to C, which C handles, or drops, or refuses. A reply is a
 * point once it has completed the ask, so that the asker may act before the replier goes on. A
 * handler's end is a point so that a process handles its mailbox message by message, not in one
 * step.
 *
 * <p><b>Which futures a thread holds.</b> {@link #awaitable} names each future a process hands
 * out, on the thread it hands it to, right after the call that made it: an ask's reply right
 * after the capture of its message (so the send just logged was an ask's, and its line says so),
 * a stop's completion right after {@link #stopping}, a termination on its own. An ask the mailbox
 * refuses is never handed out; it is known by the reply its message shows, if it shows one (see
 * {@link Asks}).
 *
 * <p><b>Inside a keyed group's lock.</b> A keyed group ({@code KeyedProcesses}) sends to a key's
 * process, and stops it, while it holds that key's monitor. A simulated thread that yielded there
 * would keep the monitor, and another that then wants it blocks on a monitor, from which the JDK
 * wakes it on a thread of its own, outside the simulation: the run would end as
 * {@code NONDETERMINISM}. So once a run has keyed groups, a send, stop or reply made under a
 * keyed group's frames is not a scheduling point (it is still logged and in the wait-for graph);
 * the points before and after it (the handler's end, the reply, a join) remain.
 *
 * <p>The hooks run on simulated threads, on the loop thread (a timer's send) or, after a run,
 * on threads the run left behind, which they stop. What a hook remembers for the next one is
 * kept only for calls from inside the run's serialized execution.
 */
public final class SimulationInstrumentation implements ProcessInstrumentation {

    /** What travels with a message from its send to its handler: who sent it. */
    private record Sent(String from) {}

    /** What a handler's scope keeps for {@link #afterHandle}. */
    private record Handling(ProcessRef<?> process, Object message) {}

    /** A send just logged, which the next {@link #awaitable} on its thread may show to be an ask. */
    private record Pending(
            Thread thread, SimThread sender, String from, ProcessRef<?> target, Object message, int line) {}

    /** A stop just logged, whose future the next {@link #awaitable} on its thread hands out. */
    private record Stopping(Thread thread, ProcessRef<?> process) {}

    private final Scheduler scheduler;
    private final Journal journal;
    private final Asks asks;
    private final MessageText messages;
    private final Failures failures;
    // Written and read only inside the run's serialized execution.
    private Pending pendingSend;
    private Stopping pendingStop;
    /** Set once the run makes keyed groups: only then is a scheduling point's stack looked at. */
    private volatile boolean keyedGroups;

    private static final String KEYED_GROUP = "dev.phyxius.supervisor.KeyedProcesses";
    private static final StackWalker STACK = StackWalker.getInstance();

    SimulationInstrumentation(
            Scheduler scheduler, Journal journal, Asks asks, MessageText messages, Failures failures) {
        this.scheduler = scheduler;
        this.journal = journal;
        this.asks = asks;
        this.messages = messages;
        this.failures = failures;
    }

    /** From now on, scheduling points skip the ones made inside a keyed group's lock. */
    void keyedGroups() {
        keyedGroups = true;
    }

    /** A scheduling point, unless the calling thread is inside a keyed group (see the class comment). */
    private void point() {
        if (keyedGroups
                && STACK.walk(frames -> frames.anyMatch(f -> f.getClassName().equals(KEYED_GROUP)))) {
            return;
        }
        scheduler.schedulingPoint();
    }

    @Override
    public Object capture(ProcessRef<?> target, Object message) {
        point();
        SimThread sender = scheduler.current();
        String from = who(sender);
        int line = journal.add(from, "sends " + messages.of(message) + " to " + target.name());
        if (sender != null || scheduler.onLoopThread()) {
            Pending pending = new Pending(Thread.currentThread(), sender, from, target, message, line);
            pendingSend = pending;
            CompletableFuture<?> reply = Asks.replyIn(message);
            if (reply != null && !asks.knows(reply) && !reply.isDone()) {
                // Either this is an ask, handed out next, or the mailbox refuses it and fails its
                // reply before ask returns; a request passed on with a known ask's reply is a send.
                reply.whenComplete((value, error) -> {
                    if (pendingSend == pending && error instanceof MessageRejectedException) {
                        pendingSend = null;
                        becameAsk(pending, reply);
                    }
                });
            }
        }
        return new Sent(from);
    }

    @Override
    public void stopping(ProcessRef<?> process, StopReason reason) {
        point();
        SimThread caller = scheduler.current();
        journal.add(who(caller), "stops " + process.name() + " (" + Render.value(reason, reply -> null) + ")");
        if (caller != null || scheduler.onLoopThread()) {
            pendingStop = new Stopping(Thread.currentThread(), process);
        }
    }

    @Override
    public void awaitable(ProcessRef<?> process, CompletableFuture<?> future) {
        SimThread caller = scheduler.current();
        if (caller == null && !scheduler.onLoopThread()) {
            return; // outside the run: nothing of it waits
        }
        Thread thread = Thread.currentThread();
        Pending send = pendingSend;
        Stopping stop = pendingStop;
        if (future instanceof Reply<?>) {
            // An ask's future is the reply its request carries: always a Reply.
            pendingSend = null;
            if (!asks.knows(future)) {
                becameAsk(
                        send != null && send.thread() == thread && send.target() == process
                                ? send
                                : new Pending(thread, caller, who(caller), process, null, 0),
                        future);
            }
            return;
        }
        Waits.ProcessFuture.Kind kind = Waits.ProcessFuture.Kind.TERMINATION;
        if (stop != null && stop.thread() == thread && stop.process() == process) {
            pendingStop = null;
            kind = Waits.ProcessFuture.Kind.STOP;
        }
        if (caller != null) {
            scheduler.waits().handedOut(caller, kind, process, future, CallSite.ofCaller());
        }
    }

    /** The send {@code pending} logged was an ask whose reply is {@code future}: register it, and say so. */
    private void becameAsk(Pending pending, CompletableFuture<?> future) {
        Object message = pending.message();
        Asks.Ask ask = asks.register(
                pending.sender(),
                pending.from(),
                pending.target(),
                message == null ? "?" : Render.type(message.getClass()),
                CallSite.ofCaller(),
                future);
        journal.amend(
                pending.line(),
                "asks " + pending.target().name() + " " + messages.of(message) + " (" + ask.label()
                        + (ask.callSite.isEmpty() ? "" : " at " + ask.callSite) + ")");
        if (ask.asker != null) {
            ask.asker.outstanding.add(ask);
        }
        future.whenComplete((value, error) -> replied(ask, value, error));
        Asks.watched(ask);
    }

    private void replied(Asks.Ask ask, Object value, Throwable error) {
        scheduler.waits().askDone(ask);
        String by = who(scheduler.current());
        if (error == null) {
            journal.add(by, "replies to " + ask.label() + " from " + ask.from + ": " + messages.of(value));
        } else {
            journal.add(
                    by,
                    ask.label() + " from " + ask.from + " to " + ask.target.name() + " failed: " + Render.error(error));
        }
        // The asker may run before the replier goes on.
        point();
    }

    @Override
    public Object beforeHandle(ProcessRef<?> process, Object message, Object captured, long queuedNanos) {
        scheduler.stopIfOver();
        String from = captured instanceof Sent sent ? " from " + sent.from() : "";
        journal.add(process.name(), "handles " + messages.of(message) + from);
        return new Handling(process, message);
    }

    @Override
    public void afterHandle(Object scope, Throwable error, long handlingNanos) {
        if (error != null && scope instanceof Handling handling) {
            failures.handlerThrew(
                    handling.process().id(), handling.process().name(), messages.of(handling.message()), error);
        }
        scheduler.schedulingPoint();
    }

    /** The name the log gives a caller: its simulated thread, the clock (a timer), or outside. */
    private String who(SimThread caller) {
        return caller != null ? caller.name : scheduler.onLoopThread() ? "clock" : "outside";
    }

    @Override
    public String toString() {
        return "SimulationInstrumentation";
    }
}

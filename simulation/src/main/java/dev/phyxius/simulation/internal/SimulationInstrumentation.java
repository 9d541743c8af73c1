package dev.phyxius.simulation.internal;

import dev.phyxius.process.ProcessInstrumentation;
import dev.phyxius.process.ProcessRef;

/**
 * The instrumentation every simulated process carries: it makes sends, replies and the end of
 * each handler scheduling points, and writes who sends what to whom into the log.
 *
 * <p><b>Why these points.</b> Between two scheduling points a simulated thread runs alone, so
 * only at a point can another process observe a different order. A send is a point before it
 * takes effect ({@link #capture} runs on the sender's thread before the message is queued): "A
 * tells X, then tells C" then interleaves with X's own sends to C, as it does on real carriers. A
 * reply is a point once it has completed the ask, so that the asker may act before the replier
 * goes on. A handler's end is a point so that a process handles its mailbox message by message,
 * not in one step.
 *
 * <p>The hooks run on simulated threads, on the loop thread (a timer's send) or, after a run,
 * on threads the run left behind, which they stop.
 */
public final class SimulationInstrumentation implements ProcessInstrumentation {

    /** What travels with a message from its send to its handler: who sent it, and its ask. */
    private record Sent(String from, Asks.Ask ask) {}

    /** What a handler's scope keeps for {@link #afterHandle}. */
    private record Handling(ProcessRef<?> process, Object message) {}

    private final Scheduler scheduler;
    private final Journal journal;
    private final Asks asks;
    private final MessageText messages;
    private final Failures failures;

    SimulationInstrumentation(Scheduler scheduler, Journal journal, Asks asks, MessageText messages, Failures failures) {
        this.scheduler = scheduler;
        this.journal = journal;
        this.asks = asks;
        this.messages = messages;
        this.failures = failures;
    }

    @Override
    public Object capture(ProcessRef<?> target, Object message) {
        scheduler.schedulingPoint();
        SimThread sender = scheduler.current();
        String from = sender != null ? sender.name : scheduler.onLoopThread() ? "clock" : "outside";
        Asks.Ask ask = asks.register(sender, from, target, message);
        if (ask == null) {
            journal.add(from, "sends " + messages.of(message) + " to " + target.name());
            return new Sent(from, null);
        }
        if (sender != null) {
            sender.outstanding.add(ask);
        }
        journal.add(from, "asks " + target.name() + " " + messages.of(message) + " (" + ask.label()
                + (ask.callSite.isEmpty() ? "" : " at " + ask.callSite) + ")");
        ask.future.whenComplete((value, error) -> replied(ask, value, error));
        Asks.watched(ask);
        return new Sent(from, ask);
    }

    private void replied(Asks.Ask ask, Object value, Throwable error) {
        scheduler.waits().askDone(ask);
        SimThread replier = scheduler.current();
        String by = replier != null ? replier.name : scheduler.onLoopThread() ? "clock" : "outside";
        if (error == null) {
            journal.add(by, "replies to " + ask.label() + " from " + ask.from + ": " + messages.of(value));
        } else {
            journal.add(by, ask.label() + " from " + ask.from + " to " + ask.target.name() + " failed: "
                    + Render.error(error));
        }
        // The asker may run before the replier goes on.
        scheduler.schedulingPoint();
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
            failures.handlerThrew(handling.process().id(), handling.process().name(), messages.of(handling.message()),
                    error);
        }
        scheduler.schedulingPoint();
    }

    @Override
    public String toString() {
        return "SimulationInstrumentation";
    }
}

package dev.phyxius.tests.supervisor;

import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.Reply;
import dev.phyxius.process.StopReason;
import dev.phyxius.tests.support.Gate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A child for restart-round tests that records its lives in a journal shared by its siblings.
 * Its state is the number of its life (1 for the first {@code init}). Commands: {@code boom}
 * throws; {@code stop-self} stops the process from its handler; {@code hold} waits for
 * {@link #release()} (an interrupt ends the wait with an {@link InterruptedException});
 * {@code hold-then-boom} waits the same way, then throws; anything else is recorded as handled.
 */
final class Member {

    sealed interface Msg {}

    record Do(String what) implements Msg {}

    /** Answers with the number of the life that handles it. */
    record Life(Reply<Integer> reply) implements Msg {}

    final String name;
    final List<String> journal;
    final AtomicInteger inits = new AtomicInteger();
    final List<String> handled = new CopyOnWriteArrayList<>();
    private final Gate gate;

    Member(String name, List<String> journal) {
        this.name = name;
        this.journal = journal;
        this.gate = new Gate(name);
    }

    ProcessSpec<Msg, Integer, Void> spec() {
        return ProcessSpec.<Msg, Integer>named(name)
                .init(() -> {
                    journal.add("init " + name);
                    return inits.incrementAndGet();
                })
                .handler((life, msg, tools) -> {
                    switch (msg) {
                        case Do(String what)
                        when what.equals("boom") -> throw new IllegalStateException("boom in " + name);
                        case Do(String what)
                        when what.equals("stop-self") -> tools.self().stop();
                        case Do(String what) when what.equals("hold") -> hold();
                        case Do(String what)
                        when what.equals("hold-then-boom") -> {
                            hold();
                            throw new IllegalStateException(name + " failed while being shut down");
                        }
                        case Do(String what) -> handled.add(what + "@" + life);
                        case Life(Reply<Integer> reply) -> reply.send(life);
                    }
                    return life;
                })
                .onStop((life, reason) -> journal.add("stop " + name + " " + kind(reason)))
                .build();
    }

    static String kind(StopReason reason) {
        return reason instanceof StopReason.Error ? "ERROR" : reason.toString();
    }

    /** The number of the life that answers, asked from the test thread. */
    static int life(ProcessRef<Msg> ref) throws Exception {
        return ref.<Integer>ask(Life::new).get(10, TimeUnit.SECONDS);
    }

    private void hold() throws InterruptedException {
        gate.pass();
    }

    void awaitHeld() throws InterruptedException {
        gate.awaitEntered();
    }

    void release() {
        gate.open();
    }
}

package dev.phyxius.examples.spring;

import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.Reply;

/** The supervised process behind the HTTP endpoint: a counter that owns its total. */
final class Counter {

    private Counter() {}

    /** What the counter understands. */
    sealed interface Msg {}

    /** Adds {@code by} to the total. */
    record Increment(int by) implements Msg {}

    /** Asks for the total. */
    record Get(Reply<Integer> reply) implements Msg {}

    /** Makes the counter fail; its supervisor restarts it with a fresh total of 0. */
    record Crash() implements Msg {}

    static final ProcessSpec<Msg, Integer, Void> SPEC = ProcessSpec.<Msg, Integer>named("counter")
            .init(() -> 0)
            .handler((total, msg, tools) -> switch (msg) {
                case Increment increment -> total + increment.by();
                case Get get -> {
                    get.reply().send(total);
                    yield total;
                }
                case Crash crash -> throw new IllegalStateException("asked to crash");
            })
            .build();
}

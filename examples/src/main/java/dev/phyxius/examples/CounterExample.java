package dev.phyxius.examples;

import dev.phyxius.clock.Clock;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.Processes;
import dev.phyxius.process.Reply;
import dev.phyxius.process.SpawnOptions;

/** Example 1: a counter whose state only its own handler touches, however many threads send. */
public final class CounterExample {

    sealed interface Msg {}

    record Increment(int by) implements Msg {}

    record Get(Reply<Integer> reply) implements Msg {}

    private CounterExample() {}

    /** The counter's spec: state is the count. */
    static ProcessSpec<Msg, Integer, Void> counter() {
        return ProcessSpec.<Msg, Integer>named("counter")
                .init(() -> 0)
                .handler((count, msg, tools) -> switch (msg) {
                    case Increment inc -> count + inc.by();
                    case Get get -> {
                        get.reply().send(count);
                        yield count;
                    }
                })
                .build();
    }

    /**
     * Runs the example.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted while waiting for the senders
     */
    public static void main(String[] args) throws InterruptedException {
        ProcessRef<Msg> ref = Processes.spawn(counter(), SpawnOptions.of(Clock.system()));
        Thread[] senders = new Thread[8];
        for (int i = 0; i < senders.length; i++) {
            senders[i] = Thread.ofVirtual().start(() -> {
                for (int n = 0; n < 100; n++) {
                    ref.send(new Increment(1));
                }
            });
        }
        for (Thread sender : senders) {
            sender.join();
        }
        System.out.println("8 threads x 100 increments -> count = "
                + ref.<Integer>ask(Get::new).join());
        ref.stop().join();
    }
}

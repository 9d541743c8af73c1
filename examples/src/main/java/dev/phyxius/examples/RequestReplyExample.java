package dev.phyxius.examples;

import dev.phyxius.clock.Clock;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.Processes;
import dev.phyxius.process.Reply;
import dev.phyxius.process.SpawnOptions;
import java.time.Duration;
import java.util.concurrent.CompletionException;

/** Example 5: request/reply with a timeout; a slow answer fails the ask, never hangs the caller. */
public final class RequestReplyExample {

    sealed interface Msg {}

    record Lookup(String key, Duration takes, Reply<String> reply) implements Msg {}

    private RequestReplyExample() {}

    static ProcessSpec<Msg, Void, Void> directory() {
        return ProcessSpec.<Msg, Void>named("directory")
                .handler((state, msg, tools) -> {
                    switch (msg) {
                        case Lookup lookup -> {
                            tools.clock().sleep(lookup.takes()); // a slow backend call
                            lookup.reply().send(lookup.key().toUpperCase());
                        }
                    }
                    return null;
                })
                .build();
    }

    /**
     * Runs the example.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        ProcessRef<Msg> ref = Processes.spawn(directory(), SpawnOptions.of(Clock.system()));
        String fast = ref.<String>ask(reply -> new Lookup("fast", Duration.ofMillis(10), reply), Duration.ofSeconds(1))
                .join();
        System.out.println("fast lookup -> " + fast);
        try {
            ref.<String>ask(reply -> new Lookup("slow", Duration.ofSeconds(2), reply), Duration.ofMillis(100))
                    .join();
        } catch (CompletionException e) {
            System.out.println("slow lookup -> " + e.getCause());
        }
        ref.stop().join();
    }
}

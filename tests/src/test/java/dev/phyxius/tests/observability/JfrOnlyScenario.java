package dev.phyxius.tests.observability;

import dev.phyxius.clock.Clock;
import dev.phyxius.observability.PhyxiusObservability;
import dev.phyxius.process.ProcessEvent;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.Processes;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What a user with only the JDK does: JFR observability on a process that handles three messages
 * and stops. Run by {@link JfrWithoutOptionalLibrariesTest} in a class loader that has Phyxius
 * and the JDK only, so it must name nothing else (no JUnit, no OpenTelemetry, no Micrometer).
 */
public final class JfrOnlyScenario implements Callable<String> {

    /** The process name the test looks for in the recording. */
    public static final String NAME = "jfr-only";

    @Override
    public String call() throws Exception {
        CountDownLatch handled = new CountDownLatch(3);
        PhyxiusObservability observability = PhyxiusObservability.builder()
                .jfr(true)
                .forwardTo(event -> {
                    if (event instanceof ProcessEvent.MessageHandled) {
                        handled.countDown();
                    }
                })
                .build();
        ProcessSpec<String, Integer, Void> spec = ProcessSpec.<String, Integer>named(NAME)
                .init(() -> 0)
                .handler((count, msg, tools) -> count + 1)
                .build();
        ProcessRef<String> ref =
                Processes.spawn(spec, observability.apply(dev.phyxius.process.SpawnOptions.of(Clock.system())));
        ref.send("one");
        ref.send("two");
        ref.send("three");
        if (!handled.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("messages not handled in time");
        }
        ref.stop().join();
        return ref.id().value();
    }
}

package dev.phyxius.benchmarks;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.phyxius.clock.Clock;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.Processes;
import dev.phyxius.process.SpawnOptions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The two systems under test behind one shape: a {@link Logic} object is the state of a Phyxius
 * process (its handler calls {@code on} and returns {@code null}, "state unchanged") and the state
 * of a Pekko typed actor (its behaviour calls {@code on} and returns {@code same()}). Every
 * workload therefore runs the same per-message code on both.
 */
final class Actors {

    /** Phyxius mailbox for throughput runs: larger than any burst, so REJECT never drops. */
    static final int BIG_INBOX = 1 << 24;

    /** Pekko dispatcher for blocking handlers, as its documentation advises. */
    static final String BLOCKING_DISPATCHER = "blocking-dispatcher";

    static final Clock CLOCK = Clock.system();
    static final SpawnOptions<Void> OPTIONS = SpawnOptions.of(CLOCK);

    private Actors() {}

    /** The per-message code of a benchmark's process or actor. */
    interface Logic {
        void on(Object message) throws Exception;
    }

    /** A sending side, whichever system is behind it. */
    interface Target {
        void tell(Object message);
    }

    // ---------------------------------------------------------------------------------------
    // Phyxius

    static ProcessSpec<Object, Logic, Void> phyxiusSpec(String name, Supplier<? extends Logic> logic, int maxInbox) {
        return ProcessSpec.<Object, Logic>named(name)
                .init(logic::get)
                .handler((state, message, tools) -> {
                    state.on(message);
                    return null; // the Logic object is the state, mutated in place
                })
                .maxInbox(maxInbox)
                .build();
    }

    static ProcessRef<Object> spawnPhyxius(ProcessSpec<Object, Logic, Void> spec) {
        return Processes.spawn(spec, OPTIONS);
    }

    static Target target(ProcessRef<Object> ref) {
        return message -> {
            if (!ref.send(message)) {
                throw new IllegalStateException("phyxius refused a message: " + ref);
            }
        };
    }

    static void stopAll(ProcessRef<?>[] refs) {
        CompletableFuture<?>[] stops = new CompletableFuture<?>[refs.length];
        for (int i = 0; i < refs.length; i++) {
            stops[i] = refs[i] == null ? CompletableFuture.completedFuture(null) : refs[i].stop();
        }
        CompletableFuture.allOf(stops).join();
    }

    // ---------------------------------------------------------------------------------------
    // Pekko

    /** A command run inside the guardian: actors can only be spawned from an actor's context. */
    interface GuardianCommand {
        void run(ActorContext<GuardianCommand> context);
    }

    static ActorSystem<GuardianCommand> pekko(String name) {
        Config config = ConfigFactory.parseString("""
                pekko.loglevel = WARNING
                pekko.log-dead-letters = off
                pekko.log-dead-letters-during-shutdown = off
                %s {
                  type = Dispatcher
                  executor = "thread-pool-executor"
                  thread-pool-executor { fixed-pool-size = %d }
                  throughput = 1
                }
                """.formatted(BLOCKING_DISPATCHER, Blocking.PEKKO_POOL))
                .withFallback(ConfigFactory.load());
        Behavior<GuardianCommand> guardian = Behaviors.receive((context, command) -> {
            command.run(context);
            return Behaviors.same();
        });
        return ActorSystem.create(guardian, name, config);
    }

    static Behavior<Object> pekkoBehavior(Supplier<? extends Logic> logic) {
        return Behaviors.setup(context -> {
            Logic state = logic.get();
            return Behaviors.receive((ctx, message) -> {
                state.on(message);
                return Behaviors.same();
            });
        });
    }

    static <T> ActorRef<T> spawnPekko(ActorSystem<GuardianCommand> system, Behavior<T> behavior, Props props) {
        CompletableFuture<ActorRef<T>> spawned = new CompletableFuture<>();
        system.tell(context -> spawned.complete(context.spawnAnonymous(behavior, props)));
        return spawned.join();
    }

    static <T> ActorRef<T> spawnPekko(ActorSystem<GuardianCommand> system, Behavior<T> behavior) {
        return spawnPekko(system, behavior, Props.empty());
    }

    static Target target(ActorRef<Object> ref) {
        return ref::tell;
    }

    static void terminate(ActorSystem<?> system) throws Exception {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    /** Stops a Pekko actor and waits until it and all its children are gone. */
    static void stopPekko(ActorSystem<GuardianCommand> system, ActorRef<?> actor) {
        CompletableFuture<Void> gone = new CompletableFuture<>();
        system.tell(context -> {
            context.watchWith(actor, c -> gone.complete(null));
            context.stop(actor);
        });
        gone.join();
    }

    static Duration askTimeout() {
        return Duration.ofSeconds(5);
    }

    // ---------------------------------------------------------------------------------------
    // Either system

    /**
     * {@code count} processes (or actors) running one {@link Logic} each, behind {@link Target}s,
     * on the system a benchmark's {@code impl} parameter names; {@link #close} stops what it made.
     * Phyxius processes get {@link #BIG_INBOX}, so a send is never refused.
     */
    static final class Fleet implements AutoCloseable {
        final Target[] targets;
        private final ProcessRef<Object>[] refs;
        private final ActorSystem<GuardianCommand> system;

        @SuppressWarnings("unchecked")
        private Fleet(
                String impl, String name, int count, Supplier<? extends Logic> logic, DispatcherSelector dispatcher) {
            targets = new Target[count];
            if (impl.equals("phyxius")) {
                refs = new ProcessRef[count];
                system = null;
                ProcessSpec<Object, Logic, Void> spec = phyxiusSpec(name, logic, BIG_INBOX);
                for (int i = 0; i < count; i++) {
                    refs[i] = spawnPhyxius(spec);
                    targets[i] = Actors.target(refs[i]);
                }
            } else if (impl.equals("pekko")) {
                refs = null;
                system = pekko(name);
                Props props = dispatcher == null ? Props.empty() : dispatcher;
                for (int i = 0; i < count; i++) {
                    targets[i] = Actors.target(spawnPekko(system, pekkoBehavior(logic), props));
                }
            } else {
                throw new IllegalArgumentException("impl must be phyxius or pekko, was " + impl);
            }
        }

        /** A fleet on Pekko's default dispatcher. */
        static Fleet of(String impl, String name, int count, Supplier<? extends Logic> logic) {
            return new Fleet(impl, name, count, logic, null);
        }

        /** A fleet whose Pekko actors run on {@code dispatcher} (Phyxius ignores it). */
        static Fleet of(
                String impl, String name, int count, Supplier<? extends Logic> logic, DispatcherSelector dispatcher) {
            return new Fleet(impl, name, count, logic, dispatcher);
        }

        /** The first (for one-process workloads, the only) target. */
        Target target() {
            return targets[0];
        }

        @Override
        public void close() throws Exception {
            if (refs != null) {
                stopAll(refs);
            }
            if (system != null) {
                terminate(system);
            }
        }
    }
}

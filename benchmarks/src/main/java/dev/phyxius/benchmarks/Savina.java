package dev.phyxius.benchmarks;

import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.ProcessStatus;
import dev.phyxius.process.Processes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * What the Savina micro-benchmarks (Imam and Sarkar, AGERE 2014; the {@code shamsimam/savina}
 * JVM implementation) share, on either system.
 *
 * <p>Savina's actors handle a message and may call {@code exit()}; a run ends when every actor of
 * it has exited. Here an {@link Actor} is that per-message code, the same object on both systems:
 * it returns {@code true} where Savina calls {@code exit()}, and the harness then stops the
 * Phyxius process ({@code tools.self().stop()}) or returns {@code Behaviors.stopped()} from the
 * Pekko behaviour, and counts the exit on the {@link Run}. Messages sent to an actor that has
 * exited are dropped on both systems, as Savina's {@code AkkaActor} ignores them.
 *
 * <p>Deviation from Savina, for both systems alike: Savina makes a new actor system per iteration
 * and times its start and termination; here one {@link Trial} (one Pekko {@code ActorSystem}) lives
 * for a JMH trial, each invocation gets a fresh {@link Group} of actors, and only the run itself
 * is timed (actor creation too in Fork-Join creation, where it is the workload).
 */
final class Savina {

    /** How long a run may take before it is reported as stuck rather than waited for forever. */
    static final long RUN_TIMEOUT_SECONDS = 120;

    private Savina() {}

    /** The per-message code of one Savina actor. Called by one thread at a time. */
    interface Actor {
        /**
         * Handles one message.
         *
         * @param self where messages to this actor go (to hand out as a sender)
         * @return {@code true} when the actor exits (Savina's {@code exit()})
         */
        boolean on(Object message, Actors.Target self) throws Exception;
    }

    /**
     * One run of a benchmark: counts its actors' exits, and keeps the first error the per-message
     * code reported (a wrong count, an unexpected sender), which fails the run after it ends.
     */
    static final class Run {
        private final int actors;
        private final CountDownLatch exits;
        private final AtomicReference<String> error = new AtomicReference<>();

        Run(int actors) {
            this.actors = actors;
            this.exits = new CountDownLatch(actors);
        }

        void exited() {
            exits.countDown();
        }

        void fail(String message) {
            error.compareAndSet(null, message);
        }

        /** Waits until every actor has exited; throws if one reported an error or the run is stuck. */
        void await() throws InterruptedException {
            if (!exits.await(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("run stuck: " + exits.getCount() + " of " + actors
                        + " actors had not exited after " + RUN_TIMEOUT_SECONDS + " s");
            }
            String failure = error.get();
            if (failure != null) {
                throw new IllegalStateException(failure);
            }
        }
    }

    /** One JMH trial on the system that {@code impl} names: for Pekko, one {@code ActorSystem}. */
    static final class Trial implements AutoCloseable {
        private final String name;
        private final ActorSystem<Actors.GuardianCommand> system;

        Trial(String impl, String name) {
            this.name = name;
            if (impl.equals("phyxius")) {
                system = null;
            } else if (impl.equals("pekko")) {
                system = Actors.pekko(name);
            } else {
                throw new IllegalArgumentException("impl must be phyxius or pekko, was " + impl);
            }
        }

        /** A fresh group for one invocation's actors. */
        Group group() {
            return system == null ? new PhyxiusGroup(name) : new PekkoGroup(system);
        }

        @Override
        public void close() throws Exception {
            if (system != null) {
                Actors.terminate(system);
            }
        }
    }

    /** The actors of one run; {@link #close} waits until all of them are gone. */
    abstract static sealed class Group implements AutoCloseable permits PhyxiusGroup, PekkoGroup {

        /** Spawns {@code count} actors, the i-th running {@code actor.apply(i)}; returns once all exist. */
        abstract Actors.Target[] spawn(Run run, int count, IntFunction<? extends Actor> actor);

        /**
         * Spawns {@code count} actors of one kind and sends each {@code message} as its first, the
         * way a program creates workers (Fork-Join creation). Returns at once for Pekko, whose
         * spawning runs inside a parent actor.
         */
        abstract void spawnAndTell(Run run, int count, Supplier<? extends Actor> actor, Object message);
    }

    /** The state of a Phyxius process: the actor, and its own ref as a target (made on first use). */
    private static final class Cell {
        final Actor actor;
        Actors.Target self;

        Cell(Actor actor) {
            this.actor = actor;
        }
    }

    private static final class PhyxiusGroup extends Group {
        private final String name;
        private final List<ProcessRef<Object>> refs = new ArrayList<>();

        PhyxiusGroup(String name) {
            this.name = name;
        }

        private ProcessSpec<Object, Cell, Void> spec(Run run, Supplier<? extends Actor> actor) {
            return ProcessSpec.<Object, Cell>named(name)
                    .init(() -> new Cell(actor.get()))
                    .handler((cell, message, tools) -> {
                        if (cell.self == null) {
                            cell.self = target(tools.self());
                        }
                        if (cell.actor.on(message, cell.self)) {
                            tools.self().stop();
                            run.exited();
                        }
                        return null; // the cell is the state, mutated in place
                    })
                    .maxInbox(Actors.BIG_INBOX)
                    .build();
        }

        @Override
        Actors.Target[] spawn(Run run, int count, IntFunction<? extends Actor> actor) {
            Actors.Target[] targets = new Actors.Target[count];
            for (int i = 0; i < count; i++) {
                int index = i;
                ProcessRef<Object> ref = Processes.spawn(spec(run, () -> actor.apply(index)), Actors.OPTIONS);
                refs.add(ref);
                targets[i] = target(ref);
            }
            return targets;
        }

        @Override
        void spawnAndTell(Run run, int count, Supplier<? extends Actor> actor, Object message) {
            ProcessSpec<Object, Cell, Void> spec = spec(run, actor);
            for (int i = 0; i < count; i++) {
                ProcessRef<Object> ref = Processes.spawn(spec, Actors.OPTIONS);
                refs.add(ref);
                target(ref).tell(message);
            }
        }

        /**
         * A send that drops messages to a process that has exited (as Pekko's dead letters do) but
         * fails on any other refusal, which would be a full mailbox and a lost message.
         */
        private static Actors.Target target(ProcessRef<Object> ref) {
            return message -> {
                if (!ref.send(message)) {
                    ProcessStatus status = ref.status();
                    if (status != ProcessStatus.STOPPING && status != ProcessStatus.STOPPED) {
                        throw new IllegalStateException("phyxius refused a message: " + ref + " " + status);
                    }
                }
            };
        }

        @Override
        public void close() {
            Actors.stopAll(refs.toArray(ProcessRef[]::new));
        }
    }

    private static final class PekkoGroup extends Group {
        private final ActorSystem<Actors.GuardianCommand> system;
        /** Parent of this run's actors, so that closing the group waits for every one of them. */
        private final ActorRef<Actors.GuardianCommand> parent;

        PekkoGroup(ActorSystem<Actors.GuardianCommand> system) {
            this.system = system;
            Behavior<Actors.GuardianCommand> runner = Behaviors.receive((context, command) -> {
                command.run(context);
                return Behaviors.same();
            });
            this.parent = Actors.spawnPekko(system, runner);
        }

        private static Behavior<Object> behavior(Run run, Supplier<? extends Actor> actor) {
            return Behaviors.setup(context -> {
                Actor state = actor.get();
                ActorRef<Object> ref = context.getSelf();
                Actors.Target self = ref::tell;
                return Behaviors.receive((ctx, message) -> {
                    if (state.on(message, self)) {
                        run.exited();
                        return Behaviors.stopped();
                    }
                    return Behaviors.same();
                });
            });
        }

        @Override
        Actors.Target[] spawn(Run run, int count, IntFunction<? extends Actor> actor) {
            CompletableFuture<Actors.Target[]> spawned = new CompletableFuture<>();
            parent.tell((ActorContext<Actors.GuardianCommand> context) -> {
                Actors.Target[] targets = new Actors.Target[count];
                for (int i = 0; i < count; i++) {
                    int index = i;
                    ActorRef<Object> ref = context.spawnAnonymous(behavior(run, () -> actor.apply(index)));
                    targets[i] = ref::tell;
                }
                spawned.complete(targets);
            });
            return spawned.join();
        }

        @Override
        void spawnAndTell(Run run, int count, Supplier<? extends Actor> actor, Object message) {
            Behavior<Object> child = behavior(run, actor);
            parent.tell((ActorContext<Actors.GuardianCommand> context) -> {
                for (int i = 0; i < count; i++) {
                    context.spawnAnonymous(child).tell(message);
                }
            });
        }

        @Override
        public void close() {
            Actors.stopPekko(system, parent);
        }
    }
}

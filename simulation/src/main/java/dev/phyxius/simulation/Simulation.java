package dev.phyxius.simulation;

import dev.phyxius.clock.Clock;
import dev.phyxius.clock.EventSink;
import dev.phyxius.process.ProcessId;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.Processes;
import dev.phyxius.process.SpawnOptions;
import dev.phyxius.simulation.internal.DelayingClock;
import dev.phyxius.simulation.internal.FaultPlan;
import dev.phyxius.simulation.internal.FaultySpec;
import dev.phyxius.simulation.internal.HandlerBoundary;
import dev.phyxius.simulation.internal.Journal;
import dev.phyxius.simulation.internal.Scheduler;
import dev.phyxius.supervisor.SupervisorOptions;
import dev.phyxius.testing.ControlledClock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;

/**
 * A deterministic simulation of processes: every handler, the scenario and any forked task run
 * one at a time under a scheduler that picks the next ready thread with a PRNG seeded by the
 * run's seed, and time is virtual. The same seed gives the same interleaving and the same
 * {@linkplain #log() event log}, entry for entry, run after run; so a failure found at one seed
 * is replayed by running that seed again.
 *
 * <p><b>Running.</b> {@link #run(long, SimulationOptions, SimulationScenario)} runs one seed;
 * {@link #explore(long, int, SimulationOptions, SimulationScenario)} runs many and stops at the
 * first that fails, whose {@link SimulationResult#reproduction()} says how to replay it. With
 * JUnit 5, {@link SimulationTest} does both. A run ends when the scenario returns or throws.
 *
 * <p><b>Blocking.</b> Simulated code keeps its normal blocking style: {@code ask(...).join()},
 * {@link #sleep(Duration)} (or {@code clock().sleep}), waiting on another process's reply or on
 * a lock held by another simulated thread each hand control back to the scheduler, which runs
 * something else. When nothing is ready, virtual time jumps to the next timer on
 * {@link #clock()}. Waiting on something the simulation does not control (real time such as
 * {@code Thread.sleep} or a timed {@code get}, real I/O, a foreign executor) ends the run as
 * {@link SimulationOutcome#NONDETERMINISM}, naming the thread; so does a thread that keeps control
 * past the {@linkplain SimulationOptions#withBlockingBound blocking bound}.
 *
 * <p><b>What is simulated.</b> Processes spawned by {@link #spawn}, or by {@link Processes#spawn}
 * with {@link #options(String)}, and tasks started by {@link #fork}. Each gets a fixed id
 * ({@code name-1}, {@code name-2}, ...) so that logs compare across runs. Supervisors made with
 * {@link #supervisorOptions(String)} run on the simulation's clock and log; their children are
 * simulated when spawned with {@link #spawn} and adopted with {@code Supervisor.supervise}.
 *
 * <p><b>Threads.</b> An instance belongs to its run: use it from the scenario and from simulated
 * code only. The JVM must allow {@code --add-opens java.base/java.lang=dev.phyxius.simulation} (or
 * {@code =ALL-UNNAMED} on the class path), the JDK's seam for custom virtual thread schedulers;
 * without it every run throws {@link IllegalStateException} naming the flag.
 *
 * @since 0.1
 */
public final class Simulation {

    private final long seed;
    private final SimulationOptions options;
    private final ControlledClock clock;
    private final Journal journal;
    private final FaultPlan faults;
    private final Clock processClock;
    private final Scheduler scheduler;
    private final SplittableRandom random;
    private final Map<String, Integer> spawned = new HashMap<>();
    private final ThreadFactory threadFactory;
    private int threads;

    private Simulation(long seed, SimulationOptions options) {
        this.seed = seed;
        this.options = options;
        ControlledClock[] clockRef = new ControlledClock[1];
        this.journal = new Journal(() -> clockRef[0].monoNanos());
        // Timer failures go to the log as events, never out of the scheduler's advance.
        this.clock = ControlledClock.create(journal);
        clockRef[0] = clock;
        this.faults = new FaultPlan(options.faults(), seed, journal);
        this.processClock = new DelayingClock(clock, faults);
        this.scheduler = new Scheduler(clock, journal, seed, options.maxSteps(), options.timeLimit(),
                options.blockingBound());
        this.random = new SplittableRandom(seed ^ 0x2545F4914F6CDD1DL);
        this.threadFactory = task -> scheduler.newThread(
                task instanceof ProcessRef<?> ref ? ref.name() : "thread-" + (++threads), task);
    }

    /**
     * Runs {@code scenario} once under the given seed with default options.
     *
     * @param seed     picks the interleaving (and the faults, if any)
     * @param scenario what to run
     * @return how the run ended, with its log
     * @throws NullPointerException  if {@code scenario} is {@code null}
     * @throws IllegalStateException if the JVM does not open {@code java.lang} to this module
     */
    public static SimulationResult run(long seed, SimulationScenario scenario) {
        return run(seed, SimulationOptions.defaults(), scenario);
    }

    /**
     * Runs {@code scenario} once under the given seed. Blocks the calling thread (which is not
     * simulated) until the run ends, at most the blocking bound after a stuck thread.
     *
     * @param seed     picks the interleaving (and the faults, if any)
     * @param options  faults, name and bounds
     * @param scenario what to run
     * @return how the run ended, with its log
     * @throws NullPointerException  if an argument is {@code null}
     * @throws IllegalStateException if the JVM does not open {@code java.lang} to this module
     */
    public static SimulationResult run(long seed, SimulationOptions options, SimulationScenario scenario) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(scenario, "scenario");
        Simulation sim = new Simulation(seed, options);
        Thread scenarioThread = sim.scheduler.newThread("scenario", () -> {
            Throwable failure = null;
            try {
                scenario.run(sim);
            } catch (Throwable t) {
                failure = t;
            }
            sim.scheduler.scenarioEnded(failure);
        });
        Thread loop = Thread.ofPlatform().daemon().name("phyxius-simulation-" + seed)
                .unstarted(() -> sim.scheduler.run(scenarioThread));
        loop.start();
        try {
            // The waiting thread is the watchdog: the loop cannot watch a continuation it carries.
            while (!loop.join(Duration.ofMillis(20))) {
                if (sim.scheduler.checkProgress()) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            sim.scheduler.fail(SimulationOutcome.FAILED, "interrupted while waiting for the run", e);
            Thread.currentThread().interrupt();
        }
        Scheduler.Verdict verdict = sim.scheduler.verdict().orElseThrow();
        return new SimulationResult(seed, options, verdict.outcome(), verdict.reason(), verdict.cause(),
                sim.journal.snapshot(), Duration.ofNanos(sim.clock.monoNanos()), sim.scheduler.steps());
    }

    /**
     * Runs {@code scenario} under seeds {@code 0} to {@code seeds - 1}, stopping at the first run
     * that does not pass.
     *
     * @param seeds    how many seeds to try, at least 1
     * @param options  faults, name and bounds
     * @param scenario what to run
     * @return the number of seeds run and the first failing run, if any
     * @throws NullPointerException     if an argument is {@code null}
     * @throws IllegalArgumentException if {@code seeds} is below 1
     */
    public static SimulationExploration explore(int seeds, SimulationOptions options, SimulationScenario scenario) {
        return explore(0, seeds, options, scenario);
    }

    /**
     * Runs {@code scenario} under seeds {@code firstSeed} to {@code firstSeed + seeds - 1},
     * stopping at the first run that does not pass.
     *
     * @param firstSeed the first seed
     * @param seeds     how many seeds to try, at least 1
     * @param options   faults, name and bounds
     * @param scenario  what to run
     * @return the number of seeds run and the first failing run, if any
     * @throws NullPointerException     if an argument is {@code null}
     * @throws IllegalArgumentException if {@code seeds} is below 1
     */
    public static SimulationExploration explore(long firstSeed, int seeds, SimulationOptions options,
                                                SimulationScenario scenario) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(scenario, "scenario");
        if (seeds < 1) {
            throw new IllegalArgumentException("seeds must be >= 1, was " + seeds);
        }
        for (int i = 0; i < seeds; i++) {
            SimulationResult result = run(firstSeed + i, options, scenario);
            if (!result.passed()) {
                return new SimulationExploration(firstSeed, i + 1, result);
            }
            if (Thread.currentThread().isInterrupted()) {
                break;
            }
        }
        return new SimulationExploration(firstSeed, seeds, null);
    }

    // -------------------------------------------------------------------------------------------
    // The running simulation, as the scenario sees it

    /**
     * The seed of this run.
     *
     * @return the seed
     */
    public long seed() {
        return seed;
    }

    /**
     * The options of this run.
     *
     * @return the options
     */
    public SimulationOptions options() {
        return options;
    }

    /**
     * The simulation's clock. It starts at wall time {@link java.time.Instant#EPOCH} and monotonic
     * time 0 and moves only when nothing is ready to run (or when simulated code advances it).
     * Timer faults apply to the clock processes get through {@link #options(String)}, not to
     * timers scheduled here directly.
     *
     * @return the clock
     */
    public ControlledClock clock() {
        return clock;
    }

    /**
     * A random stream for the scenario's own choices (workloads, message orders), derived from
     * the seed so that it replays with it. Not shared with the scheduler.
     *
     * @return the scenario's random stream
     */
    public SplittableRandom random() {
        return random;
    }

    /**
     * Sleeps the calling simulated thread for {@code duration} of virtual time; other threads
     * run meanwhile, and time jumps once nothing is ready.
     *
     * @param duration how long, on the simulation's clock
     * @throws InterruptedException if the thread is interrupted
     * @throws NullPointerException if {@code duration} is {@code null}
     */
    public void sleep(Duration duration) throws InterruptedException {
        clock.sleep(duration);
    }

    /**
     * Spawns a simulated process with no context. Its {@code init} runs on the calling thread;
     * faults from the options apply to it.
     *
     * @param spec what the process is
     * @param <M>  the message type
     * @param <S>  the state type
     * @return the running process
     * @throws NullPointerException if {@code spec} is {@code null}
     * @throws dev.phyxius.process.SpawnException if {@code init} throws
     */
    public <M, S> ProcessRef<M> spawn(ProcessSpec<M, S, Void> spec) {
        Objects.requireNonNull(spec, "spec");
        return Processes.spawn(withFaults(spec), options(spec.name()));
    }

    /**
     * Spawns a simulated process with a context for {@code init} and {@code onStop}.
     *
     * @param spec what the process is
     * @param ctx  the context
     * @param <M>  the message type
     * @param <S>  the state type
     * @param <C>  the context type
     * @return the running process
     * @throws NullPointerException if an argument is {@code null}
     * @throws dev.phyxius.process.SpawnException if {@code init} throws
     */
    public <M, S, C> ProcessRef<M> spawn(ProcessSpec<M, S, C> spec, C ctx) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(ctx, "ctx");
        return Processes.spawn(withFaults(spec), options(spec.name()).withContext(ctx));
    }

    /**
     * Spawn options that make a process simulated: the simulation's clock (with timer faults),
     * its log as event sink, its thread factory, an instrumentation hook that makes the end of
     * each handler a scheduling point, and the next fixed id for {@code name} ({@code name-1},
     * then {@code name-2}, ...). Extend them as usual ({@code withContext},
     * {@code withShutdownTimeout}); to keep events flowing to the log, compose any other sink
     * with {@link #events()}. To add an instrumentation of your own, combine it with the one
     * these options carry, {@code options.withInstrumentation(ProcessInstrumentation.combine(
     * options.instrumentation().orElseThrow(), mine))}, or apply a {@code PhyxiusObservability},
     * which combines by itself. Replacing it instead keeps the run deterministic but lets a
     * process handle its queued messages in one step.
     *
     * @param name the name the id is made from, usually the spec's name
     * @return the options
     * @throws NullPointerException if {@code name} is {@code null}
     */
    public SpawnOptions<Void> options(String name) {
        return SpawnOptions.of(processClock).withEvents(journal).withThreadFactory(threadFactory)
                .withInstrumentation(HandlerBoundary.INSTANCE).withId(nextId(name));
    }

    /**
     * Supervisor options on the simulation's process clock (with timer faults, so backoffs may
     * be delayed) and log, with the next fixed id for {@code name}. A supervisor runs no thread
     * of its own; the children it spawns run under the simulation (the options carry its thread
     * factory and scheduling points). Give such children fixed ids
     * ({@code ChildOptions.withId}) to keep the log the same from run to run, or spawn them with
     * {@link #spawn} and adopt them with {@code Supervisor.supervise(ref, action)}; nest
     * supervisors with {@code supervise(Supervisor)}.
     *
     * @param name the name the id is made from
     * @return the options
     * @throws NullPointerException if {@code name} is {@code null}
     */
    public SupervisorOptions supervisorOptions(String name) {
        return SupervisorOptions.of(processClock).withEvents(journal).withId(nextId(name))
                .withThreadFactory(threadFactory).withInstrumentation(HandlerBoundary.INSTANCE);
    }

    /**
     * The spec with this run's handler crash and mailbox faults applied; the spec itself if the
     * options inject none. {@link #spawn} applies it already.
     *
     * @param spec the spec
     * @param <M>  the message type
     * @param <S>  the state type
     * @param <C>  the context type
     * @return a spec that behaves as {@code spec} except for injected faults
     * @throws NullPointerException if {@code spec} is {@code null}
     */
    public <M, S, C> ProcessSpec<M, S, C> withFaults(ProcessSpec<M, S, C> spec) {
        Objects.requireNonNull(spec, "spec");
        SimulationFaults injected = options.faults();
        if (injected.crashProbability() == 0 && injected.mailboxCapacity() == 0) {
            return spec;
        }
        return new FaultySpec<>(spec, faults);
    }

    /**
     * Runs {@code task} on a new simulated thread, concurrently with the caller: a client, a
     * second user, a load generator.
     *
     * @param name the thread's name in the log
     * @param task what to run; it may block like any simulated code
     * @param <T>  the result type
     * @return completes with the task's result or failure
     * @throws NullPointerException if an argument is {@code null}
     */
    public <T> CompletableFuture<T> fork(String name, Callable<T> task) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(task, "task");
        CompletableFuture<T> result = new CompletableFuture<>();
        scheduler.newThread(name, () -> {
            try {
                result.complete(task.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }).start();
        return result;
    }

    /**
     * The thread factory behind simulated processes, for code that takes one (such as
     * {@code SpawnOptions.withThreadFactory}).
     *
     * @return a factory of simulated virtual threads
     */
    public ThreadFactory threadFactory() {
        return threadFactory;
    }

    /**
     * The event sink that writes to this run's log; process, supervisor and clock events appear
     * formatted so that they read the same on every run.
     *
     * @return the log as an event sink
     */
    public EventSink events() {
        return journal;
    }

    /**
     * Adds an entry to the log under the scenario's name.
     *
     * @param text what happened
     * @throws NullPointerException if {@code text} is {@code null}
     */
    public void record(String text) {
        record("scenario", text);
    }

    /**
     * Adds an entry to the log.
     *
     * @param source who it is about
     * @param text   what happened
     * @throws NullPointerException if an argument is {@code null}
     */
    public void record(String source, String text) {
        journal.add(Objects.requireNonNull(source, "source"), Objects.requireNonNull(text, "text"));
    }

    /**
     * The log so far.
     *
     * @return an immutable snapshot
     */
    public List<SimulationEvent> log() {
        return journal.snapshot();
    }

    @Override
    public String toString() {
        return "Simulation[seed=" + seed + ", " + options.name() + ", " + clock + "]";
    }

    private ProcessId nextId(String name) {
        Objects.requireNonNull(name, "name");
        int n = spawned.merge(name, 1, Integer::sum);
        return new ProcessId(name + "-" + n);
    }
}

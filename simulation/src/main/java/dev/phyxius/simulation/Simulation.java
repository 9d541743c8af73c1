package dev.phyxius.simulation;

import dev.phyxius.clock.EventSink;
import dev.phyxius.process.ProcessId;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.Processes;
import dev.phyxius.process.SpawnOptions;
import dev.phyxius.simulation.internal.Run;
import dev.phyxius.simulation.internal.Scheduler;
import dev.phyxius.supervisor.KeyedOptions;
import dev.phyxius.supervisor.KeyedProcesses;
import dev.phyxius.supervisor.Supervisor;
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
import java.util.function.Function;

/**
 * A deterministic simulation of processes: every handler, the scenario and any forked task run
 * one at a time under a scheduler that picks the next ready thread by a strategy drawing from
 * the run's seed, and time is virtual. The same seed gives the same interleaving and the same
 * {@linkplain #log() event log}, entry for entry, run after run and JVM after JVM; so a failure
 * found at one seed is replayed by running that seed again.
 *
 * <p><b>Running.</b> {@link #run(long, SimulationOptions, SimulationScenario)} runs one seed;
 * {@link #explore(long, int, SimulationOptions, SimulationScenario)} runs many and stops at the
 * first that fails, whose {@link SimulationResult#reproduction()} says how to replay it. With
 * JUnit 5, {@link SimulationTest} does both. A run ends when the scenario returns or throws. The
 * {@linkplain SimulationStrategy strategy} is PCT unless the options say otherwise.
 *
 * <p><b>Scheduling points.</b> A simulated thread runs alone until it reaches one, and only
 * there can another process observe a different order: before each send, ask or {@code stop}
 * takes effect, after a reply completes an ask, at the end of each handler, after forking a task,
 * and whenever it blocks: {@code ask(...).join()}, {@code stop().join()}, {@link #sleep(Duration)}
 * (or {@code clock().sleep}), a lock held by another simulated thread. When nothing is ready, virtual time jumps to the next timer
 * on {@link #clock()}. What happens between two points is atomic here: a race on shared memory
 * between two handlers, with no point between the read and the write, is not found.
 *
 * <p><b>What fails a run.</b> The scenario throwing; a process failure, a failed {@code onStop},
 * a clock task that throws or a forked task that throws and is never joined, unless the scenario
 * {@linkplain #expectFailures() expects failures} (crashes the options inject are expected by
 * themselves); a cycle of threads waiting on each other through asks, joins of a process's
 * {@code stop()} or {@code termination()} future, or joins of forks, reported as a
 * {@link SimulationOutcome#DEADLOCK} naming each edge and where it was made, whatever the
 * timeouts; waiting on
 * something the simulation does not control (real time such as {@code Thread.sleep} or a timed
 * {@code get}, real I/O, a foreign executor), a thread that keeps control past the
 * {@linkplain SimulationOptions#withBlockingBound blocking bound} or reads the clock in a busy
 * loop, all reported as {@link SimulationOutcome#NONDETERMINISM} naming the thread; and the step
 * and time limits. Nothing of a run survives it: a thread still running when the run ends is
 * stopped at its next call into the simulation (a send, the log, the clock).
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

    /** The seed of the calibration run that measures PCT's {@code k}: fixed, so that k is too. */
    static final long CALIBRATION_SEED = 0x5EED_CA1B_0000_0001L;

    private final long seed;
    private final SimulationOptions options;
    private final Run run;
    private final SplittableRandom random;
    private final Map<String, Integer> spawned = new HashMap<>();

    private Simulation(long seed, SimulationOptions options, long pctSteps) {
        this.seed = seed;
        this.options = options;
        this.run = new Run(seed, options, pctSteps);
        this.random = new SplittableRandom(seed ^ 0x2545F4914F6CDD1DL);
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
     * simulated) until the run ends, at most the blocking bound after a stuck thread. With a PCT
     * strategy that measures its {@code k} (the default), the scenario first runs once more, as
     * the calibration run, so that the seed replays exactly as it ran in an exploration.
     *
     * @param seed     picks the interleaving (and the faults, if any)
     * @param options  strategy, faults, name and bounds
     * @param scenario what to run
     * @return how the run ended, with its log
     * @throws NullPointerException  if an argument is {@code null}
     * @throws IllegalStateException if the JVM does not open {@code java.lang} to this module
     */
    public static SimulationResult run(long seed, SimulationOptions options, SimulationScenario scenario) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(scenario, "scenario");
        return runOnce(seed, options, scenario, calibrate(options, scenario));
    }

    /**
     * PCT's {@code k} when the strategy leaves it to be measured: the steps of one run under the
     * random walk and a fixed seed, whatever its outcome. 0 when nothing is measured.
     */
    private static long calibrate(SimulationOptions options, SimulationScenario scenario) {
        if (!options.strategy().measuresSteps()) {
            return 0;
        }
        SimulationResult calibration =
                runOnce(CALIBRATION_SEED, options.withStrategy(SimulationStrategy.random()), scenario, 0);
        return Math.max(1, calibration.steps());
    }

    private static SimulationResult runOnce(
            long seed, SimulationOptions options, SimulationScenario scenario, long pctSteps) {
        Simulation sim = new Simulation(seed, options, pctSteps);
        Scheduler scheduler = sim.run.scheduler();
        Thread scenarioThread = scheduler.scenarioThread(() -> {
            Throwable failure = null;
            try {
                scenario.run(sim);
            } catch (Throwable t) {
                failure = t;
            }
            scheduler.scenarioEnded(failure);
        });
        Thread loop = Thread.ofPlatform()
                .daemon()
                .name("phyxius-simulation-" + seed)
                .unstarted(() -> scheduler.run(scenarioThread));
        loop.start();
        try {
            // The waiting thread is the watchdog: the loop cannot watch a continuation it carries.
            while (!loop.join(Duration.ofMillis(20))) {
                if (scheduler.checkProgress()) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            scheduler.fail(SimulationOutcome.FAILED, "interrupted while waiting for the run", e);
            Thread.currentThread().interrupt();
        }
        Scheduler.Verdict verdict = scheduler.verdict().orElseThrow();
        return new SimulationResult(
                seed,
                options,
                pctSteps,
                verdict.outcome(),
                verdict.reason(),
                verdict.cause(),
                sim.run.journal().snapshot(),
                Duration.ofNanos(sim.run.clock().monoNanos()),
                scheduler.steps());
    }

    /**
     * Runs {@code scenario} under seeds {@code 0} to {@code seeds - 1}, stopping at the first run
     * that does not pass.
     *
     * @param seeds    how many seeds to try, at least 1
     * @param options  strategy, faults, name and bounds
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
     * stopping at the first run that does not pass. With a PCT strategy that measures its
     * {@code k} (the default), one calibration run comes first, whatever the seeds.
     *
     * @param firstSeed the first seed
     * @param seeds     how many seeds to try, at least 1
     * @param options   strategy, faults, name and bounds
     * @param scenario  what to run
     * @return the number of seeds run and the first failing run, if any
     * @throws NullPointerException     if an argument is {@code null}
     * @throws IllegalArgumentException if {@code seeds} is below 1
     */
    public static SimulationExploration explore(
            long firstSeed, int seeds, SimulationOptions options, SimulationScenario scenario) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(scenario, "scenario");
        if (seeds < 1) {
            throw new IllegalArgumentException("seeds must be >= 1, was " + seeds);
        }
        long pctSteps = calibrate(options, scenario);
        for (int i = 0; i < seeds; i++) {
            SimulationResult result = runOnce(firstSeed + i, options, scenario, pctSteps);
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
        return run.clock();
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
     * run meanwhile, and time jumps once nothing is ready. Timer faults do not delay it: it is
     * the scenario's own clock.
     *
     * @param duration how long, on the simulation's clock
     * @throws InterruptedException if the thread is interrupted
     * @throws NullPointerException if {@code duration} is {@code null}
     */
    public void sleep(Duration duration) throws InterruptedException {
        Objects.requireNonNull(duration, "duration");
        run.stopIfOver();
        run.clock().sleep(duration);
    }

    /**
     * Declares that the scenario provokes failures (a handler that throws on purpose, a forked
     * task meant to fail, a clock task that throws): they no longer fail the run, whenever they
     * happen. Crashes injected by the options' faults never need this. Without it, a run in which
     * something failed and the scenario did not look fails, naming the first failure.
     */
    public void expectFailures() {
        run.expectFailures();
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
        run.stopIfOver();
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
        run.stopIfOver();
        return Processes.spawn(withFaults(spec), options(spec.name()).withContext(ctx));
    }

    /**
     * Spawn options that make a process simulated: the simulation's clock (with timer faults),
     * its log as event sink, its thread factory, the instrumentation that makes sends, stops,
     * replies and the end of each handler scheduling points, logs them and tells the wait-for
     * graph which asks, stops and terminations a thread may wait on, and the next fixed id for
     * {@code name} ({@code name-1}, then {@code name-2}, ...). Extend them as usual
     * ({@code withContext}, {@code withShutdownTimeout}); to keep events flowing to the log,
     * compose any other sink with {@link #events()}. To add an instrumentation of your own,
     * combine it with the one these options carry, {@code options.withInstrumentation(
     * ProcessInstrumentation.combine(options.instrumentation().orElseThrow(), mine))}, or apply a
     * {@code PhyxiusObservability}, which combines by itself. Replacing it instead keeps the run
     * deterministic but loses those scheduling points (a process would handle its queued messages
     * in one step) and the wait-for graph.
     *
     * @param name the name the id is made from, usually the spec's name
     * @return the options
     * @throws NullPointerException if {@code name} is {@code null}
     */
    public SpawnOptions<Void> options(String name) {
        return SpawnOptions.of(run.processClock())
                .withEvents(run.journal())
                .withThreadFactory(run.threadFactory())
                .withInstrumentation(run.instrumentation())
                .withId(nextId(name));
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
        return SupervisorOptions.of(run.processClock())
                .withEvents(run.journal())
                .withId(nextId(name))
                .withThreadFactory(run.threadFactory())
                .withInstrumentation(run.instrumentation());
    }

    /**
     * Options that make a keyed group ({@code KeyedProcesses}) simulated: the simulation's clock
     * (idle timeouts, quarantines and ask timeouts in virtual time, with timer faults), its log
     * as event sink, activations on simulated threads, and supervisors made from
     * {@link #supervisorOptions(String) supervisorOptions(name + "-supervisor")}, so that every
     * key's process runs under the scheduler with its scheduling points. Keys' processes have
     * the fixed ids {@code name/key}. Extend them as usual ({@code withIdleTimeout},
     * {@code withMaxLiveKeys}, {@code withStrategy}); another thread factory or supervisor maker
     * takes the group's work out of the simulation. A group sends to a key's process while it
     * holds that key's lock, which the simulation cannot hand from one thread to another: those
     * sends (and the group's stops) are logged but are no scheduling points once a run made these
     * options; the points around them remain. A group made from other options risks ending a run
     * as {@code NONDETERMINISM} when two threads want the same key at once.
     *
     * @param name the group's name, for the supervisors' ids
     * @return the options
     * @throws NullPointerException if {@code name} is {@code null}
     */
    public KeyedOptions<Object> keyedOptions(String name) {
        Objects.requireNonNull(name, "name");
        run.keyedGroups();
        return KeyedOptions.of(run.processClock())
                .withEvents(run.journal())
                .withThreadFactory(run.threadFactory())
                .withInstrumentation(run.instrumentation())
                .withSupervisors(strategy ->
                        new Supervisor(supervisorOptions(name + "-supervisor").withStrategy(strategy)));
    }

    /**
     * Creates a simulated keyed group whose keys' processes are built by {@code specs}, with this
     * run's handler crash and mailbox faults applied to each; {@code options} usually come from
     * {@link #keyedOptions(String) keyedOptions(name)}. A key comes to life on a simulated thread,
     * so its activation, its passivation and a send racing either are interleavings the seeds
     * explore.
     *
     * @param name    the group's name
     * @param specs   builds the spec of a key's process
     * @param options the group's options
     * @param <K>     the key type
     * @param <M>     the message type
     * @return the running group
     * @throws NullPointerException     if an argument is {@code null}
     * @throws IllegalArgumentException if {@code name} is blank
     */
    public <K, M> KeyedProcesses<K, M> keyed(
            String name,
            Function<? super K, ? extends ProcessSpec<M, ?, Void>> specs,
            KeyedOptions<? super K> options) {
        Objects.requireNonNull(specs, "specs");
        Objects.requireNonNull(options, "options");
        run.stopIfOver();
        return KeyedProcesses.create(name, key -> faulty(specs.apply(key)), options);
    }

    /** Captures the spec's state type, which the factory's wildcard hides. */
    private <M, S> ProcessSpec<M, S, Void> faulty(ProcessSpec<M, S, Void> spec) {
        return withFaults(spec);
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
        return run.withFaults(spec);
    }

    /**
     * Runs {@code task} on a new simulated thread, concurrently with the caller: a client, a
     * second user, a load generator. Forking is a scheduling point, so the task may run before
     * the caller goes on. A task that throws is logged; it fails the run unless something joined,
     * read or composed its future, or the scenario {@linkplain #expectFailures() expects
     * failures}.
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
        run.stopIfOver();
        return run.fork(name, task);
    }

    /**
     * The thread factory behind simulated processes, for code that takes one (such as
     * {@code SpawnOptions.withThreadFactory}).
     *
     * @return a factory of simulated virtual threads
     */
    public ThreadFactory threadFactory() {
        return run.threadFactory();
    }

    /**
     * The event sink that writes to this run's log; process, supervisor and clock events appear
     * formatted so that they read the same on every run.
     *
     * @return the log as an event sink
     */
    public EventSink events() {
        return run.journal();
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
        run.journal().add(Objects.requireNonNull(source, "source"), Objects.requireNonNull(text, "text"));
    }

    /**
     * The log so far.
     *
     * @return an immutable snapshot
     */
    public List<SimulationEvent> log() {
        return run.journal().snapshot();
    }

    @Override
    public String toString() {
        return "Simulation[seed=" + seed + ", " + options.name() + ", " + run.clock() + "]";
    }

    private ProcessId nextId(String name) {
        Objects.requireNonNull(name, "name");
        int n = spawned.merge(name, 1, Integer::sum);
        return new ProcessId(name + "-" + n);
    }
}

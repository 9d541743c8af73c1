package dev.phyxius.simulation.internal;

import dev.phyxius.clock.Clock;
import dev.phyxius.process.ProcessInstrumentation;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.simulation.SimulationFaults;
import dev.phyxius.simulation.SimulationOptions;
import dev.phyxius.testing.ControlledClock;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;

/**
 * The parts of one run, wired together: the clock, the log, the failures, the asks, the
 * scheduler and the instrumentation every simulated process carries. The public
 * {@code Simulation} is a facade over it.
 */
public final class Run {

    private final ControlledClock clock;
    private final Journal journal;
    private final Failures failures = new Failures();
    private final MessageText messages;
    private final FaultPlan faults;
    private final SimulationFaults injected;
    private final Scheduler scheduler;
    private final Clock processClock;
    private final SimulationInstrumentation instrumentation;
    private final ThreadFactory threadFactory;

    /**
     * Wires a run.
     *
     * @param pctSteps PCT's {@code k} measured by a calibration run, or 0
     */
    public Run(long seed, SimulationOptions options, long pctSteps) {
        Asks asks = new Asks();
        this.messages = new MessageText(options.messageDetail() == SimulationOptions.MessageDetail.CONTENTS, asks);
        ControlledClock[] clockRef = new ControlledClock[1];
        this.journal = new Journal(() -> clockRef[0].monoNanos(), failures, messages);
        // Timer failures go to the log as events, never out of the scheduler's advance.
        this.clock = ControlledClock.create(journal);
        clockRef[0] = clock;
        this.injected = options.faults();
        this.faults = new FaultPlan(injected, seed, journal);
        this.scheduler = new Scheduler(
                clock,
                journal,
                failures,
                seed,
                options.strategy(),
                pctSteps,
                options.maxSteps(),
                options.timeLimit(),
                options.blockingBound());
        this.processClock = new DelayingClock(clock, faults, scheduler);
        this.instrumentation = new SimulationInstrumentation(scheduler, journal, asks, messages, failures);
        this.threadFactory = scheduler::factoryThread;
    }

    public ControlledClock clock() {
        return clock;
    }

    /** The clock processes and supervisors get: the run's clock, with timer faults and busy-loop checks. */
    public Clock processClock() {
        return processClock;
    }

    public Journal journal() {
        return journal;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    public ProcessInstrumentation instrumentation() {
        return instrumentation;
    }

    /** Tells the instrumentation that keyed groups run here; see {@link SimulationInstrumentation#keyedGroups()}. */
    public void keyedGroups() {
        instrumentation.keyedGroups();
    }

    public ThreadFactory threadFactory() {
        return threadFactory;
    }

    /** The scenario provokes failures: none of them fails the run. */
    public void expectFailures() {
        failures.expect();
    }

    /** The spec with the run's crash and mailbox faults, or the spec itself if there are none. */
    public <M, S, C> ProcessSpec<M, S, C> withFaults(ProcessSpec<M, S, C> spec) {
        if (injected.crashProbability() == 0 && injected.mailboxCapacity() == 0) {
            return spec;
        }
        return new FaultySpec<>(spec, faults);
    }

    /**
     * Starts a forked task and makes its start a scheduling point, so that it may run before
     * the thread that forked it goes on. A task that throws is logged, and fails the run unless
     * someone looked at its future (or the scenario expects failures).
     */
    public <T> CompletableFuture<T> fork(String name, Callable<T> task) {
        ForkFuture<T> result = new ForkFuture<>();
        SimThread forker = scheduler.current();
        journal.add(forker != null ? forker.name : "outside", "forks " + name);
        scheduler.startFork(name, result, () -> {
            T value;
            try {
                value = task.call();
            } catch (Throwable t) {
                boolean watched = result.getNumberOfDependents() > 0;
                failures.forkFailed(name, t, result, watched);
                journal.add(name, "fork threw " + Render.error(t));
                result.completeExceptionally(t);
                return;
            }
            journal.add(name, value == null ? "fork ended" : "fork returned " + messages.of(value));
            result.complete(value);
        });
        scheduler.schedulingPoint();
        return result;
    }

    /** A run of this thread that is over stops it here. */
    public void stopIfOver() {
        scheduler.stopIfOver();
    }
}

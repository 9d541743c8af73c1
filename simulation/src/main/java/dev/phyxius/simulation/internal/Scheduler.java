package dev.phyxius.simulation.internal;

import dev.phyxius.process.ProcessRef;
import dev.phyxius.simulation.SimulationOutcome;
import dev.phyxius.simulation.SimulationStrategy;
import dev.phyxius.testing.ControlledClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The discrete-event scheduler of one run: the executor behind every simulated virtual thread,
 * and the loop that runs them, one continuation at a time, on a single platform thread.
 *
 * <p><b>Why this is deterministic.</b> A continuation is submitted when a simulated thread
 * starts, is unparked or yields. Only the loop thread carries simulated threads, and clock
 * timers run on it too, so every legitimate submission comes from code the loop is running: the
 * submissions arrive in an order fixed by the run so far. The loop then lets a {@link Chooser}
 * (the random walk, or PCT), drawing from a stream of the run's seed, pick the next
 * continuation from the ready ones. When none is ready it looks for a cycle of threads waiting
 * on each other (through asks, stops, terminations and forks: a deadlock, whatever the
 * timeouts), then advances the
 * {@link ControlledClock} to its next timer, whose tasks may make threads ready; when no timer
 * is pending either, the run is stuck.
 *
 * <p><b>Scheduling points.</b> A thread hands control back when it parks (a reply, a lock, a
 * sleep on the clock, a join) and when it yields. The simulation makes it yield before each send
 * and each stop takes effect, after each reply completes an ask, after each handler, after it
 * forks a task; between those points it runs alone.
 *
 * <p><b>What breaks determinism, and how it is caught.</b> A submission from any other thread
 * (the JDK's timer for {@code Thread.sleep} or timed parks, an I/O poller, a foreign executor)
 * fails the run as {@link SimulationOutcome#NONDETERMINISM}, naming the woken thread. A
 * continuation that does not return for the blocking bound (pinned in native code, blocked in a
 * foreign lock, spinning) is caught by {@link #checkProgress}, called by the thread that waits
 * for the run; one that reads the clock in a loop is caught sooner, by {@link #clockRead}.
 *
 * <p><b>Nothing survives a run.</b> Once the run has its verdict, no continuation is run again,
 * and a simulated thread that still reaches the simulation (a send, a clock read, the log) is
 * stopped there for good: it yields, and its continuation is dropped.
 */
public final class Scheduler implements Executor {

    /** How the run ended, and why. */
    public record Verdict(SimulationOutcome outcome, String reason, Throwable cause) {}

    /** Clock reads in one step that make a thread a busy loop on time, which never passes while it runs. */
    static final int BUSY_CLOCK_READS = 100_000;

    private final ControlledClock clock;
    private final Journal journal;
    private final Failures failures;
    private final Waits waits;
    private final Chooser chooser;
    private final long maxSteps;
    private final long timeLimitNanos;
    private final long boundNanos;

    /** Submissions, in arrival order; drained by the loop into {@link #ready}. */
    private final ConcurrentLinkedQueue<Runnable> inbox = new ConcurrentLinkedQueue<>();
    /** Continuations that may run, and their threads at the same index; loop thread only. */
    private final List<Runnable> ready = new ArrayList<>();

    private final List<SimThread> readyThreads = new ArrayList<>();
    private final Map<Runnable, SimThread> byContinuation = new ConcurrentHashMap<>();
    private final Map<Thread, SimThread> simulated = new ConcurrentHashMap<>();
    /** Every simulated thread in creation order, for the report of a stuck run. */
    private final List<SimThread> created = new ArrayList<>();

    private final AtomicReference<Verdict> verdict = new AtomicReference<>();

    private volatile Thread loopThread;
    /** The simulated thread running now, or null while the loop picks, advances or waits. */
    private volatile SimThread mounted;
    /** Bumped by every step and every clock advance; the watchdog's sign of life. */
    private volatile long progress;
    /** The loop is waiting, bounded, for a foreign wake-up; not a sign of a stuck thread. */
    private volatile boolean waitingForForeignWakeUp;

    private volatile boolean ended;
    private long steps;
    private SimThread lastRun;
    private int clockReads;
    private int forks;
    private int others;

    // Watchdog state: only the waiting thread touches it.
    private long lastProgress = -1;
    private long lastProgressAt;

    /**
     * Creates the scheduler of one run.
     *
     * @param pctSteps the {@code k} of PCT when the strategy does not fix it (measured by a
     *                 calibration run); ignored by the random walk
     */
    public Scheduler(
            ControlledClock clock,
            Journal journal,
            Failures failures,
            long seed,
            SimulationStrategy strategy,
            long pctSteps,
            long maxSteps,
            Duration timeLimit,
            Duration blockingBound) {
        VirtualThreadSeam.check();
        this.clock = clock;
        this.journal = journal;
        this.failures = failures;
        this.waits = new Waits(journal);
        SplittableRandom random = new SplittableRandom(seed);
        this.chooser = strategy.kind() == SimulationStrategy.Kind.RANDOM
                ? new RandomChooser(random)
                : new PctChooser(random, strategy.depth(), strategy.steps().orElse(Math.max(1, pctSteps)));
        this.maxSteps = maxSteps;
        this.timeLimitNanos = timeLimit.toNanos();
        this.boundNanos = blockingBound.toNanos();
        journal.bind(this);
    }

    /** The unstarted thread that runs the scenario. */
    public Thread scenarioThread(Runnable task) {
        return newThread("scenario", "scenario", null, task);
    }

    /**
     * A thread for a {@code ThreadFactory} user: a process's drain (named and prioritised as the
     * process) or any other task.
     */
    public Thread factoryThread(Runnable task) {
        if (task instanceof ProcessRef<?> ref) {
            Thread thread = newThread(ref.name(), "process " + ref.id().value(), ref, task);
            waits.drainStarted(ref, simulated.get(thread));
            return thread;
        }
        int n = ++others;
        return newThread("thread-" + n, "thread " + n, null, task);
    }

    /** A forked task's thread, started, with its future tracked for waits and failures. */
    public void startFork(String name, ForkFuture<?> future, Runnable task) {
        Thread thread = newThread(name, "fork " + (++forks), null, task);
        waits.forkStarted(new Waits.Fork(simulated.get(thread), future));
        thread.start();
    }

    private Thread newThread(String name, String key, ProcessRef<?> process, Runnable task) {
        Thread thread = VirtualThreadSeam.builder(this).name(name).unstarted(task);
        SimThread simThread;
        synchronized (created) {
            simThread = new SimThread(name, key, process, thread);
            created.add(simThread);
        }
        byContinuation.put(VirtualThreadSeam.continuationOf(thread), simThread);
        simulated.put(thread, simThread);
        return thread;
    }

    /** The waits of the run, for the instrumentation that registers asks and process futures. */
    Waits waits() {
        return waits;
    }

    /**
     * The simulated thread that is calling, if it is the one running now; null when called from
     * the loop (a clock timer), from a thread outside the run, or after the run.
     */
    public SimThread current() {
        SimThread now = mounted;
        return now != null && now.thread == Thread.currentThread() ? now : null;
    }

    /** Whether the caller is the loop thread (a clock timer running). */
    boolean onLoopThread() {
        return Thread.currentThread() == loopThread;
    }

    /**
     * A scheduling point: the calling simulated thread hands control back, so that any ready
     * thread may run before it goes on. Does nothing for a caller that is not simulated.
     */
    public void schedulingPoint() {
        if (ended) {
            stopIfOver();
        } else if (current() != null) {
            Thread.yield();
        }
    }

    /**
     * Stops a simulated thread of this run that goes on after the run is over: it yields, and its
     * continuation is dropped, so it never runs again. Does nothing while the run goes on, or
     * for a thread that is not simulated.
     */
    public void stopIfOver() {
        if (ended && simulated.containsKey(Thread.currentThread())) {
            Thread.yield();
        }
    }

    /**
     * Counts a read of the process clock by the running thread. A thread that reads it
     * {@value #BUSY_CLOCK_READS} times in one step waits for time in a loop, and time moves only
     * when every thread waits: the run ends as {@link SimulationOutcome#NONDETERMINISM} and the
     * thread is stopped.
     */
    void clockRead() {
        if (ended) {
            stopIfOver();
            return;
        }
        SimThread now = current();
        if (now != null && ++clockReads == BUSY_CLOCK_READS) {
            fail(
                    SimulationOutcome.NONDETERMINISM,
                    "'" + now.name + "' read the clock " + BUSY_CLOCK_READS + " times"
                            + " without handing control back: a busy loop waiting for time, which never passes while it"
                            + " runs (virtual time moves only when every simulated thread waits). Wait with"
                            + " tools.clock().sleep, tools.schedule or an ask timeout instead. It was at:\n"
                            + stackOf(now.thread),
                    null);
            Thread.yield();
        }
    }

    /**
     * Takes a continuation that is ready to run. Called by the JDK when a simulated thread
     * starts, is unparked or yields.
     */
    @Override
    public void execute(Runnable continuation) {
        if (ended) {
            return; // a run that is over never runs anything again
        }
        Thread current = Thread.currentThread();
        if (current != loopThread && !simulated.containsKey(current)) {
            SimThread woken = byContinuation.get(continuation);
            fail(
                    SimulationOutcome.NONDETERMINISM,
                    "'" + (woken == null ? "an unknown thread" : woken.name)
                            + "' was woken by thread '" + current.getName()
                            + "', which the simulation does not control:"
                            + " it waited on real time (Thread.sleep, a timed wait or park), real I/O, or a thread or"
                            + " executor outside the simulation. Wait on the simulation's clock (sim.sleep, tools.schedule,"
                            + " ask timeouts) or on simulated processes instead.",
                    null);
            return;
        }
        inbox.add(continuation);
    }

    /**
     * Ends the run with this verdict unless it already has one; wakes the loop. The first
     * failure of the run that nobody expected goes into the verdict: it fails a run that would
     * pass, and comes first in the reason of one that fails otherwise.
     */
    public void fail(SimulationOutcome outcome, String reason, Throwable cause) {
        if (verdict.get() == null) {
            Verdict judged = judge(outcome, reason, cause);
            if (verdict.compareAndSet(null, judged)) {
                ended = true;
                if (judged.outcome() != SimulationOutcome.PASSED) {
                    journal.add("simulation", judged.outcome() + ": " + firstLine(judged.reason()));
                }
                journal.close();
            }
        }
        Thread loop = loopThread;
        if (loop != null) {
            LockSupport.unpark(loop);
        }
    }

    private Verdict judge(SimulationOutcome outcome, String reason, Throwable cause) {
        Failures.Failure first = failures.firstUnexpected();
        int count = failures.unexpectedCount();
        if (first == null) {
            return new Verdict(outcome, reason, cause);
        }
        String more = count > 1 ? " (the first of " + count + " unexpected failures)" : "";
        return switch (outcome) {
            case PASSED ->
                new Verdict(
                        SimulationOutcome.FAILED,
                        first.text() + more + ", and the scenario did not"
                                + " expect failures: call sim.expectFailures() if it provokes them",
                        first.error());
            case FAILED -> new Verdict(outcome, first.text() + more + "; then " + reason, cause);
            default -> new Verdict(outcome, reason + "\nEarlier, " + first.text() + more, cause);
        };
    }

    /** Records the scenario's end: passed, or failed with what it threw. */
    public void scenarioEnded(Throwable failure) {
        if (failure == null) {
            fail(SimulationOutcome.PASSED, "the scenario returned", null);
        } else {
            fail(SimulationOutcome.FAILED, "the scenario threw " + Render.cause(failure), failure);
        }
    }

    public Optional<Verdict> verdict() {
        return Optional.ofNullable(verdict.get());
    }

    /** Runs the loop on the calling platform thread until the run has a verdict. */
    public void run(Thread scenario) {
        loopThread = Thread.currentThread();
        try {
            scenario.start();
            while (verdict.get() == null) {
                for (Runnable next; (next = inbox.poll()) != null; ) {
                    ready.add(next);
                    readyThreads.add(byContinuation.get(next));
                }
                if (!ready.isEmpty()) {
                    step();
                    continue;
                }
                String cycle = waits.findCycle();
                if (cycle != null) {
                    fail(SimulationOutcome.DEADLOCK, "deadlock: " + cycle + "; only a timeout could end it", null);
                    continue;
                }
                Optional<Duration> untilNext = clock.untilNextTimer();
                if (untilNext.isPresent()) {
                    advance(untilNext.get());
                    continue;
                }
                awaitForeignWakeUp();
            }
        } catch (Throwable t) {
            fail(SimulationOutcome.FAILED, "the simulation itself failed: " + t, t);
        } finally {
            ended = true;
            mounted = null;
        }
    }

    private void step() {
        if (++steps > maxSteps) {
            fail(
                    SimulationOutcome.STEP_LIMIT,
                    "more than " + maxSteps + " scheduling steps: a livelock, or a"
                            + " scenario that needs withMaxSteps",
                    null);
            return;
        }
        int index = chooser.choose(readyThreads, steps);
        Runnable next = ready.remove(index);
        SimThread thread = readyThreads.remove(index);
        if (thread != lastRun) {
            journal.add(thread.name, "runs");
            lastRun = thread;
        }
        waits.beforeStep(thread);
        clockReads = 0;
        mounted = thread;
        progress++;
        next.run();
        mounted = null;
        if (ended) {
            return;
        }
        if (thread.thread.getState() == Thread.State.TIMED_WAITING) {
            // Simulated waits (the clock's sleep, replies, locks) park without a timeout, so a
            // timed park waits on real time; its wake-up would come from the JDK's timer thread.
            fail(
                    SimulationOutcome.NONDETERMINISM,
                    "'" + thread.name + "' waits with a real-time timeout (Thread.sleep,"
                            + " a timed get, await, join or park), which the simulation does not control. Wait on the"
                            + " simulation's clock (sim.sleep, tools.clock().sleep, tools.schedule, ask timeouts) instead."
                            + " It waits at:\n" + stackOf(thread.thread),
                    null);
            return;
        }
        waits.afterStep(thread);
    }

    private void advance(Duration untilNext) {
        long target = clock.monoNanos() + untilNext.toNanos();
        if (target > timeLimitNanos || target < 0) {
            fail(
                    SimulationOutcome.TIME_LIMIT,
                    "the next timer is due at " + Durations.format(Duration.ofNanos(target))
                            + ", past the time limit of " + Durations.format(Duration.ofNanos(timeLimitNanos))
                            + ": the scenario waits for something that never happens, or needs withTimeLimit"
                            + waitingSuffix(),
                    null);
            return;
        }
        if (!untilNext.isZero()) {
            journal.add("clock", "advances to " + Durations.format(Duration.ofNanos(target)));
        }
        progress++;
        lastRun = null;
        clock.advanceToNextTimer();
    }

    private String waitingSuffix() {
        String waiting = describeBlocked();
        return waiting.isEmpty() ? "" : ". Waiting then:\n" + waiting;
    }

    /**
     * Nothing is ready and no timer is pending. Either the run is deadlocked or a simulated thread
     * waits on something outside it; wait the blocking bound for the latter to show itself.
     */
    private void awaitForeignWakeUp() {
        waitingForForeignWakeUp = true;
        try {
            long deadline = System.nanoTime() + boundNanos;
            while (verdict.get() == null && inbox.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    fail(
                            SimulationOutcome.DEADLOCK,
                            "nothing can run and no timer is pending, so nothing ever will:\n" + describeBlocked(),
                            null);
                    return;
                }
                LockSupport.parkNanos(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
            }
        } finally {
            waitingForForeignWakeUp = false;
        }
    }

    /**
     * Called periodically by the thread waiting for the run: fails it if a simulated thread (or a
     * timer task) has held the loop for longer than the blocking bound, and interrupts that
     * thread. A loop that calls nothing of the simulation and ignores interrupts cannot be
     * stopped by any Java code: it keeps the loop's thread until it ends.
     *
     * @return true if the run is stuck and was failed
     */
    public boolean checkProgress() {
        long now = System.nanoTime();
        long current = progress;
        if (current != lastProgress || waitingForForeignWakeUp || verdict.get() != null) {
            lastProgress = current;
            lastProgressAt = now;
            return false;
        }
        if (now - lastProgressAt < boundNanos) {
            return false;
        }
        SimThread stuck = mounted;
        String who = stuck == null ? "a clock timer task" : "'" + stuck.name + "'";
        String stack = stuck == null ? stackOf(loopThread) : stackOf(stuck.thread);
        fail(
                SimulationOutcome.NONDETERMINISM,
                who + " kept control for more than " + Durations.format(Duration.ofNanos(boundNanos))
                        + " of real time without handing it back: blocked on something the simulation does not control"
                        + " (a pinned wait, a foreign lock, blocking native I/O) or busy in a loop. It was at:\n"
                        + stack,
                null);
        if (stuck != null) {
            // A loop that sends, logs, reads the clock or checks its interrupt stops now.
            stuck.thread.interrupt();
        }
        return true;
    }

    /** The simulated threads that are alive, each with what or where it waits. */
    String describeBlocked() {
        StringBuilder out = new StringBuilder();
        List<SimThread> threads;
        synchronized (created) {
            threads = List.copyOf(created);
        }
        for (SimThread thread : threads) {
            if (thread.thread.getState() != Thread.State.TERMINATED) {
                out.append("  '").append(thread.name).append("' waits");
                if (thread.waiting != null) {
                    out.append(" for ").append(Waits.describeTarget(thread.waiting));
                }
                out.append(" at:\n").append(stackOf(thread.thread));
            }
        }
        return out.toString();
    }

    private static String stackOf(Thread thread) {
        StringBuilder out = new StringBuilder();
        StackTraceElement[] frames = thread == null ? new StackTraceElement[0] : thread.getStackTrace();
        // Skip the JDK's parking machinery but keep the JDK call that waits (join, await, sleep),
        // then show where user and library code wait.
        int first = 0;
        while (first < frames.length && isJdk(frames[first]) && first + 1 < frames.length && isJdk(frames[first + 1])) {
            first++;
        }
        for (int i = first; i < Math.min(frames.length, first + 8); i++) {
            out.append("      at ").append(frames[i]).append('\n');
        }
        return out.toString();
    }

    private static boolean isJdk(StackTraceElement frame) {
        String cls = frame.getClassName();
        return cls.startsWith("java.") || cls.startsWith("jdk.") || cls.startsWith("sun.");
    }

    public long steps() {
        return steps;
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}

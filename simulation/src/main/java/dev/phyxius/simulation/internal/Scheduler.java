package dev.phyxius.simulation.internal;

import dev.phyxius.testing.ControlledClock;
import dev.phyxius.simulation.SimulationOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
 * submissions arrive in an order fixed by the run so far. The loop then picks the next
 * continuation from the ready ones with a {@link SplittableRandom} seeded by the run's seed. When
 * none is ready it advances the {@link ControlledClock} to its next timer, whose tasks may make
 * threads ready; when no timer is pending either, the run is stuck.
 *
 * <p><b>What breaks determinism, and how it is caught.</b> A submission from any other thread
 * (the JDK's timer for {@code Thread.sleep} or timed parks, an I/O poller, a foreign executor)
 * fails the run as {@link SimulationOutcome#NONDETERMINISM}, naming the woken thread. A
 * continuation that does not return for the blocking bound (pinned in native code, blocked in a
 * foreign lock, spinning) is caught by {@link #checkProgress}, called by the thread that waits
 * for the run.
 */
public final class Scheduler implements Executor {

    /** A simulated thread: the name the log uses, and the thread for stack traces. */
    record SimThread(String name, Thread thread) {}

    /** How the run ended, and why. */
    public record Verdict(SimulationOutcome outcome, String reason, Throwable cause) {}

    private final ControlledClock clock;
    private final Journal journal;
    private final SplittableRandom random;
    private final long maxSteps;
    private final long timeLimitNanos;
    private final long boundNanos;

    /** Submissions, in arrival order; drained by the loop into {@link #ready}. */
    private final ConcurrentLinkedQueue<Runnable> inbox = new ConcurrentLinkedQueue<>();
    /** Continuations that may run; loop thread only. */
    private final List<Runnable> ready = new ArrayList<>();
    private final Map<Runnable, SimThread> byContinuation = new ConcurrentHashMap<>();
    private final Set<Thread> simulated = ConcurrentHashMap.newKeySet();
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

    // Watchdog state: only the waiting thread touches it.
    private long lastProgress = -1;
    private long lastProgressAt;

    public Scheduler(ControlledClock clock, Journal journal, long seed, long maxSteps, Duration timeLimit,
                     Duration blockingBound) {
        VirtualThreadSeam.check();
        this.clock = clock;
        this.journal = journal;
        this.random = new SplittableRandom(seed);
        this.maxSteps = maxSteps;
        this.timeLimitNanos = timeLimit.toNanos();
        this.boundNanos = blockingBound.toNanos();
    }

    /** A new unstarted simulated virtual thread. */
    public Thread newThread(String name, Runnable task) {
        Thread thread = VirtualThreadSeam.builder(this).name(name).unstarted(task);
        SimThread simThread = new SimThread(name, thread);
        byContinuation.put(VirtualThreadSeam.continuationOf(thread), simThread);
        simulated.add(thread);
        synchronized (created) {
            created.add(simThread);
        }
        return thread;
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
        if (current != loopThread && !simulated.contains(current)) {
            SimThread woken = byContinuation.get(continuation);
            fail(SimulationOutcome.NONDETERMINISM, "'" + (woken == null ? "an unknown thread" : woken.name())
                    + "' was woken by thread '" + current.getName() + "', which the simulation does not control:"
                    + " it waited on real time (Thread.sleep, a timed wait or park), real I/O, or a thread or"
                    + " executor outside the simulation. Wait on the simulation's clock (sim.sleep, tools.schedule,"
                    + " ask timeouts) or on simulated processes instead.", null);
            return;
        }
        inbox.add(continuation);
    }

    /** Ends the run with this verdict unless it already has one; wakes the loop. */
    public void fail(SimulationOutcome outcome, String reason, Throwable cause) {
        if (verdict.compareAndSet(null, new Verdict(outcome, reason, cause))) {
            if (outcome != SimulationOutcome.PASSED) {
                journal.add("simulation", outcome + ": " + firstLine(reason));
            }
        }
        Thread loop = loopThread;
        if (loop != null) {
            LockSupport.unpark(loop);
        }
    }

    /** Records the scenario's end: passed, or failed with what it threw. */
    public void scenarioEnded(Throwable failure) {
        if (failure == null) {
            fail(SimulationOutcome.PASSED, "the scenario returned", null);
        } else {
            fail(SimulationOutcome.FAILED, "the scenario threw " + failure, failure);
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
                }
                if (!ready.isEmpty()) {
                    step();
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
        // The only draw that shapes the interleaving: which ready thread goes next.
        Runnable next = ready.remove(ready.size() == 1 ? 0 : random.nextInt(ready.size()));
        if (++steps > maxSteps) {
            fail(SimulationOutcome.STEP_LIMIT, "more than " + maxSteps + " scheduling steps: a livelock, or a"
                    + " scenario that needs withMaxSteps", null);
            return;
        }
        SimThread thread = byContinuation.get(next);
        String name = thread == null ? "?" : thread.name();
        journal.add(name, "runs");
        mounted = thread;
        progress++;
        next.run();
        mounted = null;
        if (thread != null && thread.thread().getState() == Thread.State.TIMED_WAITING) {
            // Simulated waits (the clock's sleep, replies, locks) park without a timeout, so a
            // timed park waits on real time; its wake-up would come from the JDK's timer thread.
            fail(SimulationOutcome.NONDETERMINISM, "'" + name + "' waits with a real-time timeout (Thread.sleep,"
                    + " a timed get, await, join or park), which the simulation does not control. Wait on the"
                    + " simulation's clock (sim.sleep, tools.clock().sleep, tools.schedule, ask timeouts) instead."
                    + " It waits at:\n" + stackOf(thread.thread()), null);
        }
    }

    private void advance(Duration untilNext) {
        long target = clock.monoNanos() + untilNext.toNanos();
        if (target > timeLimitNanos || target < 0) {
            fail(SimulationOutcome.TIME_LIMIT, "the next timer is due at " + Duration.ofNanos(target)
                    + ", past the time limit of " + Duration.ofNanos(timeLimitNanos)
                    + ": the scenario waits for something that never happens, or needs withTimeLimit", null);
            return;
        }
        if (!untilNext.isZero()) {
            journal.add("clock", "advances to " + EventFormat.value("at", Duration.ofNanos(target)));
        }
        progress++;
        clock.advanceToNextTimer();
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
                    fail(SimulationOutcome.DEADLOCK, "nothing can run and no timer is pending, so nothing ever will:\n"
                            + describeBlocked(), null);
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
     * timer task) has held the loop for longer than the blocking bound.
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
        String who = stuck == null ? "a clock timer task" : "'" + stuck.name() + "'";
        String stack = stuck == null ? stackOf(loopThread) : stackOf(stuck.thread());
        fail(SimulationOutcome.NONDETERMINISM, who + " kept control for more than " + Duration.ofNanos(boundNanos)
                + " of real time without handing it back: blocked on something the simulation does not control"
                + " (a pinned wait, a foreign lock, blocking native I/O) or busy in a loop. It was at:\n" + stack, null);
        if (stuck != null) {
            stuck.thread().interrupt();
        }
        return true;
    }

    /** The simulated threads that are alive, each with where it waits. */
    String describeBlocked() {
        StringBuilder out = new StringBuilder();
        List<SimThread> threads;
        synchronized (created) {
            threads = List.copyOf(created);
        }
        for (SimThread thread : threads) {
            if (thread.thread().getState() != Thread.State.TERMINATED) {
                out.append("  '").append(thread.name()).append("' waits at:\n").append(stackOf(thread.thread()));
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

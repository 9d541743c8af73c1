package dev.phyxius.process.internal;

import dev.phyxius.clock.Cancellable;
import dev.phyxius.clock.Clock;
import dev.phyxius.clock.EventSink;
import dev.phyxius.process.MailboxPolicy;
import dev.phyxius.process.MessageRejectedException;
import dev.phyxius.process.ProcessEvent;
import dev.phyxius.process.ProcessEvent.DropReason;
import dev.phyxius.process.ProcessEvent.RejectReason;
import dev.phyxius.process.ProcessId;
import dev.phyxius.process.ProcessInstrumentation;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.ProcessStatus;
import dev.phyxius.process.ProcessTerminatedException;
import dev.phyxius.process.Reply;
import dev.phyxius.process.SpawnException;
import dev.phyxius.process.SpawnOptions;
import dev.phyxius.process.StopReason;
import dev.phyxius.process.spi.SupervisedProcess;
import dev.phyxius.process.spi.SupervisionHook;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * A process: a bounded multi-producer single-consumer mailbox plus a drain that runs on a virtual
 * thread only while there is work.
 *
 * <p><b>The state word.</b> One {@code long} holds the number of messages ever accepted (above
 * two flag bits) and two flags: {@code SCHEDULED} (someone owns the consumer role: a drain thread
 * runs, or the process is suspended waiting for its supervisor) and {@code CLOSED} (sends are
 * refused). A send reserves its place with one CAS that also sets {@code SCHEDULED}; the sender
 * that flipped it from clear starts the drain. The drain counts what it dequeued in
 * {@code consumed}, so the mailbox is empty exactly when the two counts are equal. Keeping count and
 * flag in one word means a drain can only give up the consumer role when nothing is left, so no
 * wake-up is ever lost, and a close makes the count final, so a stop knows exactly how many accepted
 * messages it must report. Lifecycle requests are flagged separately in {@code controlPending}.
 *
 * <p><b>The queue.</b> An intrusive Vyukov MPSC linked queue: producers swap the tail and link the
 * previous node; the consumer follows {@code head.next}. A sender reserves (CAS on the state)
 * before it links, so the consumer may briefly see a count above zero and no linked node; it spins
 * for that short window. Under {@link MailboxPolicy#DROP_OLDEST} a sender must evict, which the
 * single-consumer queue cannot allow concurrently, so that policy serializes sends and dequeues on
 * this object's monitor.
 *
 * <p><b>The drain.</b> A send that claims the consumer role starts a virtual thread that drains
 * until the mailbox is empty. A busy drain yields its carrier once per time slice (checked every
 * {@code BATCH} messages). An empty drain spins briefly on the state word before it releases the
 * role: a partner on another carrier (ping-pong, a reply, an asker's next request) usually answers
 * within microseconds, and that answer then finds this process still scheduled, so no new thread
 * starts. The spin is bounded in time and adapts per process: it doubles when the next wake-up
 * came soon after the release (the spin just missed it) and halves when it came late, down to no
 * spin at all, so a new process, or one whose senders are far apart (one sender feeding a thousand
 * processes in turn), does not spin. Nor does a process on a custom thread factory, where a spin
 * cannot be known to pay, or on a single carrier, where its partner cannot run meanwhile; there
 * the drain yields once instead, which runs a process it just woke on that carrier. With several
 * carriers lingering by yielding was measured and rejected: a yield can move the drain next to
 * its partner on one carrier, where neither can answer the other until it gives up. Figures:
 * {@code benchmarks/README.md}, "What we tried".
 *
 * <p><b>Lifecycle.</b> Requests (stop, suspend, restart, terminate) are recorded under this
 * object's monitor and flagged in {@code controlPending}; only the consumer-role owner acts on
 * them, so the user's state, {@code init}, the handler and {@code onStop} are only ever touched by
 * one thread at a time, and each drain start happens-after the previous drain's release of the
 * role.
 */
public final class ProcessCore<M, S, C> extends ProducerFields implements ProcessRef<M>, Runnable {

    /** Messages handled between two reads of the clock that decides whether to yield. */
    private static final int BATCH = 64;
    /**
     * Longest time a busy drain keeps its carrier before yielding to other virtual threads. A yield
     * costs about a microsecond (unmount, resubmit, remount), so yielding every {@link #BATCH}
     * messages cost a third of a 1-to-1 tell; a time slice keeps the fairness for a fraction of it.
     */
    private static final long SLICE_NANOS = Long.getLong("phyxius.slice.micros", 100L) * 1_000L;
    /**
     * Bounds of an empty drain's adaptive spin before it releases its thread, in nanoseconds. The
     * floor keeps a process able to learn that spinning pays; the ceiling bounds the carrier time
     * one idle moment can cost the virtual threads queued behind it.
     */
    private static final int SPIN_MIN_NANOS = Integer.getInteger("phyxius.spin.min.nanos", 500);
    private static final int SPIN_MAX_NANOS = Math.max(SPIN_MIN_NANOS,
            Integer.getInteger("phyxius.spin.max.nanos", 16_000));
    /**
     * A drain that starts within this many spin budgets after the previous one released (and
     * within {@link #SPIN_NEAR_FLOOR_NANOS} at least) was woken by a message a longer spin would
     * have caught: the next spin doubles. Otherwise it halves, down to no spin at all.
     */
    private static final int SPIN_NEAR_FACTOR = 8;
    private static final int SPIN_NEAR_FLOOR_NANOS = 16_000;
    /**
     * Whether the JDK's virtual-thread scheduler has more than one carrier. With one, a spinning
     * drain holds the only carrier its partner could answer on, so it never spins.
     */
    private static final boolean SEVERAL_CARRIERS = Integer.getInteger(
            "jdk.virtualThreadScheduler.parallelism", Runtime.getRuntime().availableProcessors()) > 1;
    /** {@link #spinNanos} of a process that never spins. */
    private static final int NEVER_SPINS = -1;
    private static final Duration DEFAULT_ASK_TIMEOUT = Duration.ofSeconds(5);

    /** Lives, guarded by this object's monitor. */
    private static final int LIVE = 0;
    private static final int SUSPENDED = 1;
    private static final int RESTARTING = 2;
    private static final int TERMINATING = 3;
    private static final int TERMINATED = 4;

    private static final VarHandle CONSUMED;
    private static final VarHandle EXTRAS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            CONSUMED = lookup.findVarHandle(ProcessCore.class, "consumed", long.class);
            EXTRAS = lookup.findVarHandle(ProcessCore.class, "extras", Extras.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ProcessSpec<M, S, C> spec;
    private final String name;
    private final C context;
    private final Duration shutdownTimeout;
    /** Makes drain threads; null for the default, a new virtual thread per activation. */
    private final ThreadFactory threadFactory;
    /** Whether handling is timed (events or instrumentation); read by the drain on its own line. */
    private final boolean timed;
    /** Random bits behind a lazily made id: an idle process should cost only its objects. */
    private final long idBits;
    private ProcessId id;

    // Consumer-owned: written by the drain only.
    private Node head;
    /** Messages dequeued so far; release-stored so a sender that reads it sees a true lower bound. */
    private long consumed;
    /** The produced count the drain last read, so it reads the senders' line once per batch. */
    private long producedSnapshot;
    /** A lifecycle request waits for the drain; set under the monitor before claiming the role. */
    private volatile boolean controlPending;

    private volatile ProcessStatus status = ProcessStatus.STARTING;
    /** Consumer-owned: the user's state and whether it is alive (needs an {@code onStop}). */
    private S userState;
    private boolean alive;
    private ProcessTools<M> tools;
    /** The drain thread while one runs; lets a handler's self-ask and self-stop be recognised. */
    private volatile Thread drainThread;
    /** Rarely needed fields, made on first need so that an idle process stays small. */
    private volatile Extras extras;

    // Guarded by this object's monitor.
    private int life = LIVE;
    private SupervisionHook hook;
    /**
     * Current spin budget of an empty drain: 0 (a new process, or one whose messages come far
     * apart, does not spin), within the bounds above, or {@link #NEVER_SPINS}. Drain only.
     */
    private int spinNanos;
    /**
     * {@link System#nanoTime()} of the last release of the consumer role, in units of 1,024 ns and
     * truncated to an int (it wraps after about an hour; only short differences are compared), so
     * that an idle process stays small; 0 until the first release. Drain only.
     */
    private int releasedAt;

    private ProcessCore(ProcessSpec<M, S, C> spec, SpawnOptions<C> options, Node stub) {
        super(spec.maxInbox(), spec.mailboxPolicy() == MailboxPolicy.DROP_OLDEST, options.clock(),
                options.events().orElse(null), options.instrumentation().orElse(null), stub);
        this.spec = spec;
        this.name = spec.name();
        this.context = options.context().orElse(null);
        this.shutdownTimeout = options.shutdownTimeout();
        this.timed = sink != null || instrumentation != null;
        this.threadFactory = options.threadFactory().orElse(null);
        this.id = options.id().orElse(null);
        this.idBits = id == null ? ThreadLocalRandom.current().nextLong() : 0L;
        this.head = stub;
        // A custom thread factory may run drains anywhere (one carrier, platform threads, the
        // simulation's scheduler), where a spin cannot be known to pay.
        this.spinNanos = SEVERAL_CARRIERS && threadFactory == null ? 0 : NEVER_SPINS;
    }

    /**
     * Constructs a process, runs its {@code init} on the calling thread, and returns it running.
     *
     * @throws SpawnException if {@code init} throws
     */
    public static <M, S, C> ProcessCore<M, S, C> spawn(ProcessSpec<M, S, C> spec, SpawnOptions<C> options,
                                                       SupervisionHook hook) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(options, "options");
        validate(spec);
        ProcessCore<M, S, C> core = new ProcessCore<>(spec, options, new Node(null));
        core.hook = hook;
        try {
            core.userState = spec.init(core.context);
        } catch (Throwable t) {
            core.status = ProcessStatus.FAILED;
            core.life = TERMINATED;
            STATE.getAndBitwiseOr(core, CLOSED | SCHEDULED);
            core.emitFailed(t);
            core.extras().termination.complete(StopReason.error(t));
            throw new SpawnException("init of process '" + core.name + "' (" + core.id() + ") failed: " + t, t);
        }
        core.alive = true;
        core.status = ProcessStatus.RUNNING;
        // Publishes the initial state: a sender's CAS on the state word acquires this release,
        // and the drain thread it starts happens-after that CAS.
        STATE.setRelease(core, 0L);
        if (core.instrumentation != null) {
            try {
                core.instrumentation.attached(core);
            } catch (Throwable ignored) {
                // documented not to throw; a broken hook must not break the spawn
            }
        }
        if (core.sink != null) {
            core.emit(new ProcessEvent.Started(core.clock.now(), core.id(), core.name));
        }
        return core;
    }

    private static void validate(ProcessSpec<?, ?, ?> spec) {
        String name = spec.name();
        Objects.requireNonNull(name, "spec.name()");
        if (name.isBlank()) {
            throw new IllegalArgumentException("spec.name() must not be blank");
        }
        if (spec.maxInbox() < 1) {
            throw new IllegalArgumentException("spec.maxInbox() must be >= 1, was " + spec.maxInbox()
                    + " (process '" + name + "')");
        }
        Objects.requireNonNull(spec.mailboxPolicy(), "spec.mailboxPolicy()");
    }

    // ---------------------------------------------------------------------------------------
    // ProcessRef

    @Override
    public ProcessId id() {
        ProcessId current = id;
        if (current == null) {
            // Benign race: every thread derives the same value from the same bits.
            current = new ProcessId(HexFormat.of().toHexDigits(idBits));
            id = current;
        }
        return current;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ProcessStatus status() {
        return status;
    }

    @Override
    public int mailboxSize() {
        // Two racy reads: consumed first, so the difference is never below the true size at the
        // moment produced was read, and never negative.
        long consumedSoFar = (long) CONSUMED.getAcquire(this);
        long produced = ((long) STATE.getVolatile(this)) >>> COUNT_SHIFT;
        return (int) Math.min(Integer.MAX_VALUE, Math.max(0L, produced - consumedSoFar));
    }

    @Override
    public boolean send(M message) {
        Objects.requireNonNull(message, "message");
        return offer(message, null, null);
    }

    @Override
    public boolean send(M message, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(timeout, "timeout");
        int outcome = tryOffer(message, null, null);
        if (outcome == FULL) {
            releaseHandOff(); // about to wait: whatever this handler woke must not wait with it
            outcome = awaitRoom(message, timeout);
        }
        return accepted(outcome, message);
    }

    @Override
    public <R> CompletableFuture<R> ask(Function<Reply<R>, ? extends M> request) {
        return ask(request, DEFAULT_ASK_TIMEOUT);
    }

    @Override
    public <R> CompletableFuture<R> ask(Function<Reply<R>, ? extends M> request, Duration timeout) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(timeout, "timeout");
        AskReply<R> reply = new AskReply<>(this);
        if (onOwnThread()) {
            reply.completeExceptionally(new IllegalStateException("process '" + name + "' (" + id()
                    + ") asked itself from its own handler; it cannot answer while its handler waits. "
                    + "Send a message to tools.self() and answer from that message's handler instead."));
            return reply;
        }
        M message = Objects.requireNonNull(request.apply(reply), "request must build a non-null message");
        int outcome = tryOffer(message, reply, null);
        if (outcome != ACCEPTED) {
            accepted(outcome, message);
            reply.completeExceptionally(new MessageRejectedException("process '" + name + "' (" + id()
                    + ") did not accept the ask: " + (outcome == FULL ? "mailbox full" : "not accepting"),
                    outcome == FULL ? RejectReason.MAILBOX_FULL : RejectReason.NOT_ACCEPTING));
            return reply;
        }
        reply.armTimeout(clock, timeout);
        // An asking handler usually waits for the answer next: the process that gives it must not
        // wait in this thread's hand-off slot until the monitor frees it.
        releaseHandOff();
        return reply;
    }

    @Override
    public CompletableFuture<Void> stop() {
        return stop(StopReason.NORMAL);
    }

    @Override
    public CompletableFuture<Void> stop(StopReason reason) {
        Objects.requireNonNull(reason, "reason");
        Extras x = extras();
        boolean startDrain = false;
        boolean armTimeout = false;
        synchronized (this) {
            if (life == TERMINATED || life == TERMINATING || x.stopReason != null) {
                return x.stopped;
            }
            if (hook != null && onOwnThread()) {
                // A supervised handler stopping its own process ends this life only; the
                // supervisor decides (by child kind) whether it starts again.
                if (x.selfStop == null) {
                    x.selfStop = reason;
                    controlPending = true;
                }
                return x.stopped;
            }
            x.stopReason = reason;
            status = ProcessStatus.STOPPING;
            controlPending = true;
            long previous = (long) STATE.getAndBitwiseOr(this, CLOSED | SCHEDULED);
            if (life == SUSPENDED) {
                life = TERMINATING;
                startDrain = true;
            } else if ((previous & SCHEDULED) == 0) {
                startDrain = true;
            } else {
                // A handler stopping its own process cannot be stuck waiting for itself.
                armTimeout = !onOwnThread();
            }
        }
        if (armTimeout) {
            Cancellable timer = clock.schedule(shutdownTimeout, this::shutdownTimedOut);
            synchronized (this) {
                if (life == TERMINATED) {
                    timer.cancel(); // the stop finished before its timer existed
                } else {
                    x.shutdownTimer = timer;
                }
            }
        }
        if (startDrain) {
            startThread();
        }
        return x.stopped;
    }

    @Override
    public CompletableFuture<StopReason> termination() {
        return extras().termination;
    }

    @Override
    public String toString() {
        return "Process[" + name + ", " + id() + ", " + status + "]";
    }

    // ---------------------------------------------------------------------------------------
    // Sending

    private static final int ACCEPTED = 0;
    private static final int FULL = 1;
    private static final int NOT_ACCEPTING = 2;

    /** Offers and reports a refusal; true if accepted. */
    boolean offer(Object message, AskReply<?> reply, TimerEntry timer) {
        return accepted(tryOffer(message, reply, timer), message);
    }

    private boolean accepted(int outcome, Object message) {
        if (outcome == ACCEPTED) {
            return true;
        }
        if (sink != null) {
            emit(new ProcessEvent.MessageRejected(clock.now(), id(), name, message,
                    outcome == FULL ? RejectReason.MAILBOX_FULL : RejectReason.NOT_ACCEPTING));
        }
        return false;
    }

    private int tryOffer(Object message, AskReply<?> reply, TimerEntry timer) {
        if (dropOldest) {
            return offerEvicting(message, reply, timer);
        }
        // The node is made (and an instrumentation's capture runs) before the place is reserved:
        // the drain spins on a reserved place until it is linked, so nothing slow may run between
        // the two; and capture then sees the send before it takes effect (a simulation's
        // scheduling point).
        Node node = newNode(message, reply, timer);
        long s = (long) STATE.getVolatile(this);
        for (;;) {
            if ((s & CLOSED) != 0) {
                return NOT_ACCEPTING;
            }
            long produced = s >>> COUNT_SHIFT;
            if (produced >= producerLimit) {
                // Only near capacity does a sender read the drain's counter (JCTools' producer
                // limit): consumed only grows, so a fresh read gives the true room at that moment.
                long limit = (long) CONSUMED.getAcquire(this) + maxInbox;
                producerLimit = limit;
                if (produced >= limit) {
                    return FULL;
                }
            }
            // Reserve a place and claim the consumer role in one step.
            long witness = (long) STATE.compareAndExchange(this, s, (s + ONE) | SCHEDULED);
            if (witness == s) {
                break;
            }
            s = witness;
        }
        link(node);
        if ((s & SCHEDULED) == 0) {
            wake();
        }
        return ACCEPTED;
    }

    /** DROP_OLDEST: sends and dequeues are serialized on the monitor so a sender may evict. */
    private int offerEvicting(Object message, AskReply<?> reply, TimerEntry timer) {
        Node node = newNode(message, reply, timer);
        Node evicted = null;
        boolean start = false;
        synchronized (this) {
            long s = (long) STATE.getVolatile(this);
            if ((s & CLOSED) != 0) {
                return NOT_ACCEPTING;
            }
            if ((s >>> COUNT_SHIFT) - consumed >= maxInbox) {
                // Under the monitor every reserved node is linked, so there is one to evict; it
                // counts as consumed, which keeps the count at the capacity.
                evicted = pollLinked();
                CONSUMED.setRelease(this, consumed + 1);
            }
            long previous = (long) STATE.getAndAdd(this, ONE);
            if ((previous & SCHEDULED) == 0) {
                STATE.getAndBitwiseOr(this, SCHEDULED);
                start = true;
            }
            link(node);
        }
        if (evicted != null) {
            dropped(evicted, DropReason.EVICTED);
        }
        if (start) {
            wake();
        }
        return ACCEPTED;
    }

    private Node newNode(Object message, AskReply<?> reply, TimerEntry timer) {
        ProcessInstrumentation instr = instrumentation;
        if (reply == null && timer == null && instr == null && sink == null) {
            return new Node(message);
        }
        Object captured = null;
        if (instr != null) {
            try {
                captured = instr.capture(this, message);
            } catch (Throwable ignored) {
                // Instrumentation must never break a send; it is documented not to throw.
            }
        }
        long enqueued = (sink != null || instr != null) ? clock.monoNanos() : 0L;
        return new RichNode(message, reply, timer, captured, enqueued);
    }

    private void link(Node node) {
        // The swap orders this producer among all producers; the release store of next
        // publishes the node's fields to the consumer, which reads next with acquire.
        Node previous = (Node) TAIL.getAndSet(this, node);
        previous.setNextRelease(node);
    }

    /**
     * Dequeues the next accepted message, or returns {@code null} if every accepted message has
     * been dequeued. Consumer-role owner only.
     */
    private Node poll() {
        if (dropOldest) {
            synchronized (this) {
                if (consumed == ((long) STATE.getVolatile(this)) >>> COUNT_SHIFT) {
                    return null;
                }
                Node node = pollLinked();
                CONSUMED.setRelease(this, consumed + 1);
                return node;
            }
        }
        if (consumed == producedSnapshot) {
            producedSnapshot = ((long) STATE.getAcquire(this)) >>> COUNT_SHIFT;
            if (consumed == producedSnapshot) {
                return null;
            }
        }
        Node node = pollLinked();
        // A plain store on x86: the drain pays nothing per message to tell senders about room.
        CONSUMED.setRelease(this, consumed + 1);
        return node;
    }

    private Node pollLinked() {
        Node current = head;
        Node next = current.nextAcquire();
        int spins = 0;
        while (next == null) {
            // A sender has reserved but not linked yet: it is between two instructions.
            if (++spins < 128) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
            next = current.nextAcquire();
        }
        head = next;
        return next;
    }

    private int awaitRoom(M message, Duration timeout) throws InterruptedException {
        Extras x = extras();
        long deadline = clock.monoNanos() + Math.max(0L, timeout.toNanos());
        Cancellable wakeUp = clock.schedule(timeout, x::signalRoom);
        x.roomLock.lock();
        try {
            x.roomWaiters++;
            // Pairs with the drain's fence: after this, either the drain sees a waiter and signals,
            // or our next offer sees the room it made.
            VarHandle.fullFence();
            try {
                int outcome;
                while ((outcome = tryOffer(message, null, null)) == FULL) {
                    if (clock.monoNanos() - deadline >= 0) {
                        return FULL;
                    }
                    // No real-time timeout: a dequeue, the end of the process, or the timer on the
                    // process's clock wakes us, so waiting stays deterministic on a ControlledClock.
                    x.room.await();
                }
                return outcome;
            } finally {
                x.roomWaiters--;
            }
        } finally {
            x.roomLock.unlock();
            wakeUp.cancel();
        }
    }

    // ---------------------------------------------------------------------------------------
    // Draining

    /**
     * Whether sends from a handler keep the process they wake in the drain thread's hand-off slot
     * (see {@link HandOff}); off only to measure what it buys.
     */
    private static final boolean HAND_OFF = !"false".equals(System.getProperty("phyxius.handoff"));

    /**
     * A send claimed the consumer role: start the drain. From a drain thread, the process is kept
     * in that thread's hand-off slot to run there once the current handler has returned.
     */
    private void wake() {
        if (HAND_OFF && threadFactory == null) {
            HandOff handOff = HandOff.current();
            if (handOff != null) {
                ProcessCore<?, ?, ?> displaced = handOff.keep(this);
                if (displaced != null) {
                    displaced.startThread();
                }
                return;
            }
        }
        startThread();
    }

    /** Starts the drain on a thread of its own. */
    void startThread() {
        if (threadFactory == null) {
            Thread.startVirtualThread(this);
        } else {
            threadFactory.newThread(this).start();
        }
    }

    /**
     * A drain thread: drains this process, then whatever process the last handler woke and kept
     * in the hand-off slot, and so on, on this one thread, for as long as each finds work.
     */
    @Override
    public void run() {
        if (threadFactory != null) {
            // A custom factory decides where drains run (the simulation's scheduler): no hand-off.
            drain(null, true);
            return;
        }
        HandOff handOff = HandOff.enter();
        try {
            ProcessCore<?, ?, ?> next = drain(handOff, true);
            while (next != null) {
                // An interrupt meant for the process that just finished must not reach the next.
                Thread.interrupted();
                fairness(handOff);
                next = next.drain(handOff, false);
            }
        } finally {
            handOff.exit();
        }
    }

    /**
     * Counts a step (a message, or a switch to a kept process) and, every {@link #BATCH} steps,
     * lets other virtual threads run if this thread has had its carrier for a whole slice.
     */
    private static void fairness(HandOff handOff) {
        if (++handOff.steps >= BATCH) {
            handOff.steps = 0;
            long now = System.nanoTime();
            if (now - handOff.sliceStart >= SLICE_NANOS) {
                Thread.yield();
                handOff.sliceStart = System.nanoTime();
            }
        }
    }

    /**
     * Drains this process until it has nothing left or its life ends.
     *
     * @param handOff this thread's hand-off slot, or {@code null} without one
     * @param woken   whether the process was woken from idle onto this new thread (not kept by
     *                the previous process on it): only then does its spin budget adapt
     * @return the process to run next on this thread (kept by a handler), or {@code null}
     */
    private ProcessCore<?, ?, ?> drain(HandOff handOff, boolean woken) {
        Thread current = Thread.currentThread();
        drainThread = current;
        int batch = 0;
        // CPU time slices are real time whatever the process's Clock says: a ControlledClock must
        // not be able to stop a busy drain from ever yielding its carrier. With a hand-off slot
        // the slice belongs to the thread, across the processes it runs.
        long sliceStart = handOff == null ? System.nanoTime() : 0L;
        if (woken) {
            adaptSpin(handOff == null ? sliceStart : handOff.sliceStart);
        }
        for (;;) {
            if (controlPending) {
                if (runControl()) {
                    return handOff == null ? null : handOff.take();
                }
                continue;
            }
            Node node = poll();
            if (node == null) {
                // With a woken process kept, it runs here next: no reason to spin for our own.
                if ((handOff == null || !handOff.holds()) && spinForWork()) {
                    continue;
                }
                if (release(current, handOff)) {
                    return handOff == null ? null : handOff.take();
                }
                continue;
            }
            Extras x = extras;
            if (x != null) {
                // Dekker with awaitRoom: the consumed store above must be visible before the
                // waiter count is read, or a sender that just registered could sleep on a room
                // it would have found. Only processes with extras pay for the fence.
                VarHandle.fullFence();
                if (x.roomWaiters > 0) {
                    x.signalRoom();
                }
            }
            if (handOff != null) {
                handOff.handlerStarted();
            }
            if (!handle(node)) {
                return handOff == null ? null : handOff.take();
            }
            if (handOff != null) {
                if (handOff.holds() && hasMore()) {
                    // Both have work: the kept process gets a thread of its own and they run in
                    // parallel, instead of one waiting for the other to run dry.
                    handOff.release();
                }
                fairness(handOff);
            } else if (++batch == BATCH) {
                batch = 0;
                long now = System.nanoTime();
                if (now - sliceStart >= SLICE_NANOS) {
                    // Fairness: let other processes on the same carriers progress.
                    Thread.yield();
                    sliceStart = System.nanoTime();
                }
            }
        }
    }

    /** Starts what the current drain thread keeps, if it is one: the caller is about to wait. */
    private static void releaseHandOff() {
        if (HAND_OFF) {
            HandOff handOff = HandOff.current();
            if (handOff != null) {
                handOff.release();
            }
        }
    }

    /** Whether a message waits behind the one just handled. Consumer-role owner only. */
    private boolean hasMore() {
        return consumed != producedSnapshot || (((long) STATE.getAcquire(this)) >>> COUNT_SHIFT) != consumed;
    }

    /**
     * Spins on the state word for up to the process's budget; true if a message or a lifecycle
     * request arrived meanwhile.
     */
    private boolean spinForWork() {
        if (spinNanos <= 0) {
            return false;
        }
        long start = System.nanoTime();
        for (int i = 1;; i++) {
            Thread.onSpinWait();
            if ((((long) STATE.getVolatile(this)) >>> COUNT_SHIFT) != consumed || controlPending) {
                return true;
            }
            // Reading the time costs about as much as a spin round, so only every eighth round.
            if ((i & 7) == 0 && System.nanoTime() - start >= spinNanos) {
                return false;
            }
        }
    }

    /**
     * Sets this drain's spin budget from how long the process was idle: a wake-up soon after the
     * last release means a slightly longer spin would have kept the thread; a late one means the
     * spin was wasted.
     */
    private void adaptSpin(long now) {
        int budget = spinNanos;
        if (budget == NEVER_SPINS) {
            return;
        }
        int near = Math.max(budget * SPIN_NEAR_FACTOR, SPIN_NEAR_FLOOR_NANOS);
        if (releasedAt != 0 && (int) (now >>> 10) - releasedAt < near >>> 10) {
            spinNanos = budget == 0 ? SPIN_MIN_NANOS : Math.min(SPIN_MAX_NANOS, budget << 1);
        } else {
            int half = budget >>> 1;
            spinNanos = half < SPIN_MIN_NANOS ? 0 : half;
        }
    }

    /**
     * Gives up the consumer role when nothing is left; true if this drain must end. The release is
     * a CAS on the state word, so it fails if a message was accepted meanwhile; a lifecycle request
     * that raced with it is caught by re-reading its flag and re-claiming the role.
     */
    private boolean release(Thread current, HandOff handOff) {
        long s = (long) STATE.getVolatile(this);
        if ((s >>> COUNT_SHIFT) != consumed) {
            return false;
        }
        drainThread = null;
        // Only a release that may end the thread says anything about the next wake-up: after
        // one followed by a kept process, this process is woken in a hand-off again.
        if (spinNanos != NEVER_SPINS && (handOff == null || !handOff.holds())) {
            // Written before the role is released, so the next drain, which acquires it, sees it.
            releasedAt = (int) (System.nanoTime() >>> 10);
        }
        if (!STATE.compareAndSet(this, s, s & ~SCHEDULED)) {
            drainThread = current;
            return false;
        }
        if (!controlPending) {
            return true;
        }
        long previous = (long) STATE.getAndBitwiseOr(this, SCHEDULED);
        if ((previous & SCHEDULED) != 0) {
            return true; // another drain owns the role and will see the request
        }
        drainThread = current;
        return false;
    }

    /** Handles one message; false if the handler failed and this drain must end. */
    private boolean handle(Node node) {
        Object message = node.takeMessage();
        AskReply<?> reply = null;
        Object captured = null;
        long enqueued = 0L;
        if (node instanceof RichNode rich) {
            TimerEntry timer = rich.timer;
            if (timer != null && !timer.deliver(rich)) {
                dropped(message, null, DropReason.SUPERSEDED);
                return true;
            }
            reply = rich.reply;
            captured = rich.captured;
            enqueued = rich.enqueuedNanos;
        }
        ProcessInstrumentation instr = timed ? instrumentation : null;
        long started = timed ? clock.monoNanos() : 0L;
        Object scope = instr == null ? null : beforeHandle(instr, message, captured, started - enqueued);
        S next;
        try {
            @SuppressWarnings("unchecked")
            M typed = (M) message;
            next = spec.handle(userState, typed, tools());
        } catch (Throwable error) {
            if (instr != null) {
                afterHandle(instr, scope, error, clock.monoNanos() - started);
            }
            // An interrupt we sent to end a stuck handler must not leak into the next life.
            Thread.interrupted();
            return handlerFailed(message, reply, error);
        }
        if (next != null) {
            userState = next;
        }
        if (timed) {
            long finished = clock.monoNanos();
            if (instr != null) {
                afterHandle(instr, scope, null, finished - started);
            }
            if (sink != null) {
                emit(new ProcessEvent.MessageHandled(clock.now(), id(), name, message.getClass(),
                        Duration.ofNanos(Math.max(0L, started - enqueued)), Duration.ofNanos(finished - started)));
            }
        }
        if (reply != null && !reply.isDone()) {
            extras().outstanding(reply);
        }
        // A handler's interrupt status belongs to that message only.
        Thread.interrupted();
        return true;
    }

    private Object beforeHandle(ProcessInstrumentation instr, Object message, Object captured, long queued) {
        try {
            return instr.beforeHandle(this, message, captured, queued);
        } catch (Throwable ignored) {
            return null; // documented not to throw; a broken hook must not break the process
        }
    }

    private void afterHandle(ProcessInstrumentation instr, Object scope, Throwable error, long handling) {
        try {
            instr.afterHandle(scope, error, handling);
        } catch (Throwable ignored) {
            // documented not to throw; a broken hook must not break the process
        }
    }

    private ProcessTools<M> tools() {
        ProcessTools<M> t = tools;
        if (t == null) {
            t = new ProcessTools<>(this);
            tools = t;
        }
        return t;
    }

    // ---------------------------------------------------------------------------------------
    // Lifecycle (consumer-role owner only, unless noted)

    /** Acts on pending lifecycle requests; true if this drain must end. */
    private boolean runControl() {
        StopReason stop;
        StopReason selfStop;
        boolean restart;
        StopReason suspend;
        Extras x = extras();
        synchronized (this) {
            controlPending = false;
            stop = x.stopReason;
            selfStop = x.selfStop;
            x.selfStop = null;
            restart = x.restartRequested;
            x.restartRequested = false;
            suspend = x.suspendReason;
            x.suspendReason = null;
        }
        if (stop != null) {
            // A supervisor giving up ends the process FAILED; its failure was reported when it happened.
            finish(stop, x.terminateAsFailure ? ProcessStatus.FAILED : ProcessStatus.STOPPED, false);
            return true;
        }
        // Requests are taken together, so each must be acted on here: a suspend that arrived while
        // a restart was pending still applies to the new life.
        if (restart && !startLife()) {
            return true; // init failed: suspended again, which also satisfies a pending suspend
        }
        if (suspend != null) {
            endLife(suspend);
            suspendAfter(suspend, false);
            return true;
        }
        if (selfStop != null) {
            endLife(selfStop);
            suspendAfter(selfStop, true);
            return true;
        }
        return false;
    }

    /** Runs {@code init} for a new life; false if it failed and the process is suspended again. */
    private boolean startLife() {
        status = ProcessStatus.STARTING;
        try {
            userState = spec.init(context);
        } catch (Throwable error) {
            Thread.interrupted();
            userState = null;
            status = ProcessStatus.FAILED;
            emitFailed(error);
            suspendAfter(StopReason.error(error), true);
            return false;
        }
        alive = true;
        synchronized (this) {
            if (life == RESTARTING) {
                life = LIVE;
            }
            if (extras().stopReason == null) {
                status = ProcessStatus.RUNNING;
            }
        }
        if (sink != null) {
            emit(new ProcessEvent.Restarted(clock.now(), id(), name));
        }
        return true;
    }

    /** Ends the current life: timers cancelled, {@code onStop} once, state released. */
    private void endLife(StopReason reason) {
        if (tools != null) {
            tools.cancelAll();
        }
        if (!alive) {
            return;
        }
        alive = false;
        S last = userState;
        userState = null;
        try {
            spec.onStop(last, reason, context);
        } catch (Throwable error) {
            Thread.interrupted();
            if (sink != null) {
                emit(new ProcessEvent.CleanupFailed(clock.now(), id(), name, error));
            }
        }
    }

    private boolean handlerFailed(Object message, AskReply<?> reply, Throwable error) {
        dropped(message, null, DropReason.HANDLER_FAILED);
        if (reply != null) {
            reply.fail(error);
        }
        Extras x = extras;
        StopReason requestedStop = x == null ? null : x.stopReason;
        StopReason reason = StopReason.error(error);
        endLife(reason);
        if (requestedStop != null) {
            // A stop was already under way: the failure is reported, the stop completes.
            emitFailed(error);
            finish(requestedStop, x.terminateAsFailure ? ProcessStatus.FAILED : ProcessStatus.STOPPED, false);
            return false;
        }
        SupervisionHook supervisor;
        synchronized (this) {
            supervisor = hook;
            if (supervisor == null) {
                STATE.getAndBitwiseOr(this, CLOSED);
                life = TERMINATING;
            }
        }
        if (supervisor == null) {
            finish(reason, ProcessStatus.FAILED, true);
            return false;
        }
        status = ProcessStatus.FAILED;
        emitFailed(error);
        suspendAfter(reason, true);
        return false;
    }

    /**
     * Parks the process in the suspended state, keeping the consumer role, and tells whoever waits:
     * the supervisor (when the life ended on its own) and then any suspend request.
     */
    private void suspendAfter(StopReason reason, boolean tellSupervisor) {
        Extras x = extras();
        SupervisionHook supervisor;
        StopReason pendingStop;
        CompletableFuture<Void> suspended = null;
        Cancellable suspendTimer = null;
        boolean telling = false;
        synchronized (this) {
            // Under the monitor, where interruptStuckHandler reads it (see there).
            drainThread = null;
            supervisor = hook;
            pendingStop = x.stopReason;
            if (pendingStop == null) {
                life = SUSPENDED;
                // Requests made of the life that just ended are satisfied by its end. Left behind,
                // a suspend or a self-stop would end the next life as soon as it started.
                x.suspendReason = null;
                x.selfStop = null;
                controlPending = false;
                suspended = x.takeSuspendWaiter();
                suspendTimer = x.takeSuspendTimer();
                // Not at rest until the supervisor has heard and the suspension's waiter has run:
                // a decision in flight is work that neither the mailbox nor the clock shows yet.
                telling = (tellSupervisor && supervisor != null) || suspended != null;
                if (telling) {
                    x.tellers++;
                }
                if (status != ProcessStatus.FAILED) {
                    status = ProcessStatus.STARTING;
                }
            }
        }
        if (pendingStop != null) {
            finish(pendingStop, x.terminateAsFailure ? ProcessStatus.FAILED : ProcessStatus.STOPPED, false);
            return;
        }
        if (suspendTimer != null) {
            suspendTimer.cancel();
        }
        try {
            if (tellSupervisor && supervisor != null) {
                // Before the waiter: a supervisor whose round is suspending this process must hear
                // that the life failed while the round still covers it, or the round's restart
                // (which may run on this thread, inside complete) would make it look like a new
                // failure of a running child.
                try {
                    supervisor.ended(control(), reason);
                } catch (Throwable ignored) {
                    // A supervisor hook is documented not to throw; a broken one must not break us.
                }
            }
            if (suspended != null) {
                suspended.complete(null);
            }
        } finally {
            if (telling) {
                synchronized (this) {
                    x.tellers--;
                }
            }
        }
    }

    /** Ends the process for good. Owner of the consumer role only. */
    private void finish(StopReason reason, ProcessStatus finalStatus, boolean reportFailure) {
        Extras x = extras();
        SupervisionHook supervisor;
        synchronized (this) {
            STATE.getAndBitwiseOr(this, CLOSED | SCHEDULED);
            life = TERMINATING;
            supervisor = hook;
        }
        endLife(reason);
        DropReason dropReason = finalStatus == ProcessStatus.FAILED ? DropReason.FAILED : DropReason.STOPPED;
        Node node;
        while ((node = poll()) != null) {
            dropped(node, dropReason);
        }
        x.failOutstanding(this, reason);
        CompletableFuture<Void> suspended;
        Cancellable timer;
        Cancellable suspendTimer;
        synchronized (this) {
            drainThread = null; // under the monitor, where interruptStuckHandler reads it
            life = TERMINATED;
            suspended = x.takeSuspendWaiter();
            timer = x.shutdownTimer;
            suspendTimer = x.takeSuspendTimer();
            if (supervisor != null) {
                // Not at rest until the supervisor has heard and forgotten the child.
                x.tellers++;
            }
        }
        if (timer != null) {
            timer.cancel();
        }
        if (suspendTimer != null) {
            suspendTimer.cancel();
        }
        status = finalStatus;
        if (sink != null) {
            if (finalStatus == ProcessStatus.STOPPED) {
                emit(new ProcessEvent.Stopped(clock.now(), id(), name, reason));
            } else if (reportFailure && reason instanceof StopReason.Error error) {
                emitFailed(error.cause());
            }
        }
        x.signalRoom();
        if (instrumentation != null) {
            try {
                instrumentation.detached(this, reason);
            } catch (Throwable ignored) {
                // documented not to throw; a broken hook must not keep the stop from completing
            }
        }
        // The supervisor learns first, so that whoever waits on the futures below sees its
        // bookkeeping already done.
        if (supervisor != null) {
            try {
                supervisor.terminated(control(), reason);
            } catch (Throwable ignored) {
                // A supervisor hook is documented not to throw; a broken one must not break us.
            } finally {
                synchronized (this) {
                    x.tellers--;
                }
            }
        }
        x.stopped.complete(null);
        if (suspended != null) {
            suspended.complete(null);
        }
        x.termination.complete(reason);
    }

    /** A suspend waited the shutdown timeout: interrupt the handler if the suspend is still pending. */
    private void suspendTimedOut() {
        synchronized (this) {
            Extras x = extras;
            if (x == null || x.suspendWaiter == null) {
                return;
            }
            x.suspendTimer = null;
        }
        interruptStuckHandler();
    }

    /** Shutdown timeout ran out with the stop unfinished: interrupt the handler and report it. */
    private void shutdownTimedOut() {
        if (status == ProcessStatus.STOPPED || status == ProcessStatus.FAILED) {
            return;
        }
        interruptStuckHandler();
    }

    private void interruptStuckHandler() {
        if (drainThread == null) {
            return;
        }
        if (sink != null) {
            emit(new ProcessEvent.StopTimedOut(clock.now(), id(), name, shutdownTimeout));
        }
        synchronized (this) {
            // A drain thread runs other processes once this one's life has ended, and that end
            // clears drainThread under this monitor: so the thread seen here is still in this
            // process's handler or lifecycle code, never in another process's handler.
            Thread running = drainThread;
            if (running != null) {
                running.interrupt();
            }
        }
    }

    /** See {@link dev.phyxius.process.spi.ProcessInspection#idle}. */
    public boolean idle() {
        // A send sets SCHEDULED whenever it enqueues, and only a drain that found nothing left and
        // no request pending clears it; so a clear flag means everything accepted was handled.
        if ((((long) STATE.getVolatile(this)) & SCHEDULED) == 0) {
            return true;
        }
        synchronized (this) {
            Extras x = extras;
            boolean told = x == null || x.tellers == 0;
            return (life == SUSPENDED || life == TERMINATED) && told && !controlPending;
        }
    }

    // ---------------------------------------------------------------------------------------
    // Supervision

    private SupervisedProcess control;

    /** The supervisor's handle on this process. */
    public synchronized SupervisedProcess control() {
        if (control == null) {
            control = new Control();
        }
        return control;
    }

    /** Puts this process under a supervisor. */
    public SupervisedProcess adopt(SupervisionHook newHook) {
        synchronized (this) {
            if (hook != null) {
                throw new IllegalStateException("process '" + name + "' (" + id() + ") already has a supervisor");
            }
            if (life == TERMINATED || life == TERMINATING) {
                throw new IllegalStateException("process '" + name + "' (" + id() + ") has already ended");
            }
            hook = newHook;
        }
        return control();
    }

    private final class Control implements SupervisedProcess {
        @Override
        public ProcessRef<?> ref() {
            return ProcessCore.this;
        }

        @Override
        public CompletableFuture<Void> suspend(StopReason reason) {
            Objects.requireNonNull(reason, "reason");
            Extras x = extras();
            boolean startDrain = false;
            boolean armTimeout = false;
            CompletableFuture<Void> waiter;
            synchronized (ProcessCore.this) {
                if (life == SUSPENDED || life == TERMINATED || life == TERMINATING) {
                    return CompletableFuture.completedFuture(null);
                }
                waiter = x.suspendWaiter();
                if (x.suspendReason == null) {
                    x.suspendReason = reason;
                    controlPending = true;
                    long previous = (long) STATE.getAndBitwiseOr(ProcessCore.this, SCHEDULED);
                    startDrain = (previous & SCHEDULED) == 0;
                    armTimeout = !startDrain && x.suspendTimer == null;
                }
            }
            if (startDrain) {
                startThread();
            }
            if (armTimeout) {
                // Like a stop, a suspend waits for the message in progress only up to the
                // shutdown timeout, then interrupts it.
                Cancellable timer = clock.schedule(shutdownTimeout, ProcessCore.this::suspendTimedOut);
                synchronized (ProcessCore.this) {
                    if (x.suspendWaiter == null) {
                        timer.cancel(); // already suspended (or ended)
                    } else {
                        x.suspendTimer = timer;
                    }
                }
            }
            return waiter;
        }

        @Override
        public boolean restart() {
            Extras x = extras();
            synchronized (ProcessCore.this) {
                if (life != SUSPENDED || x.stopReason != null) {
                    return false;
                }
                life = RESTARTING;
                x.restartRequested = true;
                controlPending = true;
                STATE.getAndBitwiseOr(ProcessCore.this, SCHEDULED);
            }
            startThread();
            return true;
        }

        @Override
        public CompletableFuture<StopReason> terminate(StopReason reason) {
            Objects.requireNonNull(reason, "reason");
            Extras x = extras();
            synchronized (ProcessCore.this) {
                if (x.stopReason == null && reason instanceof StopReason.Error) {
                    x.terminateAsFailure = true;
                }
            }
            stop(reason);
            return termination();
        }

        @Override
        public boolean suspended() {
            synchronized (ProcessCore.this) {
                return life == SUSPENDED;
            }
        }

        @Override
        public String toString() {
            return "Supervised" + ProcessCore.this;
        }
    }

    // ---------------------------------------------------------------------------------------
    // Events and accounting

    private void dropped(Node node, DropReason reason) {
        Object message = node.takeMessage();
        AskReply<?> reply = node instanceof RichNode rich ? rich.reply : null;
        dropped(message, reply, reason);
    }

    private void dropped(Object message, AskReply<?> reply, DropReason reason) {
        if (reply != null) {
            reply.fail(new ProcessTerminatedException("process '" + name + "' (" + id()
                    + ") dropped the ask's message: " + reason, StopReason.SHUTDOWN));
        }
        if (sink != null) {
            emit(new ProcessEvent.MessageDropped(clock.now(), id(), name, message, reason));
        }
    }

    private void emitFailed(Throwable error) {
        if (sink != null) {
            emit(new ProcessEvent.Failed(clock.now(), id(), name, error));
        }
    }

    void emit(ProcessEvent event) {
        try {
            sink.emit(event);
        } catch (Throwable ignored) {
            // A sink that throws must never break the process (contract rule 8); there is
            // nowhere left to report it without calling the same sink again.
        }
    }

    Clock clock() {
        return clock;
    }

    EventSink sink() {
        return sink;
    }

    /** Whether the caller is this process's own handler (or lifecycle code) thread. */
    private boolean onOwnThread() {
        return Thread.currentThread() == drainThread;
    }

    private Extras extras() {
        Extras x = extras;
        if (x == null) {
            Extras made = new Extras();
            x = (Extras) EXTRAS.compareAndExchange(this, null, made);
            if (x == null) {
                x = made;
            }
        }
        return x;
    }

    /** Removes a completed ask from the outstanding set. */
    void forget(AskReply<?> reply) {
        Extras x = extras;
        if (x != null) {
            x.forget(reply);
        }
    }
}

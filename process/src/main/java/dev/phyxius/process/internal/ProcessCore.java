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
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * A process, in four layers that each fit in a reader's head, in the manner of JCTools' queues
 * (one object, one allocation: the layers are superclasses):
 * <ol>
 *   <li>{@link MailboxProducerFields}: the state word (accepted count, {@code SCHEDULED},
 *       {@code CLOSED}) and the fields every send touches, with accessors that say their
 *       ordering;</li>
 *   <li>{@link Mailbox}: the bounded MPSC queue, its producer side ({@code tryOffer}) and consumer
 *       side ({@code poll});</li>
 *   <li>{@link Drain}: activation (a virtual thread, or the waker's thread through a
 *       {@link HandOff}), batching (time slices) and release (spin, CAS);</li>
 *   <li>this class: the lifecycle and the {@link ProcessRef} API: {@code init}, the handler,
 *       {@code onStop}, stop, asks, events. The supervisor's control is {@link SupervisedControl}.</li>
 * </ol>
 *
 * <p><b>Lifecycle.</b> Requests (stop, suspend, restart, terminate) are recorded under this
 * object's monitor and flagged in {@code controlPending}; only the consumer-role owner acts on
 * them, so the user's state, {@code init}, the handler and {@code onStop} are only ever touched by
 * one thread at a time, and each drain start happens-after the previous drain's release of the
 * role. A life ends for one of three reasons (its handler failed, it stopped itself under a
 * supervisor, a supervisor suspended it), and requests made of a life that ended are dropped with
 * it: they were meant for that life.
 *
 * <p>The {@link Life} a process is in, guarded by the monitor, and what moves it:
 * <pre>
 *   from          to            by
 *   LIVE          SUSPENDED     (supervised) handler failure, self-stop, or a suspend request
 *   LIVE          TERMINATING   stop, or (unsupervised) handler failure
 *   SUSPENDED     RESTARTING    restart (the supervisor)
 *   SUSPENDED     TERMINATING   stop or terminate (the supervisor gives up, or stops)
 *   RESTARTING    LIVE          init returned
 *   RESTARTING    SUSPENDED     init threw (the supervisor hears again)
 *   TERMINATING   TERMINATED    onStop ran, queued messages reported, futures completed
 * </pre>
 * A process whose first {@code init} throws goes straight to {@code TERMINATED}: {@code spawn}
 * throws, and nobody ever holds its ref.
 */
public final class ProcessCore<M, S, C> extends Drain implements ProcessRef<M> {

    /** Where a process is in its life. Guarded by the process's monitor. */
    enum Life {
        /** Running a life: handling messages. */
        LIVE,
        /** Between lives, keeping the consumer role: its supervisor decides what comes next. */
        SUSPENDED,
        /** A restart was asked for; {@code init} runs next. */
        RESTARTING,
        /** Ending for good: {@code onStop}, then every queued message reported. */
        TERMINATING,
        /** Ended for good. */
        TERMINATED
    }

    private static final Duration DEFAULT_ASK_TIMEOUT = Duration.ofSeconds(5);
    private static final VarHandle EXTRAS;
    private static final VarHandle HANDLED;

    static {
        try {
            EXTRAS = MethodHandles.lookup().findVarHandle(ProcessCore.class, "extras", Extras.class);
            HANDLED = MethodHandles.lookup().findVarHandle(ProcessCore.class, "handled", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final ProcessSpec<M, S, C> spec;
    private final String name;
    final C context;
    final Duration shutdownTimeout;
    /** Whether handling is timed (events or instrumentation); read by the drain on its own line. */
    private final boolean timed;
    /** Random bits behind a lazily made id: an idle process should cost only its objects. */
    private final long idBits;

    private ProcessId id;

    volatile ProcessStatus status = ProcessStatus.STARTING;
    /** Consumer-owned: the user's state and whether it is alive (needs an {@code onStop}). */
    private S userState;

    private boolean alive;
    /**
     * Messages handled normally, over every life: written by the owner of the consumer role
     * (release, a plain store on x86), read by anyone (acquire) for meters.
     */
    @SuppressWarnings("unused") // also accessed through HANDLED
    private long handled;

    private ProcessTools<M> tools;
    /** Rarely needed fields, made on first need so that an idle process stays small. */
    private volatile Extras extras;

    // Guarded by this object's monitor.
    Life life = Life.LIVE;
    SupervisionHook hook;
    /** The supervisor's handle, made on first need. */
    private SupervisedControl control;

    private ProcessCore(ProcessSpec<M, S, C> spec, SpawnOptions<C> options, Node stub) {
        super(
                spec.maxInbox(),
                spec.mailboxPolicy() == MailboxPolicy.DROP_OLDEST,
                options.clock(),
                options.events().orElse(null),
                options.instrumentation().orElse(null),
                timingSample(options),
                spec.name(),
                stub,
                options.threadFactory().orElse(null));
        this.spec = spec;
        this.name = spec.name();
        this.context = options.context().orElse(null);
        this.shutdownTimeout = options.shutdownTimeout();
        this.timed = sink != null || instrumentation != null;
        this.id = options.id().orElse(null);
        this.idBits = id == null ? ThreadLocalRandom.current().nextLong() : 0L;
    }

    /** The options' own sample, else what the instrumentation asks for, else every message. */
    private static int timingSample(SpawnOptions<?> options) {
        if (options.timingSample().isPresent()) {
            return options.timingSample().getAsInt();
        }
        return options.instrumentation().map(CombinedInstrumentation::sample).orElse(1);
    }

    /**
     * Constructs a process, runs its {@code init} on the calling thread, and returns it running.
     *
     * @throws SpawnException if {@code init} throws
     */
    public static <M, S, C> ProcessCore<M, S, C> spawn(
            ProcessSpec<M, S, C> spec, SpawnOptions<C> options, SupervisionHook hook) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(options, "options");
        validate(spec);
        ProcessCore<M, S, C> core = new ProcessCore<>(spec, options, new Node(null));
        core.hook = hook;
        try {
            core.userState = spec.init(core.context);
        } catch (Throwable t) {
            core.status = ProcessStatus.FAILED;
            core.life = Life.TERMINATED;
            core.getAndOrState(CLOSED | SCHEDULED);
            core.emitFailed(t);
            core.extras().termination.complete(StopReason.error(t));
            throw new SpawnException("init of process '" + core.name + "' (" + core.id() + ") failed: " + t, t);
        }
        core.alive = true;
        core.status = ProcessStatus.RUNNING;
        // Publishes the initial state: a sender's CAS on the state word acquires this release,
        // and the drain thread it starts happens-after that CAS.
        core.soState(0L);
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
            throw new IllegalArgumentException(
                    "spec.maxInbox() must be >= 1, was " + spec.maxInbox() + " (process '" + name + "')");
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
        return queued();
    }

    @Override
    public long handledCount() {
        return (long) HANDLED.getAcquire(this);
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
            return refusedAsk(reply);
        }
        M message = Objects.requireNonNull(request.apply(reply), "request must build a non-null message");
        int outcome = tryOffer(message, reply, null);
        if (outcome != ACCEPTED) {
            accepted(outcome, message);
            reply.completeExceptionally(new MessageRejectedException(
                    "process '" + name + "' (" + id() + ") did not accept the ask: "
                            + (outcome == FULL ? "mailbox full" : "not accepting"),
                    outcome == FULL ? RejectReason.MAILBOX_FULL : RejectReason.NOT_ACCEPTING));
            return refusedAsk(reply);
        }
        reply.armTimeout(clock, timeout);
        // An asking handler usually waits for the answer next: the process that gives it must not
        // wait in this thread's hand-off slot until the monitor frees it.
        releaseHandOff();
        ProcessInstrumentation instr = instrumentation;
        return instr == null ? reply : handedOut(instr, reply);
    }

    @Override
    public CompletableFuture<Void> stop() {
        return stop(StopReason.NORMAL);
    }

    @Override
    public CompletableFuture<Void> stop(StopReason reason) {
        Objects.requireNonNull(reason, "reason");
        ProcessInstrumentation instr = instrumentation;
        if (instr == null) {
            return requestStop(reason);
        }
        try {
            instr.stopping(this, reason);
        } catch (Throwable ignored) {
            // documented not to throw; a broken hook must not keep a stop from happening
        }
        return handedOut(instr, requestStop(reason));
    }

    private CompletableFuture<Void> requestStop(StopReason reason) {
        Extras x = extras();
        boolean startDrain = false;
        boolean armTimeout = false;
        synchronized (this) {
            if (life == Life.TERMINATED || life == Life.TERMINATING || x.stopReason != null) {
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
            long previous = getAndOrState(CLOSED | SCHEDULED);
            if (life == Life.SUSPENDED) {
                life = Life.TERMINATING;
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
                if (life == Life.TERMINATED) {
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
        CompletableFuture<StopReason> termination = extras().termination;
        ProcessInstrumentation instr = instrumentation;
        return instr == null ? termination : handedOut(instr, termination);
    }

    /**
     * An ask failed before its message was queued is still a future its caller may wait on: the
     * instrumentation hears of it like any other, so that a wait on it is never unaccounted for.
     */
    private <R> CompletableFuture<R> refusedAsk(AskReply<R> reply) {
        ProcessInstrumentation instr = instrumentation;
        return instr == null ? reply : handedOut(instr, reply);
    }

    /** Tells the instrumentation about a future its caller may wait on; returns it. */
    private <F extends CompletableFuture<?>> F handedOut(ProcessInstrumentation instr, F future) {
        try {
            instr.awaitable(this, future);
        } catch (Throwable ignored) {
            // documented not to throw; a broken hook must not break the call
        }
        return future;
    }

    @Override
    public String toString() {
        return "Process[" + name + ", " + id() + ", " + status + "]";
    }

    // ---------------------------------------------------------------------------------------
    // Sending

    /** Offers and reports a refusal; true if accepted. */
    boolean offer(Object message, AskReply<?> reply, TimerEntry timer) {
        return accepted(tryOffer(message, reply, timer), message);
    }

    private boolean accepted(int outcome, Object message) {
        if (outcome == ACCEPTED) {
            return true;
        }
        if (sink != null) {
            emit(new ProcessEvent.MessageRejected(
                    clock.now(),
                    id(),
                    name,
                    message,
                    outcome == FULL ? RejectReason.MAILBOX_FULL : RejectReason.NOT_ACCEPTING));
        }
        return false;
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
    // Handling (the drain's hooks)

    @Override
    ProcessRef<?> self() {
        return this;
    }

    @Override
    void evicted(Node node) {
        dropped(node, DropReason.EVICTED);
    }

    @Override
    void roomMade() {
        Extras x = extras;
        if (x != null) {
            // Dekker with awaitRoom: the consumed store must be visible before the waiter count
            // is read, or a sender that just registered could sleep on a room it would have
            // found. Only processes with extras pay for the fence.
            VarHandle.fullFence();
            if (x.roomWaiters > 0) {
                x.signalRoom();
            }
        }
    }

    /** Handles one message; false if the handler failed and this drain must end. */
    @Override
    boolean handle(Node node, HandOff thread) {
        long previous = 0L;
        if (timed && thread != null) {
            // Zero stands for "none": only a timed handler that returned normally chains.
            previous = thread.lastFinished;
            thread.lastFinished = 0L;
        }
        Object message = node.takeMessage();
        AskReply<?> reply = null;
        Object captured = null;
        long enqueued = RichNode.UNTIMED;
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
        // The sender stamped the messages of the timed sample (every one without a sample).
        boolean timedNow = timed && enqueued != RichNode.UNTIMED;
        ProcessInstrumentation instr = timedNow || hooksUntimed ? instrumentation : null;
        // Back to back with the previous message, this one started when that one finished: one
        // clock reading serves both (the dequeue between them takes nanoseconds).
        long started = !timedNow ? 0L : previous != 0L ? previous : clock.monoNanos();
        Object scope =
                instr == null ? null : beforeHandle(instr, message, captured, timedNow ? started - enqueued : -1L);
        S next;
        try {
            @SuppressWarnings("unchecked")
            M typed = (M) message;
            next = spec.handle(userState, typed, tools());
        } catch (Throwable error) {
            if (instr != null) {
                afterHandle(instr, scope, error, timedNow ? clock.monoNanos() - started : -1L);
            }
            // An interrupt we sent to end a stuck handler must not leak into the next life.
            Thread.interrupted();
            return handlerFailed(message, reply, error);
        }
        if (next != null) {
            userState = next;
        }
        HANDLED.setRelease(this, handled + 1);
        if (timedNow) {
            long finished = clock.monoNanos();
            if (thread != null) {
                thread.lastFinished = finished;
            }
            if (instr != null) {
                afterHandle(instr, scope, null, finished - started);
            }
            if (sink != null) {
                emit(new ProcessEvent.MessageHandled(
                        clock.timestampAt(finished),
                        id(),
                        name,
                        message.getClass(),
                        Duration.ofNanos(Math.max(0L, started - enqueued)),
                        Duration.ofNanos(finished - started)));
            }
        } else if (instr != null) {
            afterHandle(instr, scope, null, -1L);
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
    @Override
    boolean runControl() {
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
            if (life == Life.RESTARTING) {
                life = Life.LIVE;
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
                getAndOrState(CLOSED);
                life = Life.TERMINATING;
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
                life = Life.SUSPENDED;
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
            getAndOrState(CLOSED | SCHEDULED);
            life = Life.TERMINATING;
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
            life = Life.TERMINATED;
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
    void suspendTimedOut() {
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
        if ((lvState() & SCHEDULED) == 0) {
            return true;
        }
        synchronized (this) {
            Extras x = extras;
            boolean told = x == null || x.tellers == 0;
            return (life == Life.SUSPENDED || life == Life.TERMINATED) && told && !controlPending;
        }
    }

    // ---------------------------------------------------------------------------------------
    // Supervision

    /** The supervisor's handle on this process. */
    public synchronized SupervisedProcess control() {
        if (control == null) {
            control = new SupervisedControl(this);
        }
        return control;
    }

    /** Puts this process under a supervisor. */
    public SupervisedProcess adopt(SupervisionHook newHook) {
        synchronized (this) {
            if (hook != null) {
                throw new IllegalStateException("process '" + name + "' (" + id() + ") already has a supervisor");
            }
            if (life == Life.TERMINATED || life == Life.TERMINATING) {
                throw new IllegalStateException("process '" + name + "' (" + id() + ") has already ended");
            }
            hook = newHook;
        }
        return control();
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
            reply.fail(new ProcessTerminatedException(
                    "process '" + name + "' (" + id() + ") dropped the ask's message: " + reason, StopReason.SHUTDOWN));
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
            // A sink that throws must never break the process (see EventSink); there is
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

    Extras extras() {
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

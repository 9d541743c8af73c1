package dev.phyxius.supervisor;

import dev.phyxius.clock.Cancellable;
import dev.phyxius.clock.Clock;
import dev.phyxius.clock.EventSink;
import dev.phyxius.process.ProcessId;
import dev.phyxius.process.ProcessInstrumentation;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.ProcessStatus;
import dev.phyxius.process.SpawnException;
import dev.phyxius.process.SpawnOptions;
import dev.phyxius.process.StopReason;
import dev.phyxius.process.spi.ProcessSupervision;
import dev.phyxius.process.spi.SupervisedProcess;
import dev.phyxius.supervisor.internal.SupervisorAccess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Owns processes and restarts them in place when they fail: "let it crash".
 *
 * <p><b>Restart in place.</b> A failed child is restarted with fresh state ({@code init} runs
 * again) after the {@link Backoff} delay, measured on the supervisor's {@link Clock}. Its
 * {@link ProcessRef} and {@link ProcessId} stay valid; messages queued behind the failing one are
 * kept and handled after the restart, and sends during the backoff are queued too; the failing
 * message itself is reported (a {@code MessageDropped} with {@code HANDLER_FAILED}), never retried.
 * Siblings restarted with it (one-for-all, rest-for-one) first run {@code onStop} with
 * {@link StopReason#SHUTDOWN}, in reverse start order, one after the other; then every restarted
 * child starts again in start order.
 *
 * <p><b>Intensity.</b> At most {@link SupervisionStrategy#maxRestarts()} restarts of a child in
 * any sliding {@link SupervisionStrategy#within()} window, on monotonic time. The failure that
 * would need one more gives up ({@link SupervisorEvent.GaveUp}): without a parent the child ends
 * {@code FAILED}; with a parent the child is held suspended (its mailbox still accepting) and the
 * failure escalates: the parent sees this whole supervisor fail and applies its own strategy.
 *
 * <p><b>Children.</b> A child's {@link ChildKind} says when it restarts; a stop through its ref
 * from outside is always final: the supervisor forgets it ({@link SupervisorEvent.ChildStopped}).
 * A child failure during a restart round that already covers that child (a sibling failing while
 * being shut down) is reported but does not start another round.
 *
 * <p><b>Nesting.</b> {@link #supervise(Supervisor)} makes another supervisor a child of this one.
 * Restarting a child supervisor suspends all its children (reverse start order, {@code SHUTDOWN})
 * and restarts them with fresh {@code init}; stopping it stops its subtree. See the module README
 * for a diagram.
 *
 * <p><b>Threads.</b> Thread-safe. Failures arrive on the children's threads and are decided under
 * one lock; the effects of a decision (suspends, restarts, calls into other supervisors) run
 * after it is released, and so do the events it made, in the order made. Every wait (for a child
 * to suspend, for a backoff) is asynchronous, so no child thread ever blocks on the supervisor.
 * The supervisor has no thread of its own.
 *
 * @since 0.1
 */
public final class Supervisor implements AutoCloseable {

    /*
     * How the package is laid out, in the manner of OTP's supervisor.erl (one clause per restart
     * type, the intensity in one place) and Pekko's supervision (the bookkeeping private to what
     * restarts): the rules table is RestartDecision (pure), the members a strategy covers
     * RoundMembers (pure), a round's steps RestartRound, the children ChildRegistry, a child's
     * side ProcessChild and SupervisorChild, the ordered events EventOutbox. This class holds the
     * state they share and the sections below: registration, decisions, the steps rounds, holds
     * and stops share, the subtree hold (when a parent restarts this supervisor), stop, events.
     */

    private enum State {
        RUNNING,
        SUSPENDED,
        STOPPING,
        STOPPED
    }

    static {
        SupervisorAccess.install(Supervisor::deciding);
    }

    final Clock clock;
    private final EventSink events;
    private final ProcessInstrumentation instrumentation;
    private final ThreadFactory threadFactory;
    private final SupervisionStrategy strategy;
    private final ProcessId id;
    final ReentrantLock lock = new ReentrantLock();
    private final EventOutbox outbox;

    // Guarded by lock.
    final ChildRegistry registry = new ChildRegistry();
    final Set<Cancellable> backoffTimers = new HashSet<>();
    /**
     * Decisions whose effects are still being carried out (a round taking its members down or
     * restarting them, a hold ending, a failure being handed up): while above zero this
     * supervisor is at work that neither its children nor the clock show. A round waiting for its
     * backoff timer is not counted: the timer shows it.
     */
    int inFlight;
    /** Seeded per supervisor so that jittered delays are reproducible; null without jitter. */
    private final Random jitter;

    private State state = State.RUNNING;
    /** Bumped by every stop and subtree suspend or resume: restart rounds of an older epoch are void. */
    private long epoch;

    private Supervisor parent;
    private CompletableFuture<Void> stopped;
    private StopReason stopReason = StopReason.SHUTDOWN;
    private CompletableFuture<Void> subtreeSuspended;
    private List<Child> suspendedByParent = List.of();

    /**
     * Creates a running supervisor with no children.
     *
     * @param options its clock, events, strategy and id
     * @throws NullPointerException if {@code options} is {@code null}
     */
    public Supervisor(SupervisorOptions options) {
        Objects.requireNonNull(options, "options");
        this.clock = options.clock();
        this.events = options.events().orElse(null);
        this.instrumentation = options.instrumentation().orElse(null);
        this.threadFactory = options.threadFactory().orElse(null);
        this.strategy = options.strategy();
        this.id = options.id().orElseGet(ProcessId::random);
        Backoff backoff = strategy.backoff();
        this.jitter = backoff.jitter() > 0 ? new Random(backoff.seed()) : null;
        this.outbox = new EventOutbox(events, lock);
    }

    // -------------------------------------------------------------------------------------------
    // Public API

    /**
     * Spawns a permanent child with no context: {@code init} runs on the calling thread, then the
     * child runs under this supervisor, on this supervisor's clock and event sink.
     *
     * @param spec what the child is
     * @param <M>  the message type
     * @param <S>  the state type
     * @return the child's ref, valid across restarts
     * @throws NullPointerException  if {@code spec} is {@code null}
     * @throws SpawnException        if {@code init} throws (the child is not added)
     * @throws IllegalStateException if this supervisor is stopping or stopped
     */
    public <M, S> ProcessRef<M> spawn(ProcessSpec<M, S, Void> spec) {
        return spawnChild(spec, null, ChildOptions.defaults());
    }

    /**
     * Spawns a child with no context and the given child options.
     *
     * @param spec    what the child is
     * @param options its kind, action on failure, shutdown timeout and id
     * @param <M>     the message type
     * @param <S>     the state type
     * @return the child's ref, valid across restarts
     * @throws NullPointerException     if an argument is {@code null}
     * @throws SpawnException           if {@code init} throws (the child is not added)
     * @throws IllegalArgumentException if a child with the same id is already supervised here
     * @throws IllegalStateException    if this supervisor is stopping or stopped
     */
    public <M, S> ProcessRef<M> spawn(ProcessSpec<M, S, Void> spec, ChildOptions options) {
        return spawnChild(spec, null, options);
    }

    /**
     * Spawns a permanent child whose {@code init} and {@code onStop} receive {@code ctx} (on every
     * restart too).
     *
     * @param spec what the child is
     * @param ctx  the context
     * @param <M>  the message type
     * @param <S>  the state type
     * @param <C>  the context type
     * @return the child's ref, valid across restarts
     * @throws NullPointerException  if an argument is {@code null}
     * @throws SpawnException        if {@code init} throws (the child is not added)
     * @throws IllegalStateException if this supervisor is stopping or stopped
     */
    public <M, S, C> ProcessRef<M> spawn(ProcessSpec<M, S, C> spec, C ctx) {
        return spawnChild(spec, Objects.requireNonNull(ctx, "ctx"), ChildOptions.defaults());
    }

    /**
     * Spawns a child with a context and the given child options.
     *
     * @param spec    what the child is
     * @param ctx     the context
     * @param options its kind, action on failure, shutdown timeout and id
     * @param <M>     the message type
     * @param <S>     the state type
     * @param <C>     the context type
     * @return the child's ref, valid across restarts
     * @throws NullPointerException     if an argument is {@code null}
     * @throws SpawnException           if {@code init} throws (the child is not added)
     * @throws IllegalArgumentException if a child with the same id is already supervised here
     * @throws IllegalStateException    if this supervisor is stopping or stopped
     */
    public <M, S, C> ProcessRef<M> spawn(ProcessSpec<M, S, C> spec, C ctx, ChildOptions options) {
        return spawnChild(spec, Objects.requireNonNull(ctx, "ctx"), options);
    }

    /**
     * Takes over a process made by {@code Processes.spawn}, as a permanent child with
     * {@code action} on failure. The process keeps its own clock, sink and shutdown timeout.
     *
     * @param ref    the process
     * @param action what to do when it fails
     * @throws NullPointerException     if an argument is {@code null}
     * @throws IllegalArgumentException if {@code ref} was not made by {@code Processes.spawn}, or a
     *     child with its id is already supervised here
     * @throws IllegalStateException    if the process already has a supervisor or has ended, or
     *     this supervisor is stopping or stopped
     */
    public void supervise(ProcessRef<?> ref, SupervisorAction action) {
        Objects.requireNonNull(action, "action");
        supervise(ref, ChildOptions.defaults().withAction(action));
    }

    /**
     * Takes over a process made by {@code Processes.spawn} with the given child options (their id
     * is ignored: the process has one).
     *
     * @param ref     the process
     * @param options its kind, action on failure and shutdown timeout
     * @throws NullPointerException     if an argument is {@code null}
     * @throws IllegalArgumentException if {@code ref} was not made by {@code Processes.spawn}, or a
     *     child with its id is already supervised here
     * @throws IllegalStateException    if the process already has a supervisor or has ended, or
     *     this supervisor is stopping or stopped
     */
    public void supervise(ProcessRef<?> ref, ChildOptions options) {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(options, "options");
        ProcessChild child = new ProcessChild(this, ref.id(), ref.name(), options);
        // Registered before adopting: once adopted, the process may fail at any moment and its
        // hook must find the child.
        register(child);
        try {
            child.control = ProcessSupervision.adopt(ref, child);
        } catch (RuntimeException e) {
            unregister(child);
            throw e;
        }
        emit(new SupervisorEvent.ChildStarted(clock.now(), id, child.id, child.name));
    }

    /**
     * Makes {@code child} a permanent child of this supervisor: when it escalates, this supervisor
     * sees it fail and applies its own strategy to it as to one child. Restarting it restarts its
     * whole subtree in place; stopping this supervisor stops it.
     *
     * @param child the supervisor to attach; running, and without a parent
     * @throws NullPointerException     if {@code child} is {@code null}
     * @throws IllegalArgumentException if {@code child} is this supervisor or one of its ancestors
     * @throws IllegalStateException    if {@code child} already has a parent or is stopped, or this
     *     supervisor is stopping or stopped
     * @see #supervise(Supervisor, ChildOptions)
     */
    public void supervise(Supervisor child) {
        supervise(child, ChildOptions.defaults());
    }

    /**
     * Makes {@code child} a child of this supervisor with the given child options (their id is
     * ignored: the supervisor has one; the shutdown timeout bounds the wait for its whole subtree).
     *
     * @param child   the supervisor to attach; running, and without a parent
     * @param options its kind, action on failure and shutdown timeout
     * @throws NullPointerException     if an argument is {@code null}
     * @throws IllegalArgumentException if {@code child} is this supervisor or one of its ancestors
     * @throws IllegalStateException    if {@code child} already has a parent or is stopped, or this
     *     supervisor is stopping or stopped
     */
    public void supervise(Supervisor child, ChildOptions options) {
        Objects.requireNonNull(child, "child");
        Objects.requireNonNull(options, "options");
        for (Supervisor ancestor = this; ancestor != null; ancestor = ancestor.parent()) {
            if (ancestor == child) {
                throw new IllegalArgumentException("child " + child.id.value() + " is this supervisor or one of its"
                        + " ancestors; supervision must form a tree");
            }
        }
        SupervisorChild entry = new SupervisorChild(this, child, options);
        register(entry);
        try {
            child.attachTo(this);
        } catch (RuntimeException e) {
            unregister(entry);
            throw e;
        }
        emit(new SupervisorEvent.ChildStarted(clock.now(), id, child.id, SupervisorChild.NAME));
    }

    /**
     * The processes this supervisor supervises now, in start order: running, waiting for a
     * restart, or held for the parent. Nested supervisors are not listed (they are not processes);
     * children that ended for good are forgotten.
     *
     * @return an immutable snapshot
     */
    public List<ProcessRef<?>> children() {
        lock.lock();
        try {
            List<ProcessRef<?>> refs = new ArrayList<>(registry.size());
            for (Child child : registry.view()) {
                if (child instanceof ProcessChild process && process.control != null) {
                    refs.add(process.control.ref());
                }
            }
            return List.copyOf(refs);
        } finally {
            unlock();
        }
    }

    /**
     * The tree below this supervisor as it is now: each child with its status, mailbox size and
     * restart count, nested supervisors with their own children. Takes this supervisor's lock only
     * to list its children, then each nested supervisor's in turn, never two at once.
     *
     * @return a snapshot; its readings are taken one after the other, not atomically
     */
    public SupervisorSnapshot snapshot() {
        List<Child> members;
        ProcessStatus status;
        Map<ProcessId, Integer> counts = new HashMap<>();
        lock.lock();
        try {
            members = registry.inStartOrder();
            for (Child child : members) {
                counts.put(child.id, registry.restartCount(child.id));
            }
            status = switch (state) {
                case RUNNING -> ProcessStatus.RUNNING;
                case SUSPENDED -> ProcessStatus.STARTING;
                case STOPPING -> ProcessStatus.STOPPING;
                case STOPPED -> ProcessStatus.STOPPED;
            };
        } finally {
            unlock();
        }
        List<SupervisorSnapshot.Child> described = new ArrayList<>(members.size());
        for (Child child : members) {
            int restarts = counts.get(child.id);
            if (child instanceof SupervisorChild nested) {
                SupervisorSnapshot subtree = nested.supervisor.snapshot();
                described.add(new SupervisorSnapshot.Child(
                        child.id,
                        child.name,
                        child.options.kind(),
                        subtree.status(),
                        0,
                        restarts,
                        Optional.of(subtree)));
            } else if (child instanceof ProcessChild process && process.control != null) {
                ProcessRef<?> ref = process.control.ref();
                described.add(new SupervisorSnapshot.Child(
                        child.id,
                        child.name,
                        child.options.kind(),
                        ref.status(),
                        ref.mailboxSize(),
                        restarts,
                        Optional.empty()));
            }
        }
        return new SupervisorSnapshot(id, status, strategy, described);
    }

    /**
     * How many times this supervisor restarted {@code child} in place: after its own failures,
     * with siblings under one-for-all or rest-for-one, and with its subtree when a parent restarted
     * this supervisor. Kept after the child ends, for the supervisor's lifetime.
     *
     * @param child a child's id (a process or a nested supervisor)
     * @return the count; 0 for an id this supervisor never restarted
     * @throws NullPointerException if {@code child} is {@code null}
     */
    public int restartCount(ProcessId child) {
        Objects.requireNonNull(child, "child");
        lock.lock();
        try {
            return registry.restartCount(child);
        } finally {
            unlock();
        }
    }

    /**
     * This supervisor's id, from {@link SupervisorOptions#withId} or random.
     *
     * @return the id
     */
    public ProcessId id() {
        return id;
    }

    /**
     * Stops the supervisor: pending restarts are cancelled, then children are stopped one after the
     * other in reverse start order with {@link StopReason#SHUTDOWN} (a child held after a failure
     * ends {@code FAILED} instead), each waited for up to its shutdown timeout on this supervisor's
     * clock. New children are refused from the first call. Idempotent: every call returns the same
     * future. Do not wait on it from a child's handler (the child could never finish).
     *
     * @return completes once every child has ended (or been abandoned after its timeout), after
     *     {@link SupervisorEvent.SupervisorStopped}
     */
    public CompletableFuture<Void> stop() {
        return stop(StopReason.SHUTDOWN);
    }

    /**
     * Stops the supervisor and waits: {@code stop().join()}.
     */
    @Override
    public void close() {
        stop().join();
    }

    @Override
    public String toString() {
        lock.lock();
        try {
            return "Supervisor[" + id.value() + ", " + state + ", " + registry.size() + " children]";
        } finally {
            unlock();
        }
    }

    // -------------------------------------------------------------------------------------------
    // Registration

    private <M, S, C> ProcessRef<M> spawnChild(ProcessSpec<M, S, C> spec, C ctx, ChildOptions options) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(options, "options");
        lock.lock();
        try {
            ensureAccepting();
        } finally {
            unlock();
        }
        SpawnOptions<C> spawnOptions = spawnOptions(ctx, options);
        // The id is known only once spawned; no message can reach the child before it is
        // registered, because nobody has its ref yet.
        ProcessChild child = new ProcessChild(this, null, spec.name(), options);
        SupervisedProcess control = ProcessSupervision.spawn(spec, spawnOptions, child);
        child.control = control;
        child.id = control.ref().id();
        try {
            register(child);
        } catch (RuntimeException e) {
            control.terminate(StopReason.SHUTDOWN);
            throw e;
        }
        emit(new SupervisorEvent.ChildStarted(clock.now(), id, child.id, child.name));
        @SuppressWarnings("unchecked")
        ProcessRef<M> ref = (ProcessRef<M>) control.ref();
        return ref;
    }

    @SuppressWarnings("unchecked")
    private <C> SpawnOptions<C> spawnOptions(C ctx, ChildOptions options) {
        SpawnOptions<Void> base = SpawnOptions.of(clock).withShutdownTimeout(options.shutdownTimeout());
        if (events != null) {
            // Through the outbox, so that a child's events never overtake the decisions about it.
            base = base.withEvents(outbox::childEvent);
        }
        if (instrumentation != null) {
            base = base.withInstrumentation(instrumentation);
        }
        if (threadFactory != null) {
            base = base.withThreadFactory(threadFactory);
        }
        if (options.id().isPresent()) {
            base = base.withId(options.id().get());
        }
        // Without a context the spec's context type is Void, and Void has no values but null.
        return ctx == null ? (SpawnOptions<C>) base : base.withContext(ctx);
    }

    private void register(Child child) {
        lock.lock();
        try {
            ensureAccepting();
            registry.add(child, id);
        } finally {
            unlock();
        }
    }

    private void unregister(Child child) {
        lock.lock();
        try {
            registry.remove(child);
        } finally {
            unlock();
        }
    }

    /** Guarded by lock. */
    private void ensureAccepting() {
        if (state == State.STOPPING || state == State.STOPPED) {
            throw new IllegalStateException(
                    "supervisor " + id.value() + " is " + state.name().toLowerCase() + " and accepts no new children");
        }
    }

    private Supervisor parent() {
        lock.lock();
        try {
            return parent;
        } finally {
            unlock();
        }
    }

    private void attachTo(Supervisor newParent) {
        lock.lock();
        try {
            if (parent != null) {
                throw new IllegalStateException(
                        "supervisor " + id.value() + " already has a parent, " + parent.id.value());
            }
            if (state == State.STOPPING || state == State.STOPPED) {
                throw new IllegalStateException(
                        "supervisor " + id.value() + " is " + state.name().toLowerCase() + " and cannot be attached");
            }
            parent = newParent;
        } finally {
            unlock();
        }
    }

    // -------------------------------------------------------------------------------------------
    // Decisions. Made under the lock; their effects (calls into processes, other supervisors and
    // timers) run after it is released, so that this lock is never held while another
    // supervisor's is taken (no lock-order cycles up and down a tree).

    /** A child's life ended on its own: a failure, or (processes only) a stop from its handler. */
    void childEnded(Child child, StopReason reason) {
        List<Runnable> effects = new ArrayList<>(2);
        lock.lock();
        try {
            decide(child, reason, effects);
            if (!effects.isEmpty()) {
                inFlight++;
            }
        } finally {
            unlock();
        }
        if (!effects.isEmpty()) {
            try {
                runAll(effects);
            } finally {
                settled();
            }
        }
    }

    /** One decision counted in {@link #inFlight} has been carried out. */
    void settled() {
        lock.lock();
        try {
            inFlight--;
        } finally {
            unlock();
        }
    }

    /** Whether this supervisor, or one nested below it, is carrying out a decision. */
    private boolean deciding() {
        List<Supervisor> nested;
        lock.lock();
        try {
            if (inFlight > 0) {
                return true;
            }
            nested = registry.nestedSupervisors();
        } finally {
            lock.unlock();
        }
        // One supervisor's lock at a time, as everywhere else.
        for (Supervisor supervisor : nested) {
            if (supervisor.deciding()) {
                return true;
            }
        }
        return false;
    }

    /** Decides what a child's end means, recording the effects to run once unlocked. Guarded by lock. */
    private void decide(Child child, StopReason reason, List<Runnable> effects) {
        if (!registry.contains(child)) {
            return;
        }
        Throwable cause = reason instanceof StopReason.Error error ? error.cause() : null;
        if (cause != null) {
            emit(new SupervisorEvent.ChildFailed(clock.now(), id, child.id, child.name, cause));
        }
        if (state == State.SUSPENDED && !child.inHold && child.phase == Child.Phase.RUNNING) {
            // It joined while our parent holds this subtree, so the hold's resume does not cover
            // it: decided when the hold ends (or ended with the rest if the parent stops us).
            child.endedWhileHeld = reason;
            child.heldFailure = cause;
            emit(new SupervisorEvent.DecisionDeferred(clock.now(), id, child.id, child.name, reason));
            return;
        }
        if (state != State.RUNNING || child.phase != Child.Phase.RUNNING) {
            // Suspended by our parent (its resume restarts the child), stopping (the stop ends
            // it), or already covered by a round or a hold.
            return;
        }
        applyRules(child, reason, cause, effects);
    }

    /** Carries out the rules table ({@link RestartDecision}) for a running child. Guarded by lock. */
    private void applyRules(Child child, StopReason reason, Throwable cause, List<Runnable> effects) {
        long now = clock.monoNanos();
        RestartDecision decision = RestartDecision.of(
                child.options.kind(),
                child.options.action(),
                cause != null,
                child.window.countAt(now, strategy.within().toNanos()),
                strategy.maxRestarts());
        switch (decision.verdict()) {
            case END -> endForGood(child, reason, cause, effects);
            case ESCALATE -> escalate(child, reason, decision.restartsInWindow(), effects);
            case GIVE_UP -> {
                emit(new SupervisorEvent.GaveUp(
                        clock.now(), id, child.id, decision.restartsInWindow(), strategy.within()));
                if (parent != null) {
                    escalate(child, reason, decision.restartsInWindow(), effects);
                } else {
                    // Given up on: the child ends FAILED, also when it stopped itself once too often.
                    Throwable failure = failureOf(child, reason);
                    endForGood(child, StopReason.error(failure), failure, effects);
                }
            }
            case RESTART -> {
                child.window.record(now);
                RoundMembers<Child> members = RoundMembers.of(
                        strategy.scope(),
                        registry.view(),
                        child,
                        member -> member.phase == Child.Phase.RUNNING,
                        member -> member.options.kind() == ChildKind.TEMPORARY);
                Duration delay = jittered(strategy.backoff().delay(decision.attempt()));
                effects.add(RestartRound.begin(this, child, members, decision.attempt(), delay, epoch));
            }
        }
    }

    /** The error a child's end stands for: its failure, or one that says it kept stopping itself. */
    private static Throwable failureOf(Child child, StopReason reason) {
        return reason instanceof StopReason.Error error
                ? error.cause()
                : new IllegalStateException(
                        "child " + child.id.value() + " ('" + child.name + "') stopped itself (" + reason + ")");
    }

    private static void runAll(List<Runnable> effects) {
        for (Runnable effect : effects) {
            try {
                effect.run();
            } catch (RuntimeException e) {
                // Each effect touches one child or one supervisor; a broken one must not keep the
                // others from happening. Failures of children are reported by their own events.
            }
        }
    }

    /** Guarded by lock. */
    private void endForGood(Child child, StopReason reason, Throwable cause, List<Runnable> effects) {
        child.phase = Child.Phase.HELD;
        child.heldFailure = cause;
        // An error reason ends a process FAILED; the terminated hook then forgets it.
        effects.add(() -> child.terminate(reason));
    }

    /** Guarded by lock. */
    private void escalate(Child child, StopReason reason, int restartsInWindow, List<Runnable> effects) {
        Throwable cause = failureOf(child, reason);
        Supervisor to = parent;
        if (to == null) {
            emit(new SupervisorEvent.GaveUp(clock.now(), id, child.id, restartsInWindow, strategy.within()));
            endForGood(child, StopReason.error(cause), cause, effects);
            return;
        }
        child.phase = Child.Phase.HELD;
        child.heldFailure = cause;
        emit(new SupervisorEvent.Escalated(clock.now(), id, child.id, to.id, cause));
        EscalationException escalation = new EscalationException(id, child.id, cause);
        effects.add(() -> to.childEscalated(this, escalation));
    }

    /** A child supervisor escalated: it counts as one failed child here. */
    private void childEscalated(Supervisor from, EscalationException error) {
        Child entry = find(from);
        if (entry != null) {
            childEnded(entry, StopReason.error(error));
        }
    }

    /** A child ended for good; the supervisor forgets it. */
    void childTerminated(Child child, StopReason reason) {
        lock.lock();
        try {
            if (registry.remove(child)) {
                emit(new SupervisorEvent.ChildStopped(clock.now(), id, child.id, child.name, reason));
            }
        } finally {
            unlock();
        }
        // After its ChildStopped is delivered: a stop waits on this, so events come in stop order.
        outbox.afterEvents(() -> child.gone.complete(null));
    }

    private void childSupervisorStopped(Supervisor child, StopReason reason) {
        Child entry = find(child);
        if (entry != null) {
            childTerminated(entry, reason);
        }
    }

    private Child find(Supervisor supervisor) {
        lock.lock();
        try {
            return registry.find(supervisor);
        } finally {
            lock.unlock();
        }
    }

    /** Guarded by lock (the jitter generator is not thread-safe). */
    private Duration jittered(Duration delay) {
        if (jitter == null || delay.isZero()) {
            return delay;
        }
        double fraction = strategy.backoff().jitter() * jitter.nextDouble();
        return Duration.ofNanos((long) (delay.toNanos() * (1.0 - fraction)));
    }

    // -------------------------------------------------------------------------------------------
    // The steps rounds, holds and stops share

    /** Whether work of {@code roundEpoch} still stands: no stop or hold since. Guarded by lock. */
    boolean isCurrent(long roundEpoch) {
        return epoch == roundEpoch && state == State.RUNNING;
    }

    /**
     * A child resumed at {@code roundEpoch} has now suspended: true, and running again in this
     * supervisor's books, if no stop, hold or other decision took over meanwhile. Until this
     * flips it to running, a round (or a hold's resume) covers the child.
     */
    boolean suspendedInTime(Child child, long roundEpoch) {
        lock.lock();
        try {
            if (!isCurrent(roundEpoch) || child.phase != Child.Phase.RESTARTING || !registry.contains(child)) {
                return false;
            }
            child.phase = Child.Phase.RUNNING;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes {@code members} down one after the other in reverse start order, so that {@code onStop}
     * runs in that order, each waited for up to its shutdown timeout: suspended, or stopped and
     * forgotten if leaving. Never blocks: each next step is chained on the previous one.
     */
    CompletableFuture<Void> takeDown(List<Child> members) {
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (int i = members.size() - 1; i >= 0; i--) {
            Child member = members.get(i);
            chain = chain.thenCompose(ignored -> bounded(
                    safely(() -> {
                        if (isLeaving(member)) {
                            member.terminate(StopReason.SHUTDOWN);
                            return member.gone;
                        }
                        return member.suspend();
                    }),
                    member));
        }
        return chain;
    }

    private boolean isLeaving(Child child) {
        lock.lock();
        try {
            return child.leaving;
        } finally {
            lock.unlock();
        }
    }

    /** Completes when {@code future} does or the child's shutdown timeout runs out, whichever first. */
    private CompletableFuture<Void> bounded(CompletableFuture<?> future, Child child) {
        if (future.isDone()) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> result = new CompletableFuture<>();
        Duration timeout = child.options.shutdownTimeout();
        // The process interrupts a handler that holds up its own suspend or stop after the same
        // timeout; this only stops the supervisor from waiting longer than that for it.
        Cancellable timer = clock.schedule(timeout, () -> {
            if (result.complete(null)) {
                emit(new SupervisorEvent.ShutdownTimedOut(clock.now(), id, child.id, child.name, timeout));
            }
        });
        future.whenComplete((value, error) -> {
            timer.cancel();
            result.complete(null);
        });
        return result;
    }

    /**
     * Starts a covered member's fresh life (once it has suspended) and reports it, or takes its
     * restart count back if nothing restarts.
     */
    void resume(Child member, long roundEpoch, int attempt, Duration delay) {
        member.resume(roundEpoch).thenAccept(restarted -> {
            if (restarted) {
                emit(new SupervisorEvent.ChildRestarted(clock.now(), id, member.id, member.name, attempt, delay));
            } else {
                uncountRestart(member);
            }
        });
    }

    private void uncountRestart(Child child) {
        lock.lock();
        try {
            registry.countRestart(child.id, -1);
        } finally {
            unlock();
        }
    }

    // -------------------------------------------------------------------------------------------
    // The subtree hold (this supervisor is a child being restarted by its parent)

    /**
     * Takes every child down, reverse start order (temporary children are stopped and forgotten,
     * the others suspended); pending rounds are void. Idempotent while suspended.
     */
    CompletableFuture<Void> suspendSubtree() {
        List<Child> members;
        CompletableFuture<Void> done;
        lock.lock();
        try {
            if (state == State.SUSPENDED) {
                return subtreeSuspended;
            }
            if (state != State.RUNNING) {
                return CompletableFuture.completedFuture(null);
            }
            state = State.SUSPENDED;
            epoch++;
            cancelBackoffTimers();
            members = registry.inStartOrder();
            for (Child child : members) {
                child.inHold = true;
                if (child.options.kind() == ChildKind.TEMPORARY) {
                    child.phase = Child.Phase.HELD;
                    child.leaving = true;
                }
            }
            suspendedByParent = members;
            done = new CompletableFuture<>();
            subtreeSuspended = done;
        } finally {
            unlock();
        }
        takeDown(members).whenComplete((value, error) -> done.complete(null));
        return done;
    }

    /**
     * Starts every held child afresh, start order, with fresh intensity windows; then decides the
     * ends of children that joined during the hold and ended on their own meanwhile.
     */
    void resumeSubtree() {
        List<Child> members = new ArrayList<>();
        List<Runnable> effects = new ArrayList<>();
        long resumeEpoch;
        lock.lock();
        try {
            if (state != State.SUSPENDED) {
                return;
            }
            state = State.RUNNING;
            epoch++;
            resumeEpoch = epoch;
            for (Child child : suspendedByParent) {
                child.inHold = false;
                if (registry.contains(child) && !child.leaving) {
                    child.phase = Child.Phase.RESTARTING; // until resume finds it suspended
                    child.heldFailure = null;
                    child.window.clear();
                    registry.countRestart(child.id, 1);
                    members.add(child);
                }
            }
            suspendedByParent = List.of();
            for (Child child : registry.inStartOrder()) {
                StopReason ended = child.endedWhileHeld;
                if (ended != null) {
                    child.endedWhileHeld = null;
                    child.heldFailure = null;
                    applyRules(child, ended, ended instanceof StopReason.Error error ? error.cause() : null, effects);
                }
            }
            inFlight++;
        } finally {
            unlock();
        }
        try {
            for (Child child : members) {
                resume(child, resumeEpoch, 0, Duration.ZERO);
            }
            runAll(effects);
        } finally {
            settled();
        }
    }

    boolean isStopping() {
        lock.lock();
        try {
            return state == State.STOPPING || state == State.STOPPED;
        } finally {
            unlock();
        }
    }

    // -------------------------------------------------------------------------------------------
    // Stop

    CompletableFuture<Void> stop(StopReason reason) {
        List<Child> members;
        CompletableFuture<Void> done;
        lock.lock();
        try {
            if (stopped != null) {
                return stopped;
            }
            done = new CompletableFuture<>();
            stopped = done;
            stopReason = reason;
            state = State.STOPPING;
            epoch++;
            cancelBackoffTimers();
            members = registry.inStartOrder();
        } finally {
            unlock();
        }
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (int i = members.size() - 1; i >= 0; i--) {
            Child child = members.get(i);
            chain = chain.thenCompose(ignored -> {
                Throwable failure;
                lock.lock();
                try {
                    failure = child.heldFailure;
                } finally {
                    unlock();
                }
                // A child held after a failure nobody fixed ends FAILED, as it would have alone.
                StopReason why = failure != null ? StopReason.error(failure) : StopReason.SHUTDOWN;
                // Waits until the child is forgotten (its ChildStopped emitted), not merely ended,
                // so that events come in stop order and SupervisorStopped is the last.
                return bounded(
                        safely(() -> {
                            child.terminate(why);
                            return child.gone;
                        }),
                        child);
            });
        }
        chain.whenComplete((value, error) -> finishStop(done));
        return done;
    }

    private void finishStop(CompletableFuture<Void> done) {
        Supervisor to;
        StopReason reason;
        lock.lock();
        try {
            state = State.STOPPED;
            to = parent;
            reason = stopReason;
        } finally {
            unlock();
        }
        emit(new SupervisorEvent.SupervisorStopped(clock.now(), id));
        // After the event is delivered, so that it is the last, and whoever waits sees it.
        outbox.afterEvents(() -> {
            if (to != null) {
                to.childSupervisorStopped(this, reason);
            }
            done.complete(null);
        });
    }

    /** Guarded by lock. */
    private void cancelBackoffTimers() {
        for (Cancellable timer : backoffTimers) {
            timer.cancel();
        }
        backoffTimers.clear();
    }

    // -------------------------------------------------------------------------------------------
    // Events

    /**
     * Queues an event for delivery in the order decided: under the lock, once the outermost hold
     * of it is released ({@link #unlock}); outside it, at once (or by the thread delivering).
     */
    void emit(SupervisorEvent event) {
        outbox.add(event);
        outbox.deliverIfFree();
    }

    /** Releases the lock; once this thread no longer holds it, delivers what decisions queued. */
    void unlock() {
        lock.unlock();
        outbox.deliverIfFree();
    }

    /**
     * Runs one step of a chain, turning a step that throws into a completed step: one broken child
     * must not stop the supervisor from suspending, restarting or stopping the others.
     */
    private static CompletableFuture<?> safely(Supplier<CompletableFuture<?>> step) {
        try {
            return step.get();
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(null);
        }
    }
}

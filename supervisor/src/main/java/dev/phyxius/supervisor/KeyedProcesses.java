package dev.phyxius.supervisor;

import dev.phyxius.clock.Cancellable;
import dev.phyxius.clock.Clock;
import dev.phyxius.clock.EventSink;
import dev.phyxius.process.MailboxPolicy;
import dev.phyxius.process.MessageRejectedException;
import dev.phyxius.process.ProcessEvent;
import dev.phyxius.process.ProcessId;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.ProcessStatus;
import dev.phyxius.process.ProcessTerminatedException;
import dev.phyxius.process.Reply;
import dev.phyxius.process.SpawnException;
import dev.phyxius.process.StopReason;
import dev.phyxius.process.spi.ProcessInspection;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One process per key, spawned on first use, passivated when idle, supervised: a user session, an
 * account, a device, a shopping cart, addressed by its key.
 *
 * <pre>{@code
 * KeyedProcesses<String, SessionMsg> sessions = KeyedProcesses.create("session",
 *         userId -> sessionSpec(userId),                       // init sees the key
 *         KeyedOptions.of(clock).withIdleTimeout(Duration.ofMinutes(30)).withMaxLiveKeys(100_000));
 * sessions.ref("alice").send(new Touch());                     // alice's process starts if need be
 * }</pre>
 *
 * <p><b>One process per key.</b> The first message for a key makes its entry and starts its
 * process on a thread of the group (so {@code init}, which may block, never holds up a sender);
 * messages that arrive meanwhile wait for it, in order. However many threads send first messages
 * at once, a key has at most one process at any moment: a key's next life starts only after its
 * previous one has ended. Each process is the child of a supervisor of the group, under the
 * group's one-for-one strategy: a failure restarts that key's process in place and never another
 * key's. Its id is {@code name + "/" + key}: keys whose {@code toString} agree share an id.
 *
 * <p><b>Passivation.</b> A key whose process has handled nothing for the idle timeout (on the
 * group's {@link Clock}) and has nothing queued is passivated: its {@code onStop} runs with
 * {@link StopReason#passivated(String)}, its process ends, and the group keeps nothing of it.
 * With a bound on live keys, the key that comes to life beyond it makes the least recently used
 * live key passivate ({@link KeyedEvent.Evicted}): that process first finishes what is queued.
 * {@link #passivate} asks for it by hand; {@link #release} ends keys at once for an owner
 * elsewhere. Timers a life scheduled end with it, as on any stop.
 *
 * <p><b>Nothing lost to a passivation.</b> Once a key passivates, its process takes no more
 * messages: a message that arrives while it finishes is held by the group and handled by the
 * key's next life, which starts as soon as the old one has ended, in the order it arrived, after
 * everything the old life had accepted. So a send racing a passivation is never refused because
 * of it and never lost; it waits at most for the old life's last message and {@code onStop}. (A
 * message from one of the old life's own timers that fires in the instant the life is closed is
 * reported dropped, as on any stop.)
 *
 * <p><b>Give-up.</b> When the supervisor gives up on a key's process (the strategy's restarts are
 * spent), the process ends {@code FAILED}, its queued messages are reported, and
 * {@link KeyedEvent.GaveUp} is emitted; the key then refuses messages for the quarantine
 * ({@link SendResult#GIVEN_UP}, {@link KeyedOptions#withQuarantine}), after which its next message
 * starts a fresh life. A key whose {@code init} fails is treated the same way.
 *
 * <p><b>Accounting.</b> Every message the group accepted is handled by a life of its key or
 * reported: by its process ({@code MessageDropped}) or by the group
 * ({@link KeyedEvent.MessageDropped}); every refusal returns {@code false} (or a
 * {@link SendResult}) and is reported once.
 *
 * <p><b>Stop.</b> {@link #stop()} refuses new messages, reports every waiting one, stops every
 * key's process ({@link StopReason#SHUTDOWN}; queued messages reported as dropped) and completes
 * once all have ended, after {@link KeyedEvent.GroupStopped}.
 *
 * <p><b>Threads.</b> Thread-safe. A send takes only its key's lock, for non-blocking work, and
 * never waits for a handler or an {@code init}. The group has no thread of its own: activations
 * run on threads from the options' factory (virtual threads by default), timers on its clock.
 *
 * @param <K> the key type; keys are compared with {@code equals} and {@code hashCode}
 * @param <M> the message type of every key's process
 * @since 0.1
 */
public final class KeyedProcesses<K, M> implements AutoCloseable {

    /** Where a key is, as {@link #state(Object)} reports it. */
    public enum KeyState {
        /** No process and nothing waiting: never used, passivated, or the group stopped. */
        ABSENT,
        /** Its process is being started; messages wait for it. */
        ACTIVATING,
        /** Its process runs and takes messages. */
        LIVE,
        /** Its life is ending (passivating, released or stopped); messages wait for the next one. */
        ENDING,
        /** Quarantined after a give-up or a failed {@code init}; messages are refused. */
        GIVEN_UP
    }

    private static final Duration DEFAULT_ASK_TIMEOUT = Duration.ofSeconds(5);
    private static final ThreadFactory ACTIVATION_THREADS =
            Thread.ofVirtual().name("phyxius-keyed-activation").factory();

    private final String name;
    private final Clock clock;
    /** Null without a sink, so that no event object is made for nobody. */
    private final EventSink events;
    /** Null when every key is owned here. */
    private final KeyOwnership<? super K> ownership;

    private final Function<? super K, ? extends ProcessSpec<M, ?, ?>> specs;
    /** Whether {@link #specs} returns one spec whose context is the key. */
    private final boolean keyIsContext;

    private final Duration idleTimeout;
    /** 0 when idle keys are never passivated. */
    private final long idleNanos;

    private final int maxLive;
    private final Duration quarantine;
    private final ChildOptions childOptions;
    private final ThreadFactory threads;
    private final SupervisorPool pool;
    /** Null when live keys are unbounded: then no send pays for keeping the order. */
    private final KeyOrder<K, M> order;

    private final ConcurrentHashMap<K, KeyedEntry<K, M>> entries = new ConcurrentHashMap<>();
    /** Keys activating or live: the ones the bound counts. */
    private final AtomicInteger live = new AtomicInteger();
    /** Activations started and not finished; a stop waits for them. */
    private final AtomicInteger activations = new AtomicInteger();

    private final CompletableFuture<Void> activationsDone = new CompletableFuture<>();
    private final CompletableFuture<StopReason> termination = new CompletableFuture<>();
    private volatile boolean stopping;
    private final Object stopLock = new Object();
    /** Guarded by stopLock. */
    private CompletableFuture<Void> stopped;

    /** Senders waiting for room in a key's buffer (a full mailbox of a key that is not live). */
    private final ReentrantLock roomLock = new ReentrantLock();

    private final Condition room = roomLock.newCondition();
    /** Bumped whenever a buffer empties (or the group stops); a waiter sleeps only while it is unchanged. */
    private final AtomicLong roomGeneration = new AtomicLong();

    private final AtomicInteger roomWaiters = new AtomicInteger();

    private KeyedProcesses(
            String name,
            Function<? super K, ? extends ProcessSpec<M, ?, ?>> specs,
            boolean keyIsContext,
            KeyedOptions<? super K> options) {
        this.name = requireName(name);
        this.specs = specs;
        this.keyIsContext = keyIsContext;
        this.clock = options.clock();
        this.events = options.events().orElse(null);
        this.ownership = options.ownership().orElse(null);
        this.idleTimeout = options.idleTimeout().orElse(null);
        this.idleNanos = idleTimeout == null ? 0L : Math.max(1L, saturatedNanos(idleTimeout));
        this.maxLive = options.maxLiveKeys();
        this.quarantine = options.quarantine();
        this.childOptions = ChildOptions.of(ChildKind.TRANSIENT).withShutdownTimeout(options.shutdownTimeout());
        this.threads = options.threadFactory().orElse(ACTIVATION_THREADS);
        this.order = maxLive == Integer.MAX_VALUE ? null : new KeyOrder<>();
        this.pool =
                new SupervisorPool(options.supervisors().orElseGet(() -> supervisorsFor(options)), options.strategy());
    }

    /**
     * Creates a running group whose keys' processes are built by {@code specs}: it is called on the
     * sending thread each time a key comes to life, with the key, so that {@code init} (and
     * everything else in the spec) sees it. It should be cheap and must not return {@code null}.
     *
     * @param name  the group's name, for ids and events; its processes' names come from their specs
     * @param specs builds the spec of a key's process
     * @param options the group's options
     * @param <K>   the key type
     * @param <M>   the message type
     * @return the group, with no key live
     * @throws NullPointerException     if an argument is {@code null}
     * @throws IllegalArgumentException if {@code name} is blank
     */
    public static <K, M> KeyedProcesses<K, M> create(
            String name,
            Function<? super K, ? extends ProcessSpec<M, ?, Void>> specs,
            KeyedOptions<? super K> options) {
        Objects.requireNonNull(specs, "specs");
        Objects.requireNonNull(options, "options");
        return new KeyedProcesses<>(name, specs, false, options);
    }

    /**
     * Creates a running group whose keys' processes all run {@code spec}, with the key as the
     * context of its {@code init} and {@code onStop} (so a cart can load itself from its key and
     * save itself when it passivates). The group is named after the spec.
     *
     * @param spec    what every key's process is; its context is the key
     * @param options the group's options
     * @param <K>     the key type
     * @param <M>     the message type
     * @return the group, with no key live
     * @throws NullPointerException if an argument is {@code null}
     */
    public static <K, M> KeyedProcesses<K, M> create(
            ProcessSpec<M, ?, ? super K> spec, KeyedOptions<? super K> options) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(options, "options");
        return new KeyedProcesses<K, M>(spec.name(), key -> spec, true, options);
    }

    // -------------------------------------------------------------------------------------------
    // Public API

    /**
     * The ref of {@code key}'s process, whichever life of it runs: valid before the key's first
     * message, across passivations, and until the group stops. Its {@code send} is
     * {@link #offer}{@code (key, message).accepted()}; its {@code ask} waits for the key to come to
     * life if need be; its {@code stop} ends the key's current life (the next message starts a
     * fresh one; a stop with an error reason counts as a give-up and quarantines the key); its
     * {@code termination} completes when the group has stopped; its
     * {@code status} is {@code RUNNING} while the key takes messages, {@code FAILED} while it is
     * quarantined, {@code STOPPING}/{@code STOPPED} with the group. Inside a key's handler,
     * {@code tools.self()} is this ref.
     *
     * @param key the key
     * @return a ref; cheap, and equal to every other ref of the same key in this group
     * @throws NullPointerException if {@code key} is {@code null}
     */
    public ProcessRef<M> ref(K key) {
        return new KeyedRef<>(this, Objects.requireNonNull(key, "key"));
    }

    /**
     * Offers {@code message} to {@code key}'s process, bringing the key to life if need be; never
     * blocks, never waits for {@code init}.
     *
     * @param key     the key
     * @param message the message
     * @return {@link SendResult#ACCEPTED} if it will be handled by a life of the key (or reported
     *     dropped); otherwise why it was refused (a {@link KeyedEvent.MessageRejected}, or for a
     *     full live mailbox the process's own {@code MessageRejected}, is emitted)
     * @throws NullPointerException if an argument is {@code null}
     */
    public SendResult offer(K key, M message) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(message, "message");
        for (; ; ) {
            Object found = entryFor(key);
            if (found instanceof SendResult refused) {
                return rejected(key, message, refused);
            }
            KeyedEntry<K, M> entry = entry(found);
            SendResult result;
            boolean reported = false;
            List<Runnable> after = null;
            synchronized (entry) {
                int state = entry.state;
                if (state == KeyedEntry.LIVE) {
                    ProcessRef<M> process = entry.process;
                    if (process.send(message)) {
                        result = SendResult.ACCEPTED;
                    } else {
                        result = refusedByLife(process);
                        reported = true; // the process emitted its own MessageRejected
                        if (result != SendResult.MAILBOX_FULL) {
                            after = later(after, () -> watch(entry, process)); // ended behind our back
                        }
                    }
                } else if (state == KeyedEntry.ACTIVATING
                        || state == KeyedEntry.DRAINING
                        || state == KeyedEntry.ENDING) {
                    Object evicted = hold(entry, message);
                    result = evicted == NO_ROOM ? SendResult.MAILBOX_FULL : SendResult.ACCEPTED;
                    after = reportEvicted(entry, evicted, after);
                } else if (state == KeyedEntry.GIVEN_UP) {
                    result = SendResult.GIVEN_UP;
                } else if (!stopping) {
                    continue; // this entry has just left the map: look again
                } else {
                    result = SendResult.STOPPED;
                }
            }
            run(after);
            if (result == SendResult.ACCEPTED) {
                touch(entry);
                return result;
            }
            return reported ? result : rejected(key, message, result);
        }
    }

    /**
     * Sends {@code message} to {@code key}: {@code offer(key, message).accepted()}.
     *
     * @param key     the key
     * @param message the message
     * @return {@code true} if accepted
     * @throws NullPointerException if an argument is {@code null}
     */
    public boolean send(K key, M message) {
        return offer(key, message).accepted();
    }

    /**
     * Asks {@code key}'s process, bringing the key to life if need be; times out after 5 seconds on
     * the group's clock.
     *
     * @param key     the key
     * @param request builds the message from the reply handle
     * @param <R>     the answer's type
     * @return a future of the first answer; see {@link #ask(Object, Function, Duration)}
     * @throws NullPointerException if an argument is {@code null}
     */
    public <R> CompletableFuture<R> ask(K key, Function<Reply<R>, ? extends M> request) {
        return ask(key, request, DEFAULT_ASK_TIMEOUT);
    }

    /**
     * Asks {@code key}'s process. If the key is live the ask goes straight to its process, with
     * {@link ProcessRef#ask(Function, Duration)}'s guarantees; if it is activating or passivating,
     * the request waits for the next life, and the timeout counts from now.
     *
     * @param key     the key
     * @param request builds the message from the reply handle (called when the message is delivered)
     * @param timeout how long to wait for the answer, on the group's clock
     * @param <R>     the answer's type
     * @return a future of the first answer; it fails with {@link TimeoutException} on timeout, with
     *     {@link MessageRejectedException} at once if refused, with
     *     {@link ProcessTerminatedException} if the message is dropped or the process ends without
     *     answering, and with the handler's exception if the handler throws on it
     * @throws NullPointerException if an argument is {@code null}
     */
    public <R> CompletableFuture<R> ask(K key, Function<Reply<R>, ? extends M> request, Duration timeout) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(timeout, "timeout");
        for (; ; ) {
            Object found = entryFor(key);
            if (found instanceof SendResult refused) {
                return refusedAsk(key, request, rejected(key, request, refused));
            }
            KeyedEntry<K, M> entry = entry(found);
            CompletableFuture<R> answer;
            SendResult result = SendResult.ACCEPTED;
            List<Runnable> after = null;
            synchronized (entry) {
                int state = entry.state;
                if (state == KeyedEntry.LIVE) {
                    answer = entry.process.ask(request, timeout);
                } else if (state == KeyedEntry.ACTIVATING
                        || state == KeyedEntry.DRAINING
                        || state == KeyedEntry.ENDING) {
                    PendingAsk<M, R> pending = new PendingAsk<>(
                            request, timeout, saturatedAdd(clock.monoNanos(), saturatedNanos(timeout)));
                    Object evicted = hold(entry, pending);
                    after = reportEvicted(entry, evicted, after);
                    if (evicted == NO_ROOM) {
                        result = SendResult.MAILBOX_FULL;
                        answer = null;
                    } else {
                        pending.timer = clock.schedule(
                                timeout,
                                () -> pending.answer.completeExceptionally(new TimeoutException("ask to key " + key
                                        + " of group '" + name + "' got no reply within " + timeout)));
                        answer = pending.answer;
                    }
                } else if (state == KeyedEntry.GIVEN_UP) {
                    result = SendResult.GIVEN_UP;
                    answer = null;
                } else if (!stopping) {
                    continue;
                } else {
                    result = SendResult.STOPPED;
                    answer = null;
                }
            }
            run(after);
            if (answer != null) {
                touch(entry);
                return answer;
            }
            return refusedAsk(key, request, rejected(key, request, result));
        }
    }

    /**
     * Passivates {@code key}: from now on its messages wait for its next life, its process finishes
     * what it has queued, then ends with {@link StopReason#passivated(String) passivated(why)}
     * ({@link KeyedEvent.Passivated} with {@link KeyedEvent.PassivationCause#REQUESTED}). Nothing
     * happens to a key that is not live or activating.
     *
     * @param key the key
     * @param why what made you let it go, for {@code onStop} and the event
     * @return completes when the key's current life has ended (at once if it has none)
     * @throws NullPointerException     if an argument is {@code null}
     * @throws IllegalArgumentException if {@code why} is blank
     */
    public CompletableFuture<Void> passivate(K key, String why) {
        Objects.requireNonNull(key, "key");
        StopReason reason = StopReason.passivated(why);
        KeyedEntry<K, M> entry = entries.get(key);
        if (entry == null) {
            return CompletableFuture.completedFuture(null);
        }
        List<Runnable> after = null;
        CompletableFuture<Void> ended;
        synchronized (entry) {
            switch (entry.state) {
                case KeyedEntry.LIVE -> {
                    entry.endReason = reason;
                    entry.endCause = KeyedEvent.PassivationCause.REQUESTED;
                    ended = entry.ended();
                    after = beginDrain(entry, after);
                }
                case KeyedEntry.ACTIVATING -> {
                    if (entry.endRequest == KeyedEntry.END_NONE) {
                        entry.endRequest = KeyedEntry.END_DRAIN;
                        entry.endReason = reason;
                        entry.endCause = KeyedEvent.PassivationCause.REQUESTED;
                        uncount(entry); // on its way out: no longer live for the bound
                    }
                    ended = entry.ended();
                }
                case KeyedEntry.DRAINING, KeyedEntry.ENDING -> ended = entry.ended();
                default -> ended = CompletableFuture.completedFuture(null);
            }
        }
        run(after);
        return ended;
    }

    /**
     * Gives away every key {@code keys} matches, at once, for an owner elsewhere: each one's
     * process finishes the message in hand, runs {@code onStop} with
     * {@link StopReason#passivated(String) passivated(why)} and ends; its queued messages, and those
     * waiting for its next life, are reported dropped ({@code MessageDropped} with
     * {@code STOPPED}, {@link KeyedEvent.DropReason#RELEASED}); a quarantine ends. Change the
     * {@link KeyOwnership}'s answer first, or the next message brings a key back.
     *
     * @param keys which keys; called with each present key on this thread
     * @param why  what moved them, for {@code onStop} and the events
     * @return completes when every matched key's life has ended
     * @throws NullPointerException     if an argument is {@code null}
     * @throws IllegalArgumentException if {@code why} is blank
     */
    public CompletableFuture<Void> release(Predicate<? super K> keys, String why) {
        Objects.requireNonNull(keys, "keys");
        StopReason reason = StopReason.passivated(why);
        List<CompletableFuture<Void>> waits = new ArrayList<>();
        List<Runnable> after = null;
        for (KeyedEntry<K, M> entry : entries.values()) {
            if (!keys.test(entry.key)) {
                continue;
            }
            synchronized (entry) {
                switch (entry.state) {
                    case KeyedEntry.LIVE, KeyedEntry.DRAINING -> {
                        after = dropHeld(entry, KeyedEvent.DropReason.RELEASED, after);
                        entry.endReason = reason;
                        entry.endCause = KeyedEvent.PassivationCause.RELEASED;
                        waits.add(entry.ended());
                        after = endNow(entry, after);
                    }
                    case KeyedEntry.ACTIVATING -> {
                        after = dropHeld(entry, KeyedEvent.DropReason.RELEASED, after);
                        entry.endRequest = KeyedEntry.END_NOW;
                        entry.endReason = reason;
                        entry.endCause = KeyedEvent.PassivationCause.RELEASED;
                        uncount(entry);
                        waits.add(entry.ended());
                    }
                    case KeyedEntry.ENDING -> {
                        after = dropHeld(entry, KeyedEvent.DropReason.RELEASED, after);
                        waits.add(entry.ended());
                    }
                    case KeyedEntry.GIVEN_UP -> after = close(entry, after);
                    default -> {
                        // Closed: gone already.
                    }
                }
            }
        }
        run(after);
        return CompletableFuture.allOf(waits.toArray(CompletableFuture<?>[]::new));
    }

    /**
     * Where {@code key} is now: a sample, stale as soon as it is returned.
     *
     * @param key the key
     * @return its state
     * @throws NullPointerException if {@code key} is {@code null}
     */
    public KeyState state(K key) {
        Objects.requireNonNull(key, "key");
        KeyedEntry<K, M> entry = entries.get(key);
        if (entry == null) {
            return KeyState.ABSENT;
        }
        return switch (entry.state) {
            case KeyedEntry.ACTIVATING -> KeyState.ACTIVATING;
            case KeyedEntry.LIVE -> KeyState.LIVE;
            case KeyedEntry.DRAINING, KeyedEntry.ENDING -> KeyState.ENDING;
            case KeyedEntry.GIVEN_UP -> KeyState.GIVEN_UP;
            default -> KeyState.ABSENT;
        };
    }

    /**
     * How many keys are live or activating now: what the bound on live keys counts.
     *
     * @return a sample of the count
     */
    public int liveCount() {
        return live.get();
    }

    /**
     * The keys live or activating now.
     *
     * @return an immutable snapshot, read key by key (not atomically)
     */
    public Set<K> liveKeys() {
        Set<K> keys = new HashSet<>();
        for (KeyedEntry<K, M> entry : entries.values()) {
            int state = entry.state;
            if (state == KeyedEntry.LIVE || state == KeyedEntry.ACTIVATING) {
                keys.add(entry.key);
            }
        }
        return Set.copyOf(keys);
    }

    /**
     * The group's name.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Stops the group: new messages are refused ({@link SendResult#STOPPED}), every message waiting
     * for a key's next life is reported dropped ({@link KeyedEvent.DropReason#STOPPED}; its ask
     * fails), every key's process is stopped with {@link StopReason#SHUTDOWN} (the message in
     * progress finishes, queued ones are reported dropped), activations in flight are waited for,
     * and {@link KeyedEvent.GroupStopped} is emitted. Idempotent: every call returns the same
     * future. Do not wait on it from a key's handler.
     *
     * @return completes once everything has ended
     */
    public CompletableFuture<Void> stop() {
        CompletableFuture<Void> done;
        synchronized (stopLock) {
            if (stopped != null) {
                return stopped;
            }
            done = new CompletableFuture<>();
            stopped = done;
        }
        // NOTE: Dekker with admit() and nextLife(): stopping is written before the map is read here,
        // and they make an entry visible (or count an activation) before they read stopping; so
        // every entry is either closed below or closes itself.
        stopping = true;
        List<Runnable> after = null;
        for (KeyedEntry<K, M> entry : entries.values()) {
            synchronized (entry) {
                if (entry.state == KeyedEntry.CLOSED) {
                    continue;
                }
                after = dropHeld(entry, KeyedEvent.DropReason.STOPPED, after);
                uncount(entry);
                cancelTimer(entry);
                entry.state = KeyedEntry.CLOSED;
            }
        }
        run(after);
        signalRoom();
        if (activations.get() == 0) {
            activationsDone.complete(null);
        }
        CompletableFuture.allOf(pool.stopAll(), activationsDone).whenComplete((ignored, error) -> finishStop(done));
        return done;
    }

    /**
     * Stops the group and waits: {@code stop().join()}.
     */
    @Override
    public void close() {
        stop().join();
    }

    @Override
    public String toString() {
        return "KeyedProcesses[" + name + ", " + live.get() + " live keys" + (stopping ? ", stopping" : "") + "]";
    }

    // -------------------------------------------------------------------------------------------
    // For the keys' refs and lives (package-private)

    /** The id of {@code key}'s processes. */
    ProcessId idOf(K key) {
        return new ProcessId(name + "/" + key);
    }

    /** Completes with {@link StopReason#SHUTDOWN} once the group has stopped. */
    CompletableFuture<StopReason> termination() {
        return termination;
    }

    ProcessStatus statusOf(K key) {
        if (termination.isDone()) {
            return ProcessStatus.STOPPED;
        }
        if (stopping) {
            return ProcessStatus.STOPPING;
        }
        KeyedEntry<K, M> entry = entries.get(key);
        return entry != null && entry.state == KeyedEntry.GIVEN_UP ? ProcessStatus.FAILED : ProcessStatus.RUNNING;
    }

    int mailboxSize(K key) {
        KeyedEntry<K, M> entry = entries.get(key);
        if (entry == null) {
            return 0;
        }
        synchronized (entry) {
            int queued = entry.process != null ? entry.process.mailboxSize() : 0;
            return (int) Math.min(Integer.MAX_VALUE, (long) queued + entry.buffered());
        }
    }

    /**
     * A send that waits up to {@code timeout} on the group's clock for room in a full mailbox (the
     * live process's, or the buffer of a key between lives).
     */
    boolean send(K key, M message, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(timeout, "timeout");
        long deadline = saturatedAdd(clock.monoNanos(), saturatedNanos(timeout));
        for (; ; ) {
            Object found = entryFor(key);
            if (found instanceof SendResult refused) {
                rejected(key, message, refused);
                return false;
            }
            KeyedEntry<K, M> entry = entry(found);
            ProcessRef<M> blockedOn = null;
            SendResult result = SendResult.ACCEPTED;
            long generation = 0;
            List<Runnable> after = null;
            synchronized (entry) {
                int state = entry.state;
                if (state == KeyedEntry.LIVE) {
                    // Waits outside the lock; a passivation meanwhile waits for this sender.
                    entry.blockedSenders++;
                    blockedOn = entry.process;
                } else if (state == KeyedEntry.ACTIVATING
                        || state == KeyedEntry.DRAINING
                        || state == KeyedEntry.ENDING) {
                    generation = roomGeneration.get();
                    Object evicted = hold(entry, message);
                    result = evicted == NO_ROOM ? SendResult.MAILBOX_FULL : SendResult.ACCEPTED;
                    after = reportEvicted(entry, evicted, after);
                } else if (state == KeyedEntry.GIVEN_UP) {
                    result = SendResult.GIVEN_UP;
                } else if (!stopping) {
                    continue;
                } else {
                    result = SendResult.STOPPED;
                }
            }
            run(after);
            if (blockedOn != null) {
                boolean accepted = false;
                try {
                    accepted = blockedOn.send(message, Duration.ofNanos(Math.max(0L, deadline - clock.monoNanos())));
                } finally {
                    unblock(entry, blockedOn);
                }
                if (accepted) {
                    touch(entry);
                    return true;
                }
                if (deadline - clock.monoNanos() <= 0 || blockedOn.status() == ProcessStatus.RUNNING) {
                    return false; // timed out; the process reported the refusal
                }
                continue; // its life ended meanwhile: the next one may take it
            }
            if (result == SendResult.ACCEPTED) {
                touch(entry);
                return true;
            }
            if (result == SendResult.MAILBOX_FULL && awaitRoom(generation, deadline)) {
                continue;
            }
            rejected(key, message, result);
            return false;
        }
    }

    /**
     * Called by a life after each message it handled (also after a throw), on its own thread.
     */
    void handled(KeyedLifeSpec<K, M, ?, ?> life, KeyedEntry<K, M> entry, ProcessRef<M> self, boolean threw) {
        if (idleNanos != 0) {
            life.lastActive(clock.monoNanos());
        }
        // NOTE: Dekker with beginDrain(). The drain recorded this message as consumed before its
        // handler ran; beginDrain sets draining, fences, then reads the consumed count (through
        // mailboxSize). After this fence, either this read sees draining and ends the life below
        // once the mailbox is empty, or beginDrain saw this message consumed and judged the mailbox
        // itself; a passivation can never be left waiting with nobody to end it.
        VarHandle.fullFence();
        if (life.draining) {
            List<Runnable> after = null;
            synchronized (entry) {
                if (entry.state == KeyedEntry.DRAINING
                        && entry.process == self
                        && entry.blockedSenders == 0
                        && self.mailboxSize() == 0) {
                    // After a throw the life is about to end on its failure, and a stop asked from
                    // its own thread would end only that life: the supervisor would restart the
                    // key. From another thread the stop is final, whenever it lands.
                    after = endNow(entry, after, threw);
                }
            }
            run(after);
        }
    }

    /** Learns when {@code process}'s life ends; cheap to call twice for one life. */
    void watch(KeyedEntry<K, M> entry, ProcessRef<M> process) {
        process.termination().whenComplete((reason, never) -> lifeEnded(entry, process, reason));
    }

    /** Ends {@code key}'s current life with {@code reason}, through its ref. */
    CompletableFuture<Void> stopKey(K key, StopReason reason) {
        Objects.requireNonNull(reason, "reason");
        KeyedEntry<K, M> entry = entries.get(key);
        if (entry == null) {
            return CompletableFuture.completedFuture(null);
        }
        List<Runnable> after = null;
        CompletableFuture<Void> ended;
        synchronized (entry) {
            KeyedEvent.PassivationCause cause =
                    reason instanceof StopReason.Passivated ? KeyedEvent.PassivationCause.REQUESTED : null;
            switch (entry.state) {
                case KeyedEntry.LIVE, KeyedEntry.DRAINING -> {
                    entry.endReason = reason;
                    entry.endCause = cause;
                    ended = entry.ended();
                    after = endNow(entry, after);
                }
                case KeyedEntry.ACTIVATING -> {
                    entry.endRequest = KeyedEntry.END_NOW;
                    entry.endReason = reason;
                    entry.endCause = cause;
                    uncount(entry);
                    ended = entry.ended();
                }
                case KeyedEntry.ENDING -> ended = entry.ended();
                case KeyedEntry.GIVEN_UP -> {
                    after = close(entry, after); // a stop lifts the quarantine
                    ended = CompletableFuture.completedFuture(null);
                }
                default -> ended = CompletableFuture.completedFuture(null);
            }
        }
        run(after);
        return ended;
    }

    // -------------------------------------------------------------------------------------------
    // Admission: a key's first message

    /** The present entry of {@code key}, making one if need be; or the {@link SendResult} refusing it. */
    private Object entryFor(K key) {
        KeyedEntry<K, M> entry = entries.get(key);
        return entry != null ? entry : admit(key);
    }

    private Object admit(K key) {
        if (stopping) {
            return SendResult.STOPPED;
        }
        if (!owns(key)) {
            return SendResult.NOT_OWNED;
        }
        ProcessSpec<M, ?, ?> spec;
        try {
            spec = Objects.requireNonNull(specs.apply(key), "the spec factory returned null");
        } catch (RuntimeException failure) {
            emitActivationFailed(key, failure);
            return SendResult.SPEC_FAILED;
        }
        KeyedEntry<K, M> fresh = new KeyedEntry<>(key, idOf(key), spec);
        fresh.counted = true;
        activations.incrementAndGet();
        KeyedEntry<K, M> existing = entries.putIfAbsent(key, fresh);
        if (existing != null) {
            activationEnded();
            return existing;
        }
        live.incrementAndGet();
        if (order != null) {
            order.touch(fresh);
        }
        // NOTE: Dekker with stop() and with an owner's change of mind (then release()): the entry is
        // in the map before stopping and ownership are read again here, and both of them write
        // before they look at the map; so either this sees the change, or they see this entry.
        boolean stopped = stopping;
        if (stopped || !owns(key)) {
            SendResult why = stopped ? SendResult.STOPPED : SendResult.NOT_OWNED;
            List<Runnable> after = null;
            synchronized (fresh) {
                if (fresh.state != KeyedEntry.CLOSED) {
                    // Other senders may have found the entry meanwhile: theirs were accepted.
                    after = dropHeld(
                            fresh, stopped ? KeyedEvent.DropReason.STOPPED : KeyedEvent.DropReason.RELEASED, after);
                    after = close(fresh, after);
                }
            }
            run(after);
            activationEnded();
            return why;
        }
        startActivation(fresh);
        evictIfOverBound(fresh);
        return fresh;
    }

    private boolean owns(K key) {
        if (ownership == null) {
            return true;
        }
        try {
            return ownership.owns(key);
        } catch (RuntimeException e) {
            return false; // documented: an owner that throws does not own the key
        }
    }

    // -------------------------------------------------------------------------------------------
    // Activation: spawning a key's life on a thread of the group

    private void startActivation(KeyedEntry<K, M> entry) {
        try {
            Thread thread = threads.newThread(() -> activate(entry));
            if (thread == null) {
                throw new IllegalStateException("the thread factory returned no thread");
            }
            thread.start();
        } catch (RuntimeException failure) {
            try {
                activationFailed(entry, failure);
            } finally {
                activationEnded();
            }
        }
    }

    private void activate(KeyedEntry<K, M> entry) {
        try {
            ProcessSpec<M, ?, ?> spec;
            synchronized (entry) {
                if (entry.state != KeyedEntry.ACTIVATING) {
                    return; // the group stopped first
                }
                spec = entry.spec;
            }
            SupervisorPool.Slot slot;
            try {
                slot = pool.acquire();
            } catch (RuntimeException failure) {
                activationFailed(entry, failure);
                return;
            }
            KeyedLifeSpec<K, M, ?, ?> life;
            try {
                life = spawn(slot.supervisor, spec, entry);
            } catch (RuntimeException failure) {
                pool.release(slot);
                activationFailed(
                        entry,
                        failure instanceof SpawnException && failure.getCause() != null ? failure.getCause() : failure);
                return;
            }
            ProcessRef<M> process = life.process;
            if (events != null) {
                emit(new KeyedEvent.Activated(clock.now(), name, entry.key, entry.id));
            }
            List<Runnable> after = null;
            boolean flushed;
            synchronized (entry) {
                if (entry.state != KeyedEntry.ACTIVATING) {
                    // Closed by the group's stop while init ran: end the life it would have had.
                    after = later(after, () -> process.stop(StopReason.SHUTDOWN));
                    after = later(after, () -> pool.release(slot));
                    flushed = false;
                } else {
                    entry.process = process;
                    entry.life = life;
                    entry.slot = slot;
                    life.lastActive(clock.monoNanos());
                    flushed = entry.buffer != null;
                    after = flush(entry, process, after);
                    entry.state = KeyedEntry.LIVE;
                    int request = entry.endRequest;
                    entry.endRequest = KeyedEntry.END_NONE;
                    if (request == KeyedEntry.END_NOW) {
                        after = endNow(entry, after);
                    } else if (request == KeyedEntry.END_DRAIN) {
                        after = beginDrain(entry, after);
                    } else {
                        armIdle(entry);
                    }
                }
            }
            run(after);
            if (flushed) {
                signalRoom();
            }
        } finally {
            activationEnded();
        }
    }

    @SuppressWarnings("unchecked")
    private KeyedLifeSpec<K, M, ?, ?> spawn(Supervisor supervisor, ProcessSpec<M, ?, ?> spec, KeyedEntry<K, M> entry) {
        ChildOptions options = childOptions.withId(entry.id);
        // The key is the context only for the spec of create(spec, options), whose context type is
        // a supertype of K; every other spec's context is Void. The casts only name those types.
        return keyIsContext
                ? spawnWithContext(supervisor, (ProcessSpec<M, Object, Object>) spec, entry, entry.key, options)
                : spawnWithoutContext(supervisor, (ProcessSpec<M, Object, Void>) spec, entry, options);
    }

    private <S> KeyedLifeSpec<K, M, S, Void> spawnWithoutContext(
            Supervisor supervisor, ProcessSpec<M, S, Void> spec, KeyedEntry<K, M> entry, ChildOptions options) {
        KeyedLifeSpec<K, M, S, Void> life = new KeyedLifeSpec<>(spec, this, entry);
        life.process = supervisor.spawn(life, options);
        return life;
    }

    private <S, C> KeyedLifeSpec<K, M, S, C> spawnWithContext(
            Supervisor supervisor, ProcessSpec<M, S, C> spec, KeyedEntry<K, M> entry, C ctx, ChildOptions options) {
        KeyedLifeSpec<K, M, S, C> life = new KeyedLifeSpec<>(spec, this, entry);
        life.process = supervisor.spawn(life, ctx, options);
        return life;
    }

    private void activationFailed(KeyedEntry<K, M> entry, Throwable error) {
        List<Runnable> after = null;
        boolean report;
        synchronized (entry) {
            if (entry.state != KeyedEntry.ACTIVATING) {
                return;
            }
            report = !stopping;
            after = dropHeld(
                    entry, report ? KeyedEvent.DropReason.ACTIVATION_FAILED : KeyedEvent.DropReason.STOPPED, after);
            after = report ? quarantine(entry, after) : close(entry, after);
        }
        if (report) {
            emitActivationFailed(entry.key, error);
        }
        run(after);
    }

    private void activationEnded() {
        // NOTE: Dekker with stop(): the count is written before stopping is read, and stop writes
        // stopping before it reads the count; one of the two completes activationsDone.
        if (activations.decrementAndGet() == 0 && stopping) {
            activationsDone.complete(null);
        }
    }

    /** Hands the messages that waited to the fresh process, in order. Guarded by entry. */
    private List<Runnable> flush(KeyedEntry<K, M> entry, ProcessRef<M> process, List<Runnable> after) {
        ArrayDeque<Object> held = entry.buffer;
        entry.buffer = null;
        if (held == null) {
            return after;
        }
        for (Object item : held) {
            if (item instanceof PendingAsk<?, ?> pending) {
                deliver(process, pending);
            } else {
                @SuppressWarnings("unchecked")
                M message = (M) item;
                if (!process.send(message)) {
                    after = dropped(after, entry.key, message, KeyedEvent.DropReason.REFUSED);
                }
            }
        }
        return after;
    }

    private <R> void deliver(ProcessRef<M> process, PendingAsk<?, R> pending) {
        if (pending.timer != null) {
            pending.timer.cancel();
        }
        @SuppressWarnings("unchecked")
        Function<Reply<R>, ? extends M> request = (Function<Reply<R>, ? extends M>) pending.request;
        // A pending ask whose time ran out is still delivered, as an ask timed out in a mailbox is
        // still handled; its future has failed already.
        long left = Math.max(1L, pending.deadline - clock.monoNanos());
        process.ask(request, Duration.ofNanos(left)).whenComplete((value, error) -> {
            if (error == null) {
                pending.answer.complete(value);
            } else {
                pending.answer.completeExceptionally(error);
            }
        });
    }

    // -------------------------------------------------------------------------------------------
    // Ends of lives: passivation, eviction, give-up, release

    /** Arms the idle timer of a key that just became live. Guarded by entry. */
    private void armIdle(KeyedEntry<K, M> entry) {
        if (idleNanos == 0) {
            return;
        }
        ProcessRef<M> life = entry.process;
        entry.timer = clock.schedule(idleTimeout, () -> idleCheck(entry, life));
    }

    private void idleCheck(KeyedEntry<K, M> entry, ProcessRef<M> life) {
        List<Runnable> after = null;
        synchronized (entry) {
            if (entry.process != life || entry.state != KeyedEntry.LIVE) {
                return;
            }
            long quiet = clock.monoNanos() - entry.life.lastActive();
            boolean atRest = ProcessInspection.idle(life);
            if (quiet < idleNanos || !atRest) {
                // Busy, or busy lately: look again when it could first have been idle long enough.
                long wait = atRest ? idleNanos - Math.max(0L, quiet) : idleNanos;
                entry.timer = clock.schedule(Duration.ofNanos(wait), () -> idleCheck(entry, life));
                return;
            }
            entry.endReason = StopReason.passivated("idle for " + idleTimeout);
            entry.endCause = KeyedEvent.PassivationCause.IDLE;
            after = beginDrain(entry, after);
        }
        run(after);
    }

    /** Passivates a live key: its messages wait from now on; the life ends once drained. Guarded by entry. */
    private List<Runnable> beginDrain(KeyedEntry<K, M> entry, List<Runnable> after) {
        entry.state = KeyedEntry.DRAINING;
        entry.life.draining = true;
        uncount(entry);
        cancelTimer(entry);
        VarHandle.fullFence(); // see handled(): draining is written before the mailbox is read
        if (entry.blockedSenders == 0 && entry.process.mailboxSize() == 0) {
            // The message in progress, if any, still finishes: a stop lets it.
            return endNow(entry, after);
        }
        return after;
    }

    /** Stops the current life with {@code entry.endReason} (once this lock is released). Guarded by entry. */
    private List<Runnable> endNow(KeyedEntry<K, M> entry, List<Runnable> after) {
        return endNow(entry, after, false);
    }

    /**
     * As {@link #endNow(KeyedEntry, List)}; {@code offThread} asks from another thread even when
     * the caller is the process's own. Guarded by entry.
     */
    private List<Runnable> endNow(KeyedEntry<K, M> entry, List<Runnable> after, boolean offThread) {
        entry.state = KeyedEntry.ENDING;
        uncount(entry);
        cancelTimer(entry);
        ProcessRef<M> process = entry.process;
        StopReason reason = entry.endReason;
        return later(after, () -> {
            if (offThread || reason instanceof StopReason.Error) {
                // From the process's own thread a supervised stop with an error would be taken as a
                // failure and restarted; from another thread every stop is final.
                threads.newThread(() -> process.stop(reason)).start();
            } else {
                process.stop(reason);
            }
            watch(entry, process);
        });
    }

    /** A life ended: decide what comes next for its key. */
    private void lifeEnded(KeyedEntry<K, M> entry, ProcessRef<M> process, StopReason reason) {
        List<Runnable> after = null;
        KeyedEvent event = null;
        synchronized (entry) {
            if (entry.process != process) {
                return; // seen already
            }
            entry.process = null;
            entry.life = null;
            SupervisorPool.Slot slot = entry.slot;
            entry.slot = null;
            if (slot != null) {
                // Once unlocked: releasing may stop an empty supervisor, which reports events.
                after = later(after, () -> pool.release(slot));
            }
            uncount(entry);
            cancelTimer(entry);
            CompletableFuture<Void> waiting = entry.takeEnded();
            if (waiting != null) {
                after = later(after, () -> waiting.complete(null));
            }
            KeyedEvent.PassivationCause cause = entry.endCause;
            entry.endCause = null;
            entry.endReason = null;
            if (entry.state == KeyedEntry.CLOSED) {
                // The group is stopping: it reports what waited and ends everything itself.
            } else if (reason instanceof StopReason.Error error) {
                if (events != null) {
                    event = new KeyedEvent.GaveUp(clock.now(), name, entry.key, entry.id, error.cause(), quarantine);
                }
                after = dropHeld(entry, KeyedEvent.DropReason.GAVE_UP, after);
                after = quarantine(entry, after);
            } else {
                if (reason instanceof StopReason.Passivated passivated && events != null) {
                    event = new KeyedEvent.Passivated(
                            clock.now(),
                            name,
                            entry.key,
                            entry.id,
                            passivated,
                            cause != null ? cause : KeyedEvent.PassivationCause.REQUESTED);
                }
                after = entry.buffered() > 0 ? nextLife(entry, after) : close(entry, after);
            }
        }
        if (event != null) {
            emit(event);
        }
        run(after);
    }

    /** Starts the key's next life for the messages that waited. Guarded by entry. */
    private List<Runnable> nextLife(KeyedEntry<K, M> entry, List<Runnable> after) {
        activations.incrementAndGet();
        // Counted before stopping is read: see activationEnded(), which runs once unlocked (it may
        // finish the group's stop, which takes every entry's lock in turn).
        if (stopping) {
            after = dropHeld(entry, KeyedEvent.DropReason.STOPPED, after);
            return later(close(entry, after), this::activationEnded);
        }
        if (!owns(entry.key)) {
            after = dropHeld(entry, KeyedEvent.DropReason.RELEASED, after);
            return later(close(entry, after), this::activationEnded);
        }
        ProcessSpec<M, ?, ?> spec;
        try {
            spec = Objects.requireNonNull(specs.apply(entry.key), "the spec factory returned null");
        } catch (RuntimeException failure) {
            after = dropHeld(entry, KeyedEvent.DropReason.ACTIVATION_FAILED, after);
            K key = entry.key;
            after = later(after, () -> emitActivationFailed(key, failure));
            return later(quarantine(entry, after), this::activationEnded);
        }
        entry.spec = spec;
        entry.state = KeyedEntry.ACTIVATING;
        entry.counted = true;
        live.incrementAndGet();
        if (order != null) {
            order.touch(entry);
        }
        return later(after, () -> {
            startActivation(entry);
            evictIfOverBound(entry);
        });
    }

    /** Quarantines a key given up on, or forgets it at once without a quarantine. Guarded by entry. */
    private List<Runnable> quarantine(KeyedEntry<K, M> entry, List<Runnable> after) {
        uncount(entry);
        cancelTimer(entry);
        CompletableFuture<Void> waiting = entry.takeEnded();
        if (waiting != null) {
            after = later(after, () -> waiting.complete(null));
        }
        if (quarantine.isZero()) {
            return close(entry, after);
        }
        entry.state = KeyedEntry.GIVEN_UP;
        entry.timer = clock.schedule(quarantine, () -> {
            List<Runnable> then = null;
            synchronized (entry) {
                if (entry.state == KeyedEntry.GIVEN_UP) {
                    entry.timer = null;
                    then = close(entry, then);
                }
            }
            run(then);
        });
        return after;
    }

    /** Forgets the key: the next message makes a new entry. Guarded by entry. */
    private List<Runnable> close(KeyedEntry<K, M> entry, List<Runnable> after) {
        entry.state = KeyedEntry.CLOSED;
        uncount(entry);
        cancelTimer(entry);
        entries.remove(entry.key, entry);
        CompletableFuture<Void> waiting = entry.takeEnded();
        if (waiting != null) {
            after = later(after, () -> waiting.complete(null));
        }
        return after;
    }

    /** Guarded by entry. */
    private void uncount(KeyedEntry<K, M> entry) {
        if (entry.counted) {
            entry.counted = false;
            live.decrementAndGet();
        }
        if (order != null) {
            order.remove(entry);
        }
    }

    /** Guarded by entry. */
    private static void cancelTimer(KeyedEntry<?, ?> entry) {
        if (entry.timer != null) {
            entry.timer.cancel();
            entry.timer = null;
        }
    }

    private void evictIfOverBound(KeyedEntry<K, M> except) {
        if (order == null) {
            return;
        }
        while (live.get() > maxLive) {
            KeyedEntry<K, M> victim = order.leastRecentlyUsed(except);
            if (victim == null) {
                return;
            }
            List<Runnable> after = null;
            int liveNow;
            synchronized (victim) {
                liveNow = live.get();
                if (!victim.counted || liveNow <= maxLive) {
                    liveNow = -1; // it left, or another thread made room meanwhile: look again
                } else {
                    victim.endReason = StopReason.passivated(
                            "least recently used of " + liveNow + " live keys (at most " + maxLive + ")");
                    victim.endCause = KeyedEvent.PassivationCause.EVICTED;
                    if (victim.state == KeyedEntry.LIVE) {
                        after = beginDrain(victim, after);
                    } else {
                        // Still activating (a counted entry is activating or live): it drains as
                        // soon as its process exists; it stops counting now.
                        victim.endRequest = KeyedEntry.END_DRAIN;
                        uncount(victim);
                    }
                }
            }
            if (liveNow >= 0 && events != null) {
                emit(new KeyedEvent.Evicted(clock.now(), name, victim.key, victim.id, liveNow, maxLive));
            }
            run(after);
        }
    }

    private void touch(KeyedEntry<K, M> entry) {
        if (order != null) {
            order.touchIfListed(entry);
        }
    }

    /** A blocked sender is done; if it held up a passivation, the passivation may finish now. */
    private void unblock(KeyedEntry<K, M> entry, ProcessRef<M> process) {
        List<Runnable> after = null;
        synchronized (entry) {
            entry.blockedSenders--;
            if (entry.state == KeyedEntry.DRAINING
                    && entry.process == process
                    && entry.blockedSenders == 0
                    && process.mailboxSize() == 0) {
                after = endNow(entry, after);
            }
        }
        run(after);
    }

    /**
     * Why the live process refused a send: a full mailbox, or its life has ended without the group
     * ending it (a give-up, or a stop from outside). A process that is merely suspended between a
     * failure and its restart takes sends, so only a life that has ended for good, or is being
     * stopped, counts as ended; until its end is complete a refusal reads as a full mailbox, which
     * a sender may retry. Guarded by entry.
     */
    private SendResult refusedByLife(ProcessRef<M> process) {
        CompletableFuture<StopReason> end = process.termination();
        if (end.isDone()) {
            return end.join() instanceof StopReason.Error ? SendResult.GIVEN_UP : SendResult.STOPPED;
        }
        ProcessStatus status = process.status();
        return status == ProcessStatus.STOPPING || status == ProcessStatus.STOPPED
                ? SendResult.STOPPED
                : SendResult.MAILBOX_FULL;
    }

    // -------------------------------------------------------------------------------------------
    // Messages held for a key's next life

    /** What {@link #hold} returns when there is no room. */
    private static final Object NO_ROOM = new Object();

    /**
     * Holds {@code item} for the key's next life. Under {@code DROP_OLDEST} the oldest held item
     * makes room, and is returned to be reported. Guarded by entry.
     *
     * @return {@code null} if held, the evicted item if one made room, {@link #NO_ROOM} if refused
     */
    private Object hold(KeyedEntry<K, M> entry, Object item) {
        ProcessSpec<M, ?, ?> spec = entry.spec;
        int capacity = spec.maxInbox();
        ArrayDeque<Object> held = entry.buffer;
        if (held == null) {
            held = new ArrayDeque<>(Math.min(Math.max(capacity, 1), 16));
            entry.buffer = held;
        }
        Object evicted = null;
        if (held.size() >= capacity) {
            if (spec.mailboxPolicy() != MailboxPolicy.DROP_OLDEST || held.isEmpty()) {
                return NO_ROOM;
            }
            evicted = held.pollFirst();
        }
        held.addLast(item);
        return evicted;
    }

    /** Reports an item {@link #hold} evicted, if any. Guarded by entry. */
    private List<Runnable> reportEvicted(KeyedEntry<K, M> entry, Object evicted, List<Runnable> after) {
        return evicted == null || evicted == NO_ROOM
                ? after
                : dropped(after, entry.key, evicted, KeyedEvent.DropReason.EVICTED);
    }

    /** Reports every held item as dropped. Guarded by entry. */
    private List<Runnable> dropHeld(KeyedEntry<K, M> entry, KeyedEvent.DropReason reason, List<Runnable> after) {
        ArrayDeque<Object> held = entry.buffer;
        entry.buffer = null;
        if (held == null || held.isEmpty()) {
            return after;
        }
        for (Object item : held) {
            after = dropped(after, entry.key, item, reason);
        }
        return later(after, this::signalRoom);
    }

    /** Reports one held item as dropped, once unlocked; an ask fails. */
    private List<Runnable> dropped(List<Runnable> after, K key, Object item, KeyedEvent.DropReason reason) {
        return later(after, () -> {
            Object message = item;
            if (item instanceof PendingAsk<?, ?> pending) {
                if (pending.timer != null) {
                    pending.timer.cancel();
                }
                pending.answer.completeExceptionally(new ProcessTerminatedException(
                        "key " + key + " of group '" + name + "' dropped the ask before it reached a process: "
                                + reason,
                        StopReason.SHUTDOWN));
                message = pending.request;
            }
            if (events != null) {
                emit(new KeyedEvent.MessageDropped(clock.now(), name, key, message, reason));
            }
        });
    }

    /** Waits for a buffer to empty somewhere, or the deadline; false if the deadline passed. */
    private boolean awaitRoom(long generation, long deadline) throws InterruptedException {
        long left = deadline - clock.monoNanos();
        if (left <= 0 || stopping) {
            return false;
        }
        // No real-time wait: a flush, a drop, the stop or this timer on the group's clock wakes us.
        Cancellable wakeUp = clock.schedule(Duration.ofNanos(left), this::signalRoom);
        roomLock.lock();
        try {
            // NOTE: Dekker with signalRoom(): the waiter count is raised before the generation is
            // read, and a signal bumps the generation before it reads the count; a signal that
            // comes between this read and the await waits for roomLock, which await releases.
            roomWaiters.incrementAndGet();
            try {
                while (roomGeneration.get() == generation && clock.monoNanos() - deadline < 0 && !stopping) {
                    room.await();
                }
            } finally {
                roomWaiters.decrementAndGet();
            }
            return clock.monoNanos() - deadline < 0 && !stopping;
        } finally {
            roomLock.unlock();
            wakeUp.cancel();
        }
    }

    private void signalRoom() {
        roomGeneration.incrementAndGet();
        if (roomWaiters.get() == 0) {
            return;
        }
        roomLock.lock();
        try {
            room.signalAll();
        } finally {
            roomLock.unlock();
        }
    }

    // -------------------------------------------------------------------------------------------
    // Stop

    private void finishStop(CompletableFuture<Void> done) {
        List<Runnable> after = null;
        for (KeyedEntry<K, M> entry : entries.values()) {
            synchronized (entry) {
                cancelTimer(entry);
                CompletableFuture<Void> waiting = entry.takeEnded();
                if (waiting != null) {
                    after = later(after, () -> waiting.complete(null));
                }
                // Messages that arrived for an entry already closed were refused; nothing is held.
                after = dropHeld(entry, KeyedEvent.DropReason.STOPPED, after);
            }
        }
        entries.clear();
        run(after);
        signalRoom();
        if (events != null) {
            emit(new KeyedEvent.GroupStopped(clock.now(), name));
        }
        termination.complete(StopReason.SHUTDOWN);
        done.complete(null);
    }

    // -------------------------------------------------------------------------------------------
    // Events and helpers

    private SendResult rejected(K key, Object message, SendResult reason) {
        if (events != null) {
            emit(new KeyedEvent.MessageRejected(clock.now(), name, key, message, reason));
        }
        return reason;
    }

    private <R> CompletableFuture<R> refusedAsk(K key, Object request, SendResult reason) {
        ProcessEvent.RejectReason why = reason == SendResult.MAILBOX_FULL
                ? ProcessEvent.RejectReason.MAILBOX_FULL
                : ProcessEvent.RejectReason.NOT_ACCEPTING;
        return CompletableFuture.failedFuture(new MessageRejectedException(
                "key " + key + " of group '" + name + "' did not accept the ask: " + reason, why));
    }

    private void emitActivationFailed(K key, Throwable error) {
        if (events != null) {
            emit(new KeyedEvent.ActivationFailed(clock.now(), name, key, error));
        }
    }

    private void emit(KeyedEvent event) {
        try {
            events.emit(event);
        } catch (Throwable ignored) {
            // A sink that throws must never break the group; events are the only log there is.
        }
    }

    private static List<Runnable> later(List<Runnable> after, Runnable effect) {
        List<Runnable> list = after == null ? new ArrayList<>(2) : after;
        list.add(effect);
        return list;
    }

    private static void run(List<Runnable> after) {
        if (after == null) {
            return;
        }
        for (Runnable effect : after) {
            try {
                effect.run();
            } catch (RuntimeException e) {
                // Each effect touches one process, one future or one event; a broken one must not
                // keep the others from happening. Failures of processes are reported by their events.
            }
        }
    }

    @SuppressWarnings("unchecked")
    private KeyedEntry<K, M> entry(Object found) {
        return (KeyedEntry<K, M>) found;
    }

    private Function<SupervisionStrategy, Supervisor> supervisorsFor(KeyedOptions<?> options) {
        AtomicInteger made = new AtomicInteger();
        return strategy -> {
            SupervisorOptions supervisorOptions = SupervisorOptions.of(options.clock())
                    .withStrategy(strategy)
                    .withId(new ProcessId(name + "/supervisor-" + made.incrementAndGet()));
            if (options.events().isPresent()) {
                supervisorOptions =
                        supervisorOptions.withEvents(options.events().get());
            }
            if (options.instrumentation().isPresent()) {
                supervisorOptions = supervisorOptions.withInstrumentation(
                        options.instrumentation().get());
            }
            if (options.threadFactory().isPresent()) {
                supervisorOptions = supervisorOptions.withThreadFactory(
                        options.threadFactory().get());
            }
            return new Supervisor(supervisorOptions);
        };
    }

    private static String requireName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        return name;
    }

    private static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException tooLong) {
            return duration.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? (b < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : sum;
    }

    /** An ask that waits for its key's next life; delivered with the same deadline. */
    private static final class PendingAsk<M, R> {
        final Function<Reply<R>, ? extends M> request;
        final Duration timeout;
        final long deadline;
        final CompletableFuture<R> answer = new CompletableFuture<>();
        /** Guarded by the entry that holds it. */
        Cancellable timer;

        PendingAsk(Function<Reply<R>, ? extends M> request, Duration timeout, long deadline) {
            this.request = request;
            this.timeout = timeout;
            this.deadline = deadline;
        }

        @Override
        public String toString() {
            return "PendingAsk[" + request + ", timeout " + timeout + "]";
        }
    }
}

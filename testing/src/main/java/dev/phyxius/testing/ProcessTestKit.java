package dev.phyxius.testing;

import dev.phyxius.clock.ClockEvent;
import dev.phyxius.clock.Event;
import dev.phyxius.clock.EventSink;
import dev.phyxius.process.ProcessEvent;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.Processes;
import dev.phyxius.process.SpawnException;
import dev.phyxius.process.SpawnOptions;
import dev.phyxius.process.StopReason;
import dev.phyxius.process.spi.ProcessInspection;
import dev.phyxius.supervisor.KeyedOptions;
import dev.phyxius.supervisor.KeyedProcesses;
import dev.phyxius.supervisor.SupervisionStrategy;
import dev.phyxius.supervisor.Supervisor;
import dev.phyxius.supervisor.SupervisorOptions;
import dev.phyxius.supervisor.spi.SupervisorInspection;
import dev.phyxius.testing.internal.EventJournal;
import dev.phyxius.testing.internal.KeyedTracker;
import dev.phyxius.testing.internal.SupervisionTracker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Runs processes on a {@link ControlledClock} and records everything they do, so that a test
 * reads as a script of time: send, {@link #advance(Duration) advance}, assert.
 *
 * <p><b>What the kit knows.</b> Every process spawned through {@link #spawn(ProcessSpec)},
 * {@link #probe(String)} or {@link #watch(ProcessRef)} is tracked, and so is every supervisor made
 * by {@link #supervisor(SupervisionStrategy)} with its children, and every keyed group made by
 * {@link #keyed(String, Function, KeyedOptions)} (or tracked by {@link #watch(KeyedProcesses)})
 * with its keys' processes; their events, and those of anything spawned with {@link #options()},
 * {@link #supervisorOptions()} or {@link #keyedOptions()}, go to {@link #events()}.
 *
 * <p><b>Quiescence.</b> {@link #awaitIdle()} returns once every tracked process and supervised
 * child is at rest (no queued message, no handler or lifecycle work running), no supervisor is
 * still deciding about a failure, no keyed group is activating a key or ending a life (its
 * {@code Passivated} or {@code GaveUp} recorded), and no timer is due on the clock; a timer that is due now is run
 * (without moving time). Time moves only in {@link #advance(Duration)},
 * which steps from one due timer to the next and waits for quiescence after each, so chains of
 * timers and messages run within one call exactly as they would in real time.
 *
 * <p><b>Teardown.</b> {@link #close()} stops everything the kit made;
 * {@link #assertNothingUnexpected()} then fails if a process failed or a message was dropped
 * without the test declaring it ({@link #expectFailures()}, {@link #expectDrops()}). The JUnit
 * extension ({@link PhyxiusTest}) does both after each test.
 *
 * <p><b>Threads.</b> Meant to be driven by one test thread; events may arrive from any thread.
 * Never call {@code awaitIdle} or {@code advance} from a handler: the process would wait for
 * itself. A handler blocked for good (on a latch, or in {@code clock().sleep} while nobody
 * advances) keeps its process busy, and {@code awaitIdle} then fails after its timeout, naming it.
 *
 * @since 0.1
 */
public final class ProcessTestKit implements AutoCloseable {

    /** How long, in real time, the kit waits for quiescence, events, messages and replies. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /** Real time a stop may take at teardown before the kit moves the clock to the next timer. */
    private static final Duration STOP_STEP = Duration.ofMillis(200);

    private final ControlledClock clock;
    private final SupervisionTracker supervision = new SupervisionTracker();
    private final KeyedTracker keyed = new KeyedTracker();
    private final EventJournal journal = new EventJournal(event -> {
        supervision.record(event);
        keyed.record(event);
    });
    /** Runs keyed activations on virtual threads, counted so that awaitIdle waits for them. */
    private final ThreadFactory activations = keyed.activations(
            Thread.ofVirtual().name("phyxius-kit-keyed-activation").factory());

    private final RecordedEvents events = new RecordedEvents(journal, DEFAULT_TIMEOUT);
    private final List<ProcessRef<?>> processes = new CopyOnWriteArrayList<>();
    private final List<Supervisor> supervisors = new CopyOnWriteArrayList<>();
    private final List<KeyedProcesses<?, ?>> groups = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean failuresExpected;
    private volatile boolean dropsExpected;
    /** Index of the first event recorded after {@link #close()} began; drops from then on are ours. */
    private volatile int teardownStartedAt = Integer.MAX_VALUE;

    private ProcessTestKit(Instant wall) {
        // Timer failures become ClockEvent.TaskFailed in the log, and so fail the test at teardown,
        // instead of escaping from whichever advance happened to run them.
        this.clock = ControlledClock.startingAt(wall, journal);
    }

    /**
     * Creates a kit whose clock reads wall time {@link Instant#EPOCH} and monotonic time 0.
     *
     * @return a new kit with nothing spawned
     */
    public static ProcessTestKit create() {
        return new ProcessTestKit(Instant.EPOCH);
    }

    /**
     * Creates a kit whose clock reads wall time {@code wall} and monotonic time 0.
     *
     * @param wall the initial wall time
     * @return a new kit with nothing spawned
     * @throws NullPointerException if {@code wall} is {@code null}
     */
    public static ProcessTestKit startingAt(Instant wall) {
        return new ProcessTestKit(Objects.requireNonNull(wall, "wall"));
    }

    /**
     * The kit's clock: advance it through {@link #advance(Duration)} to wait for the work each
     * timer starts; use it directly for {@link ControlledClock#jumpWall(Instant)}.
     *
     * @return the clock every process of the kit runs on
     */
    public ControlledClock clock() {
        return clock;
    }

    /**
     * The recorded events of everything the kit spawned, and of its clock.
     *
     * @return the live view of the event log
     */
    public RecordedEvents events() {
        return events;
    }

    /**
     * The sink that records into {@link #events()}, for code that takes a sink rather than
     * options: an observability's {@code forwardTo}, a sink that fans out to several. Events
     * emitted to it are recorded, and fail {@link #assertNothingUnexpected()}, like those of the
     * kit's own processes. Do not also give it to options that already record into the kit (such
     * as {@link #options()}), or each event is recorded twice.
     *
     * @return the kit's event sink
     */
    public EventSink eventSink() {
        return journal;
    }

    /**
     * Spawn options wired to the kit's clock and event sink, for {@code Processes.spawn} or for
     * adding an id or a shutdown timeout. A process spawned with them is recorded but not
     * tracked: pass its ref to {@link #watch(ProcessRef)} so that {@code awaitIdle} waits for it
     * and {@code close} stops it.
     *
     * @return new options with no context
     */
    public SpawnOptions<Void> options() {
        return SpawnOptions.of(clock).withEvents(journal);
    }

    /**
     * Supervisor options wired to the kit's clock and event sink, with the default strategy. A
     * supervisor made with them is recorded but not tracked; prefer
     * {@link #supervisor(SupervisionStrategy)}.
     *
     * @return new options
     */
    public SupervisorOptions supervisorOptions() {
        return SupervisorOptions.of(clock).withEvents(journal);
    }

    /**
     * Creates and tracks a one-for-one supervisor with the default intensity and no backoff.
     *
     * @return a running supervisor with no children, on the kit's clock and sink
     * @throws IllegalStateException if the kit is closed
     */
    public Supervisor supervisor() {
        return supervisor(SupervisionStrategy.oneForOne());
    }

    /**
     * Creates and tracks a supervisor: {@code awaitIdle} waits for its children and its
     * decisions, and {@code close} stops it (before the kit's own processes).
     *
     * @param strategy how it restarts its children
     * @return a running supervisor with no children, on the kit's clock and sink
     * @throws NullPointerException  if {@code strategy} is {@code null}
     * @throws IllegalStateException if the kit is closed
     */
    public Supervisor supervisor(SupervisionStrategy strategy) {
        Objects.requireNonNull(strategy, "strategy");
        return supervisor(supervisorOptions().withStrategy(strategy));
    }

    /**
     * Creates and tracks a supervisor from options of your own, usually {@link #supervisorOptions()}
     * extended (an observability applied to them, an id, a strategy), as
     * {@link #supervisor(SupervisionStrategy)} does. For a keyed group whose processes should carry
     * those options: {@code kit.keyedOptions().withSupervisors(strategy -> kit.supervisor(
     * myOptions.withStrategy(strategy)))}.
     *
     * @param options the supervisor's options; their events should reach {@link #events()}
     * @return a running supervisor with no children
     * @throws NullPointerException     if {@code options} is {@code null}
     * @throws IllegalArgumentException if {@code options} are not on the kit's clock
     * @throws IllegalStateException    if the kit is closed
     */
    public Supervisor supervisor(SupervisorOptions options) {
        Objects.requireNonNull(options, "options");
        if (options.clock() != clock) {
            throw new IllegalArgumentException(
                    "options must be on the kit's clock (use kit.supervisorOptions()), was " + options.clock());
        }
        Supervisor supervisor = new Supervisor(options);
        if (closed.get()) {
            supervisor.stop();
            throw new IllegalStateException("the kit is closed; make supervisors before closing it");
        }
        supervisors.add(supervisor);
        return supervisor;
    }

    /**
     * Options for a keyed group on the kit: its clock, its event sink, supervisors made and
     * tracked by the kit ({@link #supervisor(SupervisionStrategy)}), and activations on threads
     * the kit counts. Give them to {@link #keyed(String, Function, KeyedOptions)} (after any
     * {@code with...} of your own; another event sink, unless it also feeds these options' one, or
     * another supervisor maker, unless it makes supervisors with {@link #supervisor(SupervisorOptions)},
     * would hide the group's work from the kit). Then {@link #advance(Duration)} past the idle timeout passivates
     * exactly the keys idle that long, and returns once their {@code KeyedEvent.Passivated} is
     * recorded:
     * <pre>{@code
     * KeyedProcesses<String, Msg> carts = kit.keyed("carts", key -> cartSpec(key),
     *         kit.keyedOptions().withIdleTimeout(Duration.ofMinutes(30)));
     * carts.send("alice", new Add("book"));
     * kit.advance(Duration.ofMinutes(30));
     * kit.events().assertCount(KeyedEvent.Passivated.class, 1);
     * }</pre>
     *
     * @return new options, every key owned by the group
     */
    public KeyedOptions<Object> keyedOptions() {
        return KeyedOptions.of(clock)
                .withEvents(journal)
                .withSupervisors(this::supervisor)
                .withThreadFactory(activations);
    }

    /**
     * Creates and tracks a keyed group whose keys' processes are built by {@code specs}:
     * {@code awaitIdle} and {@code advance} wait for its activations, its passivations and its
     * give-ups, and {@code close} stops it (before the kit's supervisors). Its activations run on
     * the kit's counted threads even if {@code options} named another factory.
     *
     * @param name    the group's name
     * @param specs   builds the spec of a key's process
     * @param options usually {@link #keyedOptions()} with the group's own settings
     * @param <K>     the key type
     * @param <M>     the message type
     * @return the running group, with no key live
     * @throws NullPointerException     if an argument is {@code null}
     * @throws IllegalArgumentException if {@code options} are not on the kit's clock, or
     *                                  {@code name} is blank
     * @throws IllegalStateException    if the kit is closed
     */
    public <K, M> KeyedProcesses<K, M> keyed(
            String name,
            Function<? super K, ? extends ProcessSpec<M, ?, Void>> specs,
            KeyedOptions<? super K> options) {
        Objects.requireNonNull(specs, "specs");
        return watch(KeyedProcesses.create(name, specs, onTheKit(options)));
    }

    /**
     * Creates and tracks a keyed group whose keys all run {@code spec} with the key as context,
     * as {@link #keyed(String, Function, KeyedOptions)} does.
     *
     * @param spec    what every key's process is
     * @param options usually {@link #keyedOptions()} with the group's own settings
     * @param <K>     the key type
     * @param <M>     the message type
     * @return the running group, named after the spec, with no key live
     * @throws NullPointerException     if an argument is {@code null}
     * @throws IllegalArgumentException if {@code options} are not on the kit's clock
     * @throws IllegalStateException    if the kit is closed
     */
    public <K, M> KeyedProcesses<K, M> keyed(ProcessSpec<M, ?, ? super K> spec, KeyedOptions<? super K> options) {
        Objects.requireNonNull(spec, "spec");
        return watch(KeyedProcesses.<K, M>create(spec, onTheKit(options)));
    }

    private <K> KeyedOptions<K> onTheKit(KeyedOptions<K> options) {
        Objects.requireNonNull(options, "options");
        if (options.clock() != clock) {
            throw new IllegalArgumentException(
                    "options must be on the kit's clock (use kit.keyedOptions()), was " + options.clock());
        }
        ThreadFactory given = options.threadFactory().orElse(activations);
        return given == activations ? options : options.withThreadFactory(keyed.activations(given));
    }

    /**
     * Tracks a keyed group made elsewhere with {@link #keyedOptions()}: {@code awaitIdle} waits for
     * its activations, passivations and give-ups, and {@code close} stops it. A group made with
     * another thread factory hides its activations from the kit: prefer
     * {@link #keyed(String, Function, KeyedOptions)}.
     *
     * @param group the group
     * @param <K>   the key type
     * @param <M>   the message type
     * @return {@code group}, for chaining
     * @throws NullPointerException  if {@code group} is {@code null}
     * @throws IllegalStateException if the kit is closed
     */
    public <K, M> KeyedProcesses<K, M> watch(KeyedProcesses<K, M> group) {
        Objects.requireNonNull(group, "group");
        if (closed.get()) {
            group.stop();
            throw new IllegalStateException("the kit is closed; group '" + group.name() + "' was stopped");
        }
        groups.add(group);
        return group;
    }

    /**
     * Spawns and tracks a process that needs no context.
     *
     * @param spec what the process is
     * @param <M>  the message type
     * @param <S>  the state type
     * @return its running ref
     * @throws SpawnException        if {@code init} throws
     * @throws NullPointerException  if {@code spec} is {@code null}
     * @throws IllegalStateException if the kit is closed
     */
    public <M, S> ProcessRef<M> spawn(ProcessSpec<M, S, Void> spec) {
        Objects.requireNonNull(spec, "spec");
        return watch(Processes.spawn(spec, options()));
    }

    /**
     * Spawns and tracks a process whose {@code init} and {@code onStop} receive {@code ctx}.
     *
     * @param spec what the process is
     * @param ctx  its context
     * @param <M>  the message type
     * @param <S>  the state type
     * @param <C>  the context type
     * @return its running ref
     * @throws SpawnException        if {@code init} throws
     * @throws NullPointerException  if an argument is {@code null}
     * @throws IllegalStateException if the kit is closed
     */
    public <M, S, C> ProcessRef<M> spawn(ProcessSpec<M, S, C> spec, C ctx) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(ctx, "ctx");
        return watch(Processes.spawn(spec, options().withContext(ctx)));
    }

    /**
     * Tracks a process spawned elsewhere (usually with {@link #options()}): {@code awaitIdle}
     * waits for it and {@code close} stops it.
     *
     * @param ref a ref from {@code Processes.spawn}, or a probe
     * @param <M> the message type
     * @return {@code ref}, for chaining
     * @throws IllegalArgumentException if {@code ref} was not made by Phyxius
     * @throws NullPointerException     if {@code ref} is {@code null}
     * @throws IllegalStateException    if the kit is closed
     */
    public <M> ProcessRef<M> watch(ProcessRef<M> ref) {
        Objects.requireNonNull(ref, "ref");
        ProcessRef<?> real = ref instanceof TestProbe<?> probe ? probe.process() : ref;
        ProcessInspection.idle(real); // fails now, not inside awaitIdle, for a foreign ref
        if (closed.get()) {
            // A process spawned after teardown would outlive the test.
            real.stop(StopReason.SHUTDOWN);
            throw new IllegalStateException("the kit is closed; " + ref.name() + " was stopped");
        }
        processes.add(real);
        return ref;
    }

    /**
     * Spawns a probe: a process that records every message it receives, for the test to expect.
     *
     * @param name the probe's process name, shown in failure messages
     * @param <M>  the message type
     * @return the probe, tracked like any process of the kit
     * @throws NullPointerException     if {@code name} is {@code null}
     * @throws IllegalArgumentException if {@code name} is blank
     * @throws IllegalStateException    if the kit is closed
     */
    public <M> TestProbe<M> probe(String name) {
        Objects.requireNonNull(name, "name");
        TestProbe<M> probe = TestProbe.spawn(this, name);
        watch(probe.process());
        return probe;
    }

    /**
     * Creates a reply probe: a {@code Reply} to put into a request message in place of an ask,
     * which records the answer for the test to expect.
     *
     * @param <R> the answer's type
     * @return a new reply probe with no answer
     */
    public <R> ReplyProbe<R> replyProbe() {
        return new ReplyProbe<>(this);
    }

    /**
     * Waits, up to {@link #DEFAULT_TIMEOUT} of real time, until the system is quiescent; see
     * {@link #awaitIdle(Duration)}.
     *
     * @throws AssertionError if it does not come to rest in time; the message names the busy
     *                        processes and holds the event log
     */
    public void awaitIdle() {
        awaitIdle(DEFAULT_TIMEOUT);
    }

    /**
     * Waits until every tracked process is at rest and no timer is due, with both seen twice in a
     * row (a handler that just finished may have sent or scheduled). Timers already due are run
     * without moving time, and their work awaited too. Time does not move otherwise: a timer due
     * later stays pending.
     *
     * @param timeout how long to wait, in real time
     * @throws AssertionError       if it does not come to rest in time; the message names the busy
     *                              processes and holds the event log
     * @throws NullPointerException if {@code timeout} is {@code null}
     */
    public void awaitIdle(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        long deadline = System.nanoTime() + timeout.toNanos();
        int quietInARow = 0;
        int spins = 0;
        while (true) {
            if (processesAtRest()) {
                if (timerDue()) {
                    // A due timer runs only inside an advance; ZERO runs it without moving time.
                    clock.advance(Duration.ZERO);
                    quietInARow = 0;
                    continue;
                }
                if (++quietInARow >= 2) {
                    return;
                }
                // Give a thread that is just finishing its handover (a future's callback, a
                // supervisor's decision) the chance to show itself before the second look.
                Thread.yield();
                continue;
            }
            quietInARow = 0;
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("the processes did not come to rest within " + timeout + " (real time); busy: "
                        + busyProcesses() + "; " + clock + "\n" + events.describe());
            }
            if (++spins < 1_000) {
                // A process usually rests microseconds after its last event: look again soon.
                Thread.yield();
            } else {
                waitForAnEvent(Math.min(left, TimeUnit.MILLISECONDS.toNanos(1)));
            }
        }
    }

    /**
     * Waits, up to {@link #DEFAULT_TIMEOUT} of real time, until {@code condition} holds; see
     * {@link #awaitCondition(String, BooleanSupplier, Duration)}.
     *
     * @param what      the condition in words, for the failure message
     * @param condition the state to wait for
     * @throws AssertionError       if it does not hold in time; the message names it and holds
     *                              the event log
     * @throws NullPointerException if an argument is {@code null}
     */
    public void awaitCondition(String what, BooleanSupplier condition) {
        awaitCondition(what, condition, DEFAULT_TIMEOUT);
    }

    /**
     * Waits until {@code condition} holds, for a state no event announces and {@link #awaitIdle()}
     * cannot reach (a timer armed while a handler is held, a thread parked on a full mailbox). The
     * condition is checked at once, after every recorded event and at least every millisecond.
     * Neither the clock nor any process is moved: prefer {@link RecordedEvents#awaitEvent} when an
     * event says what the test waits for.
     *
     * @param what      the condition in words, for the failure message
     * @param condition the state to wait for; called on the test thread, so it must not block
     * @param timeout   how long to wait, in real time
     * @throws AssertionError       if it does not hold in time; the message names it and holds
     *                              the event log
     * @throws NullPointerException if an argument is {@code null}
     */
    public void awaitCondition(String what, BooleanSupplier condition, Duration timeout) {
        Objects.requireNonNull(what, "what");
        Objects.requireNonNull(condition, "condition");
        Objects.requireNonNull(timeout, "timeout");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("timed out after " + timeout + " (real time) waiting until " + what + "; "
                        + clock + "\n" + events.describe());
            }
            waitForAnEvent(Math.min(left, TimeUnit.MILLISECONDS.toNanos(1)));
        }
    }

    /**
     * Moves the clock forward by {@code by} as real time would: waits for quiescence, then steps
     * to each timer that falls due within {@code by}, runs it and waits for quiescence again
     * (so a timer whose message schedules another timer inside the window sees that one run too),
     * and finally moves to the end of the window and waits for quiescence.
     *
     * @param by how far to move; {@link Duration#ZERO} just runs what is due and settles
     * @throws AssertionError           if the system does not come to rest within
     *                                  {@link #DEFAULT_TIMEOUT} at some step
     * @throws NullPointerException     if {@code by} is {@code null}
     * @throws IllegalArgumentException if {@code by} is negative
     */
    public void advance(Duration by) {
        Objects.requireNonNull(by, "by");
        if (by.isNegative()) {
            throw new IllegalArgumentException("by must not be negative, was " + by);
        }
        long target = saturatedAdd(clock.monoNanos(), saturatedNanos(by));
        awaitIdle();
        while (true) {
            Optional<Duration> untilNext = clock.untilNextTimer();
            if (untilNext.isEmpty()) {
                break;
            }
            long now = clock.monoNanos();
            long due = saturatedAdd(now, untilNext.get().toNanos());
            if (due > target) {
                break;
            }
            // Exactly to the due time, never past target, even if a timer was added meanwhile.
            clock.advance(Duration.ofNanos(due - now));
            awaitIdle();
        }
        long rest = target - clock.monoNanos();
        if (rest > 0) {
            clock.advance(Duration.ofNanos(rest));
        }
        awaitIdle();
    }

    /**
     * Declares that the test provokes process failures: {@code ProcessEvent.Failed},
     * {@code ProcessEvent.CleanupFailed} and {@code ClockEvent.TaskFailed} no longer fail
     * {@link #assertNothingUnexpected()}. Assert on them through {@link #events()}.
     */
    public void expectFailures() {
        failuresExpected = true;
    }

    /**
     * Declares that the test provokes dropped messages (evicted from a full mailbox, or still
     * queued at a stop the test made): they no longer fail {@link #assertNothingUnexpected()}.
     */
    public void expectDrops() {
        dropsExpected = true;
    }

    /**
     * Asserts that nothing went wrong unnoticed: no failure ({@code ProcessEvent.Failed}, also of a
     * supervised child that was restarted; {@code ProcessEvent.CleanupFailed};
     * {@code ClockEvent.TaskFailed}) unless
     * {@link #expectFailures()} was called, and no dropped message unless {@link #expectDrops()}
     * was called. Not counted as drops: a message dropped because its process failed (it comes
     * with a failure), a superseded keyed timer message (the documented effect of rescheduling),
     * and messages still queued when {@link #close()} stopped their process.
     *
     * @throws AssertionError listing what was unexpected, with the event log; its cause is the
     *                        first unexpected failure's error
     */
    public void assertNothingUnexpected() {
        List<Event> all = events.all();
        List<String> problems = new ArrayList<>();
        Throwable firstError = null;
        for (int i = 0; i < all.size(); i++) {
            Event event = all.get(i);
            Throwable error = failureOf(event);
            if (error != null && !failuresExpected) {
                problems.add(
                        "#" + i + " " + RecordedEvents.typeName(event.getClass()) + " " + about(event) + ": " + error);
                firstError = firstError == null ? error : firstError;
            }
            if (event instanceof ProcessEvent.MessageDropped dropped && !dropsExpected && countsAsDrop(dropped, i)) {
                problems.add("#" + i + " MessageDropped " + dropped.name() + " (" + dropped.reason() + "): "
                        + dropped.message());
            }
        }
        if (!problems.isEmpty()) {
            String hint = "; call expectFailures() or expectDrops() on the kit if the test provokes them";
            AssertionError failure = new AssertionError("unexpected failures or drops" + hint + ":\n  "
                    + String.join("\n  ", problems) + "\n" + events.describe());
            if (firstError != null) {
                failure.initCause(firstError);
            }
            throw failure;
        }
    }

    /**
     * Stops everything the kit tracks (its supervisors first, then its own processes, newest
     * first) with {@link StopReason#SHUTDOWN}, and waits up to
     * {@link #DEFAULT_TIMEOUT} of real time for it. While a handler keeps a stop waiting, the kit
     * moves the clock from one due timer to the next (a short real-time pause between steps), so
     * that a handler sleeping on the clock wakes and, failing that, the stop's shutdown timeout
     * interrupts it. Idempotent; nothing can be spawned through the kit afterwards.
     *
     * @throws AssertionError if a process does not stop in time
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        teardownStartedAt = journal.size();
        List<ProcessRef<?>> tracked = new ArrayList<>(processes);
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        // Keyed groups before everything: a group reports what waits for a key's next life and
        // stops its own supervisors, which would otherwise see their children stopped under them.
        for (int i = groups.size() - 1; i >= 0; i--) {
            stops.add(groups.get(i).stop());
        }
        // Supervisors next, newest first: stopping their children directly would look like
        // failures or final stops to them, and a stopped supervisor restarts nothing.
        for (int i = supervisors.size() - 1; i >= 0; i--) {
            stops.add(supervisors.get(i).stop());
        }
        // Newest first, as a supervisor stops its children: later processes may use earlier ones.
        for (int i = tracked.size() - 1; i >= 0; i--) {
            stops.add(tracked.get(i).stop(StopReason.SHUTDOWN));
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new));
        long deadline = System.nanoTime() + DEFAULT_TIMEOUT.toNanos();
        // A stop waits for the handler in progress, which may wait for this clock (a sleep, or
        // the stop's own shutdown timer that interrupts it): step through the timers, one due
        // time at a time, so that a sleeper wakes before a shutdown timer would interrupt it.
        while (!waitFor(all, STOP_STEP)) {
            if (System.nanoTime() - deadline >= 0 || !clock.advanceToNextTimer()) {
                if (waitFor(all, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                    return;
                }
                throw new AssertionError("processes did not stop within " + DEFAULT_TIMEOUT + " (real time): "
                        + busyProcesses() + "; " + clock + "\n" + events.describe());
            }
        }
    }

    /**
     * Describes the clock and the tracked processes, for failure messages.
     *
     * @return the description
     */
    @Override
    public String toString() {
        return "ProcessTestKit[" + clock + ", processes="
                + allProcesses().stream().map(ProcessTestKit::describe).toList()
                + ", supervisors=" + supervisors + ", keyed groups="
                + groups.stream().map(KeyedProcesses::name).toList()
                + "]";
    }

    boolean processesAtRest() {
        for (ProcessRef<?> ref : processes) {
            if (!ProcessInspection.idle(ref)) {
                return false;
            }
        }
        for (Supervisor supervisor : supervisors) {
            if (SupervisorInspection.deciding(supervisor)) {
                return false;
            }
            for (ProcessRef<?> child : supervisor.children()) {
                if (!ProcessInspection.idle(child)) {
                    return false;
                }
            }
        }
        for (KeyedProcesses<?, ?> group : groups) {
            if (!keyed.atRest(group)) {
                return false;
            }
        }
        return supervision.deciding().isEmpty();
    }

    /** Tracked processes and supervised children; a child adopted from the kit appears twice. */
    private List<ProcessRef<?>> allProcesses() {
        List<ProcessRef<?>> all = new ArrayList<>(processes);
        for (Supervisor supervisor : supervisors) {
            all.addAll(supervisor.children());
        }
        return all;
    }

    private boolean timerDue() {
        return clock.untilNextTimer().map(Duration::isZero).orElse(false);
    }

    private List<String> busyProcesses() {
        List<String> busy = new ArrayList<>(allProcesses().stream()
                .filter(ref -> !ProcessInspection.idle(ref))
                .map(ProcessTestKit::describe)
                .distinct()
                .toList());
        for (KeyedProcesses<?, ?> group : groups) {
            busy.addAll(keyed.busy(group));
        }
        for (String decision : supervision.deciding()) {
            busy.add("a supervisor deciding: " + decision);
        }
        for (Supervisor supervisor : supervisors) {
            if (SupervisorInspection.deciding(supervisor)) {
                busy.add("supervisor " + supervisor.id().value() + " carrying out a decision");
            }
        }
        return busy;
    }

    private static String describe(ProcessRef<?> ref) {
        return ref.name() + " (" + ref.id().value() + ", " + ref.status() + ")";
    }

    private void waitForAnEvent(long nanos) {
        try {
            journal.awaitMoreThan(journal.size(), Duration.ofNanos(nanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the processes to come to rest", e);
        }
    }

    private static boolean waitFor(CompletableFuture<?> future, Duration timeout) {
        try {
            future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true; // stop futures do not fail; if one did, it is over all the same
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while stopping the kit's processes", e);
        }
    }

    private boolean countsAsDrop(ProcessEvent.MessageDropped dropped, int index) {
        return switch (dropped.reason()) {
            // Reported with the failure that caused it, or the documented effect of rescheduling.
            case HANDLER_FAILED, FAILED, SUPERSEDED -> false;
            // Left in the mailbox when the kit tore the test down: the kit's doing, not the code's.
            case STOPPED -> index < teardownStartedAt;
            case EVICTED -> true;
        };
    }

    private static Throwable failureOf(Event event) {
        if (event instanceof ProcessEvent.Failed failed) {
            return failed.error();
        }
        if (event instanceof ProcessEvent.CleanupFailed cleanup) {
            return cleanup.error();
        }
        if (event instanceof ClockEvent.TaskFailed task) {
            return task.error();
        }
        return null;
    }

    private static String about(Event event) {
        return event instanceof ProcessEvent process
                ? process.name() + " (" + process.id().value() + ")"
                : "";
    }

    private static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException overflow) {
            return Long.MAX_VALUE;
        }
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
}

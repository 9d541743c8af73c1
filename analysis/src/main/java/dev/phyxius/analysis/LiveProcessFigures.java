package dev.phyxius.analysis;

import dev.phyxius.analysis.internal.Histogram;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;

/**
 * The per-process figures of the report, kept rolling in the running JVM from the
 * {@code dev.phyxius.*} JFR events through a {@link RecordingStream}: for a health endpoint or a
 * periodic log line.
 *
 * <pre>{@code
 * try (LiveProcessFigures live = LiveProcessFigures.start(LiveProcessFigures.Options.defaults())) {
 *     ...
 *     live.snapshot().forEach((name, figures) -> log.info(name + ": " + figures.handled() + " handled, p99 "
 *             + figures.handling().p99()));
 * }
 * }</pre>
 *
 * <p>The process must run with the observability's JFR bridge on ({@code .jfr(true)}); the stream
 * enables the events it reads itself, in this JVM only. Counts (handled, failures, restarts,
 * give-ups, drops, refusals) cover the last {@linkplain Options#window() window}; handling and
 * mailbox-wait percentiles cover the messages above the {@linkplain Options#messageThreshold()
 * threshold} (10 ms by default, as in {@code phyxius.jfc}, so that a busy process does not write
 * an event per message; {@link Duration#ZERO} records every message, at a cost measured in
 * benchmarks/README.md).
 *
 * <p>Bounded: the window is kept as six slots of fixed-size histograms per process name, at most
 * {@linkplain Options#maxProcessNames() 1,000 names} (further names are counted under
 * {@code _other}), a name is forgotten once it has had nothing to report for a window, and the
 * stream keeps at most {@linkplain Options#window() a window} of events on disk. Thread-safe: the
 * stream's thread writes, any thread reads.
 *
 * @since 0.1
 */
public final class LiveProcessFigures implements AutoCloseable {

    private static final int SLOTS = 6;
    private static final String OVERFLOW = "_other";

    private final Options options;
    private final long slotNanos;
    private final RecordingStream stream;
    private final ConcurrentHashMap<String, Rolling> byName = new ConcurrentHashMap<>();

    private LiveProcessFigures(Options options) {
        this.options = options;
        this.slotNanos = Math.max(1, options.window.toNanos() / SLOTS);
        this.stream = new RecordingStream();
        stream.setMaxAge(options.window);
        stream.enable("dev.phyxius.MessageHandled").withThreshold(options.messageThreshold);
        stream.enable("dev.phyxius.ProcessStatistics").withPeriod(options.statisticsPeriod);
        for (String name : new String[] {
            "dev.phyxius.MessageDropped",
            "dev.phyxius.MessageRejected",
            "dev.phyxius.ProcessFailed",
            "dev.phyxius.ProcessRestarted",
            "dev.phyxius.SupervisorGaveUp"
        }) {
            stream.enable(name);
        }
        stream.onEvent("dev.phyxius.MessageHandled", on(e -> string(e, "processName"), (r, e, slot) -> {
            slot.handling.record(e.getDuration().toNanos());
            long queued = e.getDuration("queued").toNanos();
            if (queued >= 0) { // negative: outside the process's timing sample, not measured
                slot.mailboxWait.record(queued);
            }
            if (string(e, "errorType") == null) {
                slot.recordedNormal++;
            }
            slot.recorded++;
        }));
        stream.onEvent("dev.phyxius.ProcessStatistics", on(e -> string(e, "processName"), (r, e, slot) -> {
            r.statistics = true;
            slot.handled += e.getLong("handled");
            r.liveProcesses = e.getInt("liveProcesses");
            r.mailboxSize = e.getLong("mailboxSize");
        }));
        stream.onEvent("dev.phyxius.ProcessFailed", on(e -> string(e, "processName"), (r, e, slot) -> slot.failures++));
        stream.onEvent(
                "dev.phyxius.ProcessRestarted", on(e -> string(e, "processName"), (r, e, slot) -> slot.restarts++));
        stream.onEvent("dev.phyxius.MessageDropped", on(e -> string(e, "processName"), (r, e, slot) -> {
            if (!"HANDLER_FAILED".equals(string(e, "reason"))) {
                slot.dropped++;
            }
        }));
        stream.onEvent(
                "dev.phyxius.MessageRejected", on(e -> string(e, "processName"), (r, e, slot) -> slot.rejected++));
        stream.onEvent("dev.phyxius.SupervisorGaveUp", on(e -> string(e, "childName"), (r, e, slot) -> slot.giveUps++));
    }

    /**
     * Starts the stream in the background.
     *
     * @param options the window, threshold and limits
     * @return the running figures; close it to stop the stream
     * @throws NullPointerException if {@code options} is {@code null}
     */
    public static LiveProcessFigures start(Options options) {
        LiveProcessFigures live = new LiveProcessFigures(Objects.requireNonNull(options, "options"));
        live.stream.startAsync();
        return live;
    }

    /**
     * The figures of every process name with something to report in the last window, by name.
     *
     * @return a snapshot, sorted by name
     */
    public Map<String, ProcessFigures> snapshot() {
        long now = nanos(Instant.now());
        Map<String, ProcessFigures> figures = new TreeMap<>();
        for (Map.Entry<String, Rolling> entry : byName.entrySet()) {
            ProcessFigures f = entry.getValue().figures(entry.getKey(), now);
            if (f != null) {
                figures.put(entry.getKey(), f);
            } else {
                byName.remove(entry.getKey(), entry.getValue()); // nothing for a whole window
            }
        }
        return figures;
    }

    /**
     * The figures of one process name.
     *
     * @param name the process name
     * @return its figures, if it had something to report in the last window
     */
    public Optional<ProcessFigures> figures(String name) {
        Rolling rolling = byName.get(name);
        return rolling == null ? Optional.empty() : Optional.ofNullable(rolling.figures(name, nanos(Instant.now())));
    }

    /** Stops the stream and waits for it to end. */
    @Override
    public void close() {
        stream.close();
    }

    @Override
    public String toString() {
        return "LiveProcessFigures[window=" + options.window + ", names=" + byName.size() + "]";
    }

    private interface Update {
        void apply(Rolling rolling, RecordedEvent event, Slot slot);
    }

    private Consumer<RecordedEvent> on(java.util.function.Function<RecordedEvent, String> nameOf, Update update) {
        return event -> {
            String name = nameOf.apply(event);
            if (name == null) {
                return;
            }
            Rolling rolling = byName.get(name);
            if (rolling == null) {
                if (byName.size() >= options.maxProcessNames && !byName.containsKey(name)) {
                    name = OVERFLOW;
                }
                rolling = byName.computeIfAbsent(name, n -> new Rolling());
            }
            long time = nanos(event.getEndTime());
            synchronized (rolling) {
                update.apply(rolling, event, rolling.slot(time / slotNanos));
            }
        };
    }

    private static String string(RecordedEvent e, String field) {
        return e.hasField(field) ? e.getString(field) : null;
    }

    private static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    /** One slot of the window: what happened in its time. */
    private static final class Slot {
        long epoch = Long.MIN_VALUE;
        final Histogram handling = new Histogram();
        final Histogram mailboxWait = new Histogram();
        long recorded;
        long recordedNormal;
        long handled;
        long failures;
        long restarts;
        long giveUps;
        long dropped;
        long rejected;

        void reset(long epoch) {
            this.epoch = epoch;
            handling.clear();
            mailboxWait.clear();
            recorded = recordedNormal = handled = failures = restarts = giveUps = dropped = rejected = 0;
        }

        boolean isEmpty() {
            return recorded == 0
                    && handled == 0
                    && failures == 0
                    && restarts == 0
                    && giveUps == 0
                    && dropped == 0
                    && rejected == 0;
        }
    }

    /** The window of one process name; guarded by its own monitor. */
    private final class Rolling {
        private final Slot[] slots = new Slot[SLOTS];
        boolean statistics;
        int liveProcesses;
        long mailboxSize;

        Slot slot(long epoch) {
            int index = (int) Math.floorMod(epoch, (long) SLOTS);
            Slot slot = slots[index];
            if (slot == null) {
                slot = slots[index] = new Slot();
            }
            if (slot.epoch != epoch) {
                slot.reset(epoch);
            }
            return slot;
        }

        synchronized ProcessFigures figures(String name, long now) {
            long current = now / slotNanos;
            Histogram handling = new Histogram();
            Histogram wait = new Histogram();
            long recorded = 0,
                    normal = 0,
                    handled = 0,
                    failures = 0,
                    restarts = 0,
                    giveUps = 0,
                    dropped = 0,
                    rejected = 0;
            boolean any = false;
            for (Slot slot : slots) {
                if (slot == null || slot.epoch <= current - SLOTS || slot.epoch > current || slot.isEmpty()) {
                    continue;
                }
                any = true;
                handling.addAll(slot.handling);
                wait.addAll(slot.mailboxWait);
                recorded += slot.recorded;
                normal += slot.recordedNormal;
                handled += slot.handled;
                failures += slot.failures;
                restarts += slot.restarts;
                giveUps += slot.giveUps;
                dropped += slot.dropped;
                rejected += slot.rejected;
            }
            if (!any && liveProcesses == 0) {
                return null;
            }
            return new ProcessFigures(
                    name,
                    options.window,
                    statistics ? handled : normal,
                    recorded,
                    handling.distribution(),
                    wait.distribution(),
                    failures,
                    restarts,
                    giveUps,
                    dropped,
                    rejected,
                    liveProcesses,
                    mailboxSize);
        }
    }

    /**
     * What {@link LiveProcessFigures} keeps: immutable, each {@code with} method validates its
     * argument and returns a copy.
     *
     * @since 0.1
     */
    public static final class Options {

        private static final Options DEFAULTS =
                new Options(Duration.ofMinutes(1), Duration.ofMillis(10), Duration.ofSeconds(1), 1000);

        private final Duration window;
        private final Duration messageThreshold;
        private final Duration statisticsPeriod;
        private final int maxProcessNames;

        private Options(Duration window, Duration messageThreshold, Duration statisticsPeriod, int maxProcessNames) {
            this.window = window;
            this.messageThreshold = messageThreshold;
            this.statisticsPeriod = statisticsPeriod;
            this.maxProcessNames = maxProcessNames;
        }

        /**
         * A one-minute window, {@code MessageHandled} from 10 ms, statistics every second, 1,000 names.
         *
         * @return the defaults
         */
        public static Options defaults() {
            return DEFAULTS;
        }

        /**
         * The time the figures cover.
         *
         * @return the window
         */
        public Duration window() {
            return window;
        }

        /**
         * The {@code MessageHandled} threshold the stream asks for.
         *
         * @return the threshold
         */
        public Duration messageThreshold() {
            return messageThreshold;
        }

        /**
         * The {@code ProcessStatistics} period the stream asks for.
         *
         * @return the period
         */
        public Duration statisticsPeriod() {
            return statisticsPeriod;
        }

        /**
         * The most process names kept apart.
         *
         * @return the limit
         */
        public int maxProcessNames() {
            return maxProcessNames;
        }

        /**
         * A copy with another window.
         *
         * @param window the time the figures cover, at least 6 ms
         * @return the copy
         * @throws IllegalArgumentException if shorter than 6 ms
         */
        public Options withWindow(Duration window) {
            Objects.requireNonNull(window, "window");
            if (window.compareTo(Duration.ofMillis(SLOTS)) < 0) {
                throw new IllegalArgumentException("window must be at least 6 ms, was " + window);
            }
            return new Options(window, messageThreshold, statisticsPeriod, maxProcessNames);
        }

        /**
         * A copy with another {@code MessageHandled} threshold.
         *
         * @param threshold the threshold; zero records every message
         * @return the copy
         * @throws IllegalArgumentException if negative
         */
        public Options withMessageThreshold(Duration threshold) {
            Objects.requireNonNull(threshold, "threshold");
            if (threshold.isNegative()) {
                throw new IllegalArgumentException("messageThreshold must not be negative, was " + threshold);
            }
            return new Options(window, threshold, statisticsPeriod, maxProcessNames);
        }

        /**
         * A copy with another {@code ProcessStatistics} period.
         *
         * @param period the period
         * @return the copy
         * @throws IllegalArgumentException if not positive
         */
        public Options withStatisticsPeriod(Duration period) {
            Objects.requireNonNull(period, "period");
            if (period.isNegative() || period.isZero()) {
                throw new IllegalArgumentException("statisticsPeriod must be positive, was " + period);
            }
            return new Options(window, messageThreshold, period, maxProcessNames);
        }

        /**
         * A copy with another name limit.
         *
         * @param limit the most process names kept apart
         * @return the copy
         * @throws IllegalArgumentException if less than 1
         */
        public Options withMaxProcessNames(int limit) {
            if (limit < 1) {
                throw new IllegalArgumentException("maxProcessNames must be >= 1, was " + limit);
            }
            return new Options(window, messageThreshold, statisticsPeriod, limit);
        }

        @Override
        public String toString() {
            return "LiveProcessFigures.Options[window=" + window + ", messageThreshold=" + messageThreshold
                    + ", statisticsPeriod=" + statisticsPeriod + ", maxProcessNames=" + maxProcessNames + "]";
        }
    }
}

package dev.phyxius.analysis.internal;

import dev.phyxius.analysis.Analysis;
import dev.phyxius.analysis.AnalysisOptions;
import dev.phyxius.analysis.RecordingProblem;
import dev.phyxius.analysis.spi.RecordingFacts;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import jdk.jfr.EventType;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Reads a {@code .jfr} file with {@code jdk.jfr.consumer} into {@link RecordingFacts}. The same
 * mapping feeds the live figures from a {@code RecordingStream} ({@link #feed}).
 */
public final class RecordingReader {

    private static final byte[] MAGIC = {'F', 'L', 'R', 0};

    private RecordingReader() {}

    /**
     * Reads and analyses {@code file}.
     *
     * @param file    the recording
     * @param options the thresholds
     * @return the analysis
     * @throws RecordingProblem with a message for people if the file cannot be used
     */
    public static Analysis analyze(Path file, AnalysisOptions options) throws RecordingProblem {
        checkChunks(file);
        RecordingFacts facts = RecordingFacts.create(file.getFileName().toString());
        try (RecordingFile recording = new RecordingFile(file)) {
            Map<Long, String> types = new HashMap<>();
            for (EventType type : recording.readEventTypes()) {
                types.put(type.getId(), type.getName());
            }
            while (recording.hasMoreEvents()) {
                feed(facts, recording.readEvent(), types);
            }
        } catch (IOException | RuntimeException e) {
            throw damaged(file, e);
        }
        if (facts.phyxiusEvents() == 0) {
            throw new RecordingProblem(
                    RecordingProblem.Kind.NO_PHYXIUS_EVENTS,
                    file + " holds no Phyxius event."
                            + " Record with the observability's JFR bridge on (PhyxiusObservability.builder().jfr(true)) and"
                            + " its events enabled, e.g. -XX:StartFlightRecording:settings=default,settings=phyxius.jfc",
                    null);
        }
        return facts.analyze(options);
    }

    private static RecordingProblem damaged(Path file, Exception e) {
        return new RecordingProblem(
                RecordingProblem.Kind.DAMAGED,
                file + " is damaged and cannot be read to the end ("
                        + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")",
                e);
    }

    /**
     * Walks the chunk headers: a JFR file is a sequence of chunks, each starting with the magic
     * {@code FLR\0}, two version shorts and its own size. A file cut off anywhere shows here,
     * before the parser would read what is left of it without a word.
     */
    static void checkChunks(Path file) throws RecordingProblem {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new RecordingProblem(
                    RecordingProblem.Kind.UNREADABLE,
                    "cannot read " + file + (Files.exists(file) ? ": not a readable file" : ": no such file"),
                    null);
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            long position = 0;
            ByteBuffer header = ByteBuffer.allocate(16);
            while (position < size) {
                header.clear();
                int read = channel.read(header, position);
                if (read < 16 || !hasMagic(header)) {
                    if (position == 0) {
                        throw new RecordingProblem(
                                RecordingProblem.Kind.NOT_A_RECORDING,
                                file + " is not a JFR recording (it does not start with a Flight Recorder chunk)",
                                null);
                    }
                    throw new RecordingProblem(
                            RecordingProblem.Kind.DAMAGED,
                            file + " is damaged: no chunk starts at" + " byte " + position + " of " + size,
                            null);
                }
                long chunkSize = header.getLong(8);
                if (chunkSize <= 0 || position + chunkSize > size) {
                    throw new RecordingProblem(
                            RecordingProblem.Kind.DAMAGED,
                            file + " is cut off: its chunk at byte "
                                    + position + " says it has " + chunkSize + " bytes, but the file ends after " + size
                                    + " (was it copied while being written?)",
                            null);
                }
                position += chunkSize;
            }
            if (size == 0) {
                throw new RecordingProblem(
                        RecordingProblem.Kind.NOT_A_RECORDING, file + " is empty, not a JFR recording", null);
            }
        } catch (IOException e) {
            if (e instanceof RecordingProblem problem) {
                throw problem;
            }
            throw new RecordingProblem(
                    RecordingProblem.Kind.UNREADABLE, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static boolean hasMagic(ByteBuffer header) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (header.get(i) != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Feeds one event.
     *
     * @param facts the facts
     * @param e     the event
     * @param types event type names by id, for {@code jdk.ActiveSetting}
     */
    public static void feed(RecordingFacts facts, RecordedEvent e, Map<Long, String> types) {
        String name = e.getEventType().getName();
        long start = nanos(e.getStartTime());
        long end = nanos(e.getEndTime());
        switch (name) {
            case "dev.phyxius.MessageHandled" ->
                facts.handled(
                        string(e, "processName"),
                        string(e, "processId"),
                        start,
                        end,
                        thread(e),
                        duration(e, "queued"),
                        className(e, "messageType"),
                        string(e, "errorType"),
                        string(e, "traceId"));
            case "dev.phyxius.MessageDropped" -> facts.dropped(string(e, "processName"), start, string(e, "reason"));
            case "dev.phyxius.MessageRejected" -> facts.rejected(string(e, "processName"), start, string(e, "reason"));
            case "dev.phyxius.ProcessStarted", "dev.phyxius.ProcessStopped" ->
                facts.lifecycle(string(e, "processName"), start);
            case "dev.phyxius.ProcessFailed" -> facts.failed(string(e, "processName"), start, string(e, "errorType"));
            case "dev.phyxius.ProcessRestarted" ->
                facts.restarted(string(e, "processName"), string(e, "processId"), start);
            case "dev.phyxius.SupervisorRestart" ->
                facts.restartScheduled(
                        start,
                        string(e, "supervisorId"),
                        string(e, "childName"),
                        string(e, "childId"),
                        integer(e, "attempt"),
                        duration(e, "delay"));
            case "dev.phyxius.SupervisorGaveUp" ->
                facts.gaveUp(
                        start,
                        string(e, "supervisorId"),
                        string(e, "childName"),
                        string(e, "childId"),
                        integer(e, "restarts"),
                        duration(e, "within"));
            case "dev.phyxius.SupervisorEscalated" ->
                facts.escalated(
                        start,
                        string(e, "supervisorId"),
                        string(e, "childName"),
                        string(e, "childId"),
                        string(e, "errorType"));
            case "dev.phyxius.ProcessStatistics" ->
                facts.statistics(
                        start,
                        string(e, "processName"),
                        integer(e, "liveProcesses"),
                        number(e, "mailboxSize"),
                        integer(e, "maxMailboxSize"),
                        number(e, "handled"));
            case "dev.phyxius.KeyedActivated" -> facts.keyedActivated(start, string(e, "groupName"));
            case "dev.phyxius.KeyedActivationFailed" -> facts.keyedActivationFailed(start, string(e, "groupName"));
            case "dev.phyxius.KeyedPassivated" ->
                facts.keyedPassivated(start, string(e, "groupName"), string(e, "cause"));
            case "dev.phyxius.KeyedEvicted" -> facts.keyedEvicted(start, string(e, "groupName"));
            case "dev.phyxius.KeyedGaveUp" -> facts.keyedGaveUp(start, string(e, "groupName"));
            case "dev.phyxius.KeyedMessageDropped" ->
                facts.keyedDropped(start, string(e, "groupName"), string(e, "reason"));
            case "dev.phyxius.KeyedMessageRejected" ->
                facts.keyedRejected(start, string(e, "groupName"), string(e, "reason"));
            case "jdk.VirtualThreadPinned" -> facts.pinned(start, end, thread(e), pinDetail(e));
            case "jdk.JavaMonitorEnter" -> facts.monitorEnter(start, end, thread(e), className(e, "monitorClass"));
            case "jdk.ThreadPark" -> facts.park(start, end, thread(e), className(e, "parkedClass"));
            case "jdk.GCPhasePause" -> facts.gcPause(start, end);
            case "jdk.ActiveSetting" ->
                facts.setting(types.get(e.getLong("id")), string(e, "name"), string(e, "value"));
            default -> {
                if (name.startsWith("dev.phyxius.")) {
                    facts.otherPhyxiusEvent(start);
                } else {
                    facts.span(start, end);
                }
            }
        }
    }

    private static String pinDetail(RecordedEvent e) {
        String reason = string(e, "pinnedReason");
        String operation = string(e, "blockingOperation");
        if (reason != null && operation != null) {
            return operation + " while " + reason;
        }
        return reason != null ? reason : operation;
    }

    private static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    private static long thread(RecordedEvent e) {
        RecordedThread thread = e.getThread();
        return thread == null ? -1 : thread.getJavaThreadId();
    }

    private static String string(RecordedEvent e, String field) {
        return e.hasField(field) ? e.getString(field) : null;
    }

    private static String className(RecordedEvent e, String field) {
        if (!e.hasField(field)) {
            return null;
        }
        RecordedClass type = e.getClass(field);
        return type == null ? null : type.getName();
    }

    private static long duration(RecordedEvent e, String field) {
        if (!e.hasField(field)) {
            return 0;
        }
        Duration d = e.getDuration(field);
        return d == null ? 0 : d.toNanos();
    }

    private static int integer(RecordedEvent e, String field) {
        return e.hasField(field) ? e.getInt(field) : 0;
    }

    private static long number(RecordedEvent e, String field) {
        return e.hasField(field) ? e.getLong(field) : 0;
    }
}

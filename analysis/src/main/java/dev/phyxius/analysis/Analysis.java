package dev.phyxius.analysis;

import dev.phyxius.analysis.internal.RecordingReader;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a JDK Flight Recorder recording says about every Phyxius process in it: per process name
 * the messages, their handling and mailbox times, failures, restarts, give-ups, drops and
 * refusals, the slowest message types and what the JDK's own events say about the handlers; a
 * timeline of supervisor decisions; per keyed group its activations and passivations by cause;
 * and findings with scores.
 *
 * <pre>{@code
 * Analysis analysis = Analysis.of(Path.of("app.jfr"));
 * System.out.print(Report.text(analysis));
 * }</pre>
 *
 * <p>Immutable. The per-process series share the time bins {@link #binStart()} +
 * {@code i * }{@link #binWidth()} ({@link #BINS} of them) and the handling-time buckets
 * {@link #HANDLING_BUCKETS}.
 *
 * @param recording  what was recorded, and how
 * @param processes  one summary per process name, by name
 * @param decisions  supervisor decisions, in time order
 * @param findings   findings with a score of 25 or more, highest score first
 * @param binStart   the start of the first time bin
 * @param binWidth   the width of each time bin
 * @param keyedGroups one summary per keyed group, by name: activations and passivations by cause
 * @since 0.1
 */
public record Analysis(
        RecordingInfo recording,
        List<ProcessSummary> processes,
        List<SupervisorDecision> decisions,
        List<Finding> findings,
        Instant binStart,
        Duration binWidth,
        List<KeyedGroupSummary> keyedGroups) {

    /** How many time bins the series have. */
    public static final int BINS = 60;

    /**
     * The upper bounds of the handling-time histogram's buckets: 1 µs, 2 µs, 4 µs, ... up to
     * about 17 minutes; a last, open bucket takes anything longer.
     */
    public static final List<Duration> HANDLING_BUCKETS = java.util.stream.IntStream.range(0, 31)
            .mapToObj(i -> Duration.ofNanos(1000L << i))
            .toList();

    /**
     * Creates an analysis; the lists are copied.
     *
     * @throws NullPointerException if an argument is {@code null}
     */
    public Analysis {
        Objects.requireNonNull(recording, "recording");
        processes = List.copyOf(processes);
        decisions = List.copyOf(decisions);
        findings = List.copyOf(findings);
        Objects.requireNonNull(binStart, "binStart");
        Objects.requireNonNull(binWidth, "binWidth");
        keyedGroups = List.copyOf(keyedGroups);
    }

    /**
     * Reads and analyses a recording file with the default thresholds.
     *
     * @param recording a {@code .jfr} file
     * @return the analysis
     * @throws RecordingProblem if the file cannot be read, is not a recording, is damaged, or holds no
     *                          Phyxius event
     */
    public static Analysis of(Path recording) throws RecordingProblem {
        return of(recording, AnalysisOptions.defaults());
    }

    /**
     * Reads and analyses a recording file.
     *
     * @param recording a {@code .jfr} file
     * @param options   the thresholds of the findings
     * @return the analysis
     * @throws RecordingProblem if the file cannot be read, is not a recording, is damaged, or holds no
     *                          Phyxius event
     * @throws NullPointerException if an argument is {@code null}
     */
    public static Analysis of(Path recording, AnalysisOptions options) throws RecordingProblem {
        Objects.requireNonNull(recording, "recording");
        Objects.requireNonNull(options, "options");
        return RecordingReader.analyze(recording, options);
    }

    /**
     * The summary of one process name.
     *
     * @param name the process name
     * @return its summary, if the recording has one
     */
    public java.util.Optional<ProcessSummary> process(String name) {
        return processes.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /**
     * The summary of one keyed group.
     *
     * @param name the group's name
     * @return its summary, if the recording has one
     */
    public java.util.Optional<KeyedGroupSummary> keyedGroup(String name) {
        return keyedGroups.stream().filter(g -> g.group().equals(name)).findFirst();
    }

    /**
     * The findings of one rule.
     *
     * @param rule a rule id such as {@code SlowHandlers}
     * @return its findings, highest score first
     */
    public List<Finding> findings(String rule) {
        return findings.stream().filter(f -> f.rule().equals(rule)).toList();
    }
}

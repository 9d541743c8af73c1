package dev.phyxius.analysis;

import dev.phyxius.analysis.internal.HtmlReport;
import dev.phyxius.analysis.internal.JsonReport;
import dev.phyxius.analysis.internal.TextReport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * The report of a recording, as text, JSON or a self-contained HTML page; and the command that
 * writes it:
 *
 * <pre>
 * java -jar phyxius-analysis.jar [options] recording.jfr
 * java -m dev.phyxius.analysis/dev.phyxius.analysis.Report [options] recording.jfr
 *
 *   (no option)          the text report on standard output
 *   --json               the JSON report (schema phyxius-report/1) on standard output instead
 *   --html FILE          also write the HTML page to FILE
 *   --slow-handler D     p99 handling time that is slow (default 100ms)
 *   --backlog N          mailbox depth that is a backlog (default 1000)
 *   --backlog-wait D     p99 mailbox wait that is a backlog (default 1s)
 *   --restart-storm N    restarts within the window that are a storm (default 5)
 *   --restart-window D   the window (default 1m)
 *   --blocking D         a pin or wait inside a handler that is a problem (default 20ms)
 * </pre>
 * Durations are written {@code 250ms}, {@code 2s}, {@code 1m}. Exit status: 0 done, 2 wrong
 * arguments, 3 the file cannot be read or is not an intact recording, 4 the recording holds no
 * Phyxius event. Problems are reported in one sentence on standard error, never as a stack trace.
 *
 * @since 0.1
 */
public final class Report {

    /** Exit status: the arguments were wrong. */
    public static final int USAGE = 2;
    /** Exit status: the file cannot be read, is not a recording, or is damaged. */
    public static final int BAD_RECORDING = 3;
    /** Exit status: the recording holds no Phyxius event. */
    public static final int NO_PHYXIUS_EVENTS = 4;

    private static final String USAGE_TEXT = """
            usage: phyxius-report [--json] [--html FILE] [--slow-handler D] [--backlog N] [--backlog-wait D]
                                  [--restart-storm N] [--restart-window D] [--blocking D] RECORDING.jfr
            """;

    private Report() {}

    /**
     * The text report: findings, a table of every process name, the details of each, and the
     * timeline of supervisor decisions.
     *
     * @param analysis the analysis
     * @return the text, ending with a newline
     */
    public static String text(Analysis analysis) {
        return TextReport.of(Objects.requireNonNull(analysis, "analysis"));
    }

    /**
     * The JSON report, schema {@code phyxius-report/1} (documented in the README under
     * "Analysing a recording"): durations in nanoseconds, times as ISO-8601 instants.
     *
     * @param analysis the analysis
     * @return the JSON document
     */
    public static String json(Analysis analysis) {
        return JsonReport.of(Objects.requireNonNull(analysis, "analysis"));
    }

    /**
     * The HTML report: one page with no external resource, the tables of the text report and
     * charts of handling time per process, mailbox wait and depth over time, and failures and
     * restarts over time.
     *
     * @param analysis the analysis
     * @return the page
     */
    public static String html(Analysis analysis) {
        return HtmlReport.of(Objects.requireNonNull(analysis, "analysis"));
    }

    /**
     * Runs the command and exits with its status.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Runs the command.
     *
     * @param args the command line
     * @param out  where the report goes
     * @param err  where problems go
     * @return the exit status
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        boolean json = false;
        Path html = null;
        Path recording = null;
        AnalysisOptions options = AnalysisOptions.defaults();
        try {
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--json" -> json = true;
                    case "--html" -> html = Path.of(value(args, ++i, arg));
                    case "--slow-handler" -> options = options.withSlowHandler(duration(value(args, ++i, arg), arg));
                    case "--backlog" -> options = options.withBacklogMessages(number(value(args, ++i, arg), arg));
                    case "--backlog-wait" -> options = options.withBacklogWait(duration(value(args, ++i, arg), arg));
                    case "--restart-storm" ->
                        options = options.withRestartStorm(
                                Math.toIntExact(number(value(args, ++i, arg), arg)), options.restartWindow());
                    case "--restart-window" ->
                        options =
                                options.withRestartStorm(options.restartStorm(), duration(value(args, ++i, arg), arg));
                    case "--blocking" -> options = options.withBlocking(duration(value(args, ++i, arg), arg));
                    case "-h", "--help" -> {
                        out.print(USAGE_TEXT);
                        return 0;
                    }
                    default -> {
                        if (arg.startsWith("-")) {
                            throw new IllegalArgumentException("unknown option " + arg);
                        }
                        if (recording != null) {
                            throw new IllegalArgumentException(
                                    "one recording at a time, got " + recording + " and " + arg);
                        }
                        recording = Path.of(arg);
                    }
                }
            }
            if (recording == null) {
                throw new IllegalArgumentException("no recording given");
            }
        } catch (IllegalArgumentException | ArithmeticException e) {
            err.println("phyxius-report: " + e.getMessage());
            err.print(USAGE_TEXT);
            return USAGE;
        }
        try {
            Analysis analysis = Analysis.of(recording, options);
            out.print(json ? json(analysis) : text(analysis));
            if (html != null) {
                Files.writeString(html, html(analysis), StandardCharsets.UTF_8);
                if (!json) {
                    out.println();
                    out.println("HTML report written to " + html);
                }
            }
            out.flush();
            return 0;
        } catch (RecordingProblem problem) {
            err.println("phyxius-report: " + problem.getMessage());
            return problem.kind() == RecordingProblem.Kind.NO_PHYXIUS_EVENTS ? NO_PHYXIUS_EVENTS : BAD_RECORDING;
        } catch (IOException e) {
            err.println("phyxius-report: cannot write " + html + ": " + e.getMessage());
            return BAD_RECORDING;
        } catch (RuntimeException e) {
            // Whatever the recording held, the user gets a sentence rather than a trace.
            err.println("phyxius-report: cannot analyse " + recording + ": " + e);
            return BAD_RECORDING;
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static long number(String value, String option) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a whole number, was " + value);
        }
    }

    /** {@code 250ms}, {@code 20us}, {@code 2s}, {@code 1m}, {@code 1h}. */
    static Duration duration(String value, String option) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        String[][] units = {
            {"ns", "1"},
            {"us", "1000"},
            {"ms", "1000000"},
            {"s", "1000000000"},
            {"m", "60000000000"},
            {"h", "3600000000000"}
        };
        for (String[] unit : units) {
            if (v.endsWith(unit[0])) {
                String number = v.substring(0, v.length() - unit[0].length());
                if (!number.isEmpty() && number.chars().allMatch(Character::isDigit)) {
                    return Duration.ofNanos(Math.multiplyExact(Long.parseLong(number), Long.parseLong(unit[1])));
                }
            }
        }
        throw new IllegalArgumentException(option + " needs a duration such as 250ms, 2s or 1m, was " + value);
    }
}

package dev.phyxius.analysis;

import java.io.IOException;
import java.util.Objects;

/**
 * A recording that cannot be analysed, with a message for people: the file is missing or
 * unreadable, is not a JFR recording, is cut off or damaged, or holds no Phyxius event.
 *
 * @since 0.1
 */
public final class RecordingProblem extends IOException {

    private static final long serialVersionUID = 1L;

    /** What is wrong with the recording. */
    public enum Kind {
        /** The file does not exist or cannot be read. */
        UNREADABLE,
        /** The file is not a JFR recording. */
        NOT_A_RECORDING,
        /** The recording is cut off or damaged. */
        DAMAGED,
        /** The recording holds no {@code dev.phyxius.*} event. */
        NO_PHYXIUS_EVENTS
    }

    private final Kind kind;

    /**
     * Creates the problem.
     *
     * @param kind    what is wrong
     * @param message what to tell the user
     * @param cause   the underlying error, or {@code null}
     */
    public RecordingProblem(Kind kind, String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /**
     * What is wrong.
     *
     * @return the kind of problem
     */
    public Kind kind() {
        return kind;
    }
}

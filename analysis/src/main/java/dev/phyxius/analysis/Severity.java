package dev.phyxius.analysis;

/**
 * How much a finding matters, from its score (0 to 100), on the scale JDK Mission Control's
 * automated analysis uses: below 25 nothing to see, below 75 worth a look, else a problem.
 *
 * @since 0.1
 */
public enum Severity {
    /** Score below 25: nothing to look at. */
    OK,
    /** Score from 25 to below 75: worth a look. */
    INFO,
    /** Score of 75 or more: a problem. */
    WARNING;

    /**
     * The severity of a score.
     *
     * @param score from 0 to 100
     * @return its severity
     */
    public static Severity of(double score) {
        return score >= 75 ? WARNING : score >= 25 ? INFO : OK;
    }
}

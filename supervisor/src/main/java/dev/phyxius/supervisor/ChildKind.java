package dev.phyxius.supervisor;

/**
 * When a child is restarted, as in OTP's child specifications.
 *
 * @since 0.1
 */
public enum ChildKind {
    /** Always restarted: after a failure, and also after it stops itself from its own handler. */
    PERMANENT,
    /** Restarted only after a failure; a normal self-stop ends it for good. */
    TRANSIENT,
    /** Never restarted: a failure or a self-stop ends it for good. */
    TEMPORARY
}

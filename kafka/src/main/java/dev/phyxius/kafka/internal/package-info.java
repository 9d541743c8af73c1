/**
 * <b>Internal</b>: the member's poll loop and per-partition offset tracking, the changelog-backed
 * stores, the dead-letter writer, and the optional tracing and meters. Not exported; not API; may
 * change in any release.
 */
package dev.phyxius.kafka.internal;

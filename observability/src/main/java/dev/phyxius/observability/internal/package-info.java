/**
 * <b>Internal</b>: the instrumentation and sinks that the builder combines, and the bounded tables
 * of process names and message types behind the meters. Not exported; not API; may change in any
 * release.
 */
package dev.phyxius.observability.internal;

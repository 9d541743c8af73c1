/**
 * <b>Internal</b>: the system clock's implementation. Not exported; not API; may change in any
 * release. Use {@code Clock.system()}.
 */
package dev.phyxius.clock.internal;

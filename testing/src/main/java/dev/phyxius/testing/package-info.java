/**
 * Deterministic time for tests: {@link dev.phyxius.testing.ControlledClock} moves only when a
 * test advances it and runs due timers on the advancing thread.
 */
package dev.phyxius.testing;

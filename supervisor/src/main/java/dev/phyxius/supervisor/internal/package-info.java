/**
 * <b>Internal</b>: the bridge through which the supervisor's SPI reads a supervisor's private
 * state. Not exported; not API; may change in any release.
 */
package dev.phyxius.supervisor.internal;

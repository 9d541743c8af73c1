/**
 * Time made explicit: {@link dev.phyxius.clock.Clock} gives wall and monotonic readings,
 * one-shot timers and stable-cadence intervals, and reports its own failures as
 * {@link dev.phyxius.clock.ClockEvent}s.
 */
package dev.phyxius.clock;

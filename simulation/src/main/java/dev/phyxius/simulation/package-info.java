/**
 * Deterministic simulation of processes: {@link dev.phyxius.simulation.Simulation} runs a
 * scenario under a seeded scheduler and virtual time, so that a failing interleaving is replayed
 * by its seed; {@link dev.phyxius.simulation.SimulationTest} does it from JUnit 5.
 */
package dev.phyxius.simulation;

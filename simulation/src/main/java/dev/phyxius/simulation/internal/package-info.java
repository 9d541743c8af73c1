/**
 * <b>Internal</b>: the simulation's scheduler, its strategies, fault plans, wait-for graph and
 * log rendering, and the seam into the JDK's virtual thread scheduler (the reason for the module's
 * {@code --add-opens}). Not exported; not API; may change in any release.
 */
package dev.phyxius.simulation.internal;

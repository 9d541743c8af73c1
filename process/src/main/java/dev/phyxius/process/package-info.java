/**
 * Phyxius process: see the project README for this module's contract.
 */
package dev.phyxius.process;

/**
 * Phyxius observability: see the project README for this module's contract.
 */
package dev.phyxius.observability;

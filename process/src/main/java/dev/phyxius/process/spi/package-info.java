/**
 * The supervision SPI: how a supervisor restarts a process in place and learns of its failures.
 * Exported only to Phyxius modules; not for applications.
 */
package dev.phyxius.process.spi;

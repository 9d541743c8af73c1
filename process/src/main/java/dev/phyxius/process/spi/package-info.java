/**
 * <b>SPI</b>: how a supervisor restarts a process in place and learns of its failures, and what a
 * test kit or an observability module reads of a process. Exported only to Phyxius modules; not
 * for applications; may change in any minor release.
 */
package dev.phyxius.process.spi;

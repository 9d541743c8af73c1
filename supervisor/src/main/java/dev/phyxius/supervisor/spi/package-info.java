/**
 * <b>SPI</b>: the supervisor's inspection, what a test kit reads to know that no decision is in
 * flight. Exported only to Phyxius modules; not for applications; may change in any minor release.
 */
package dev.phyxius.supervisor.spi;

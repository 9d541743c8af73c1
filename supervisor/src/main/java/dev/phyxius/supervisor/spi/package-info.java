/**
 * The supervisor's inspection SPI: what a test kit reads to know that no decision is in flight.
 * Exported only to Phyxius modules; not for applications.
 */
package dev.phyxius.supervisor.spi;

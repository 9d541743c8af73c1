/**
 * <b>SPI</b>: the facts of a recording in the form the JMC rules read them. Exported only to
 * Phyxius modules ({@code dev.phyxius.jmc}); not for applications; may change in any minor release.
 */
package dev.phyxius.analysis.spi;

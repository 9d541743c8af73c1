/**
 * <b>Internal</b>: reading a recording, the histograms, and the text, JSON and HTML reports. Not
 * exported; not API; may change in any release.
 */
package dev.phyxius.analysis.internal;

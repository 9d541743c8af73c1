/**
 * The JDK Flight Recorder bridge: {@link dev.phyxius.observability.jfr.PhyxiusFlightRecording} and
 * the {@code dev.phyxius.*} JFR events it writes. Needs only {@code jdk.jfr}.
 */
package dev.phyxius.observability.jfr;

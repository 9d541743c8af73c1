/**
 * <b>Internal</b>: the implementation of the auto-configuration. Not API; may change in any
 * release.
 */
package dev.phyxius.spring.autoconfigure.internal;

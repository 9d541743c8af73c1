/**
 * <b>Internal</b>: the test kit's event journal and its tracking of supervisors. Not exported; not
 * API; may change in any release.
 */
package dev.phyxius.testing.internal;

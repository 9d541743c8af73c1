/**
 * <b>Internal</b>: the process core (mailbox, drain, hand-off slot and its monitor, lifecycle).
 * Not exported; not API; may change in any release. Its memory ordering is explained where each
 * field is declared.
 */
package dev.phyxius.process.internal;

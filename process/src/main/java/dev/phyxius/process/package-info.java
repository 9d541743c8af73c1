/**
 * Processes: state owned by one handler, fed by a bounded mailbox, run on virtual threads.
 * Start with {@link dev.phyxius.process.Processes#spawn} and
 * {@link dev.phyxius.process.ProcessSpec#named}.
 */
package dev.phyxius.process;

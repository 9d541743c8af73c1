/**
 * Let it crash: a {@link dev.phyxius.supervisor.Supervisor} restarts the processes it owns in
 * place when they fail, under a {@link dev.phyxius.supervisor.SupervisionStrategy} that says which
 * siblings restart with them, how often restarts may happen (intensity) and how long to wait
 * between them ({@link dev.phyxius.supervisor.Backoff}). Supervisors nest explicitly; a failure a
 * supervisor cannot fix escalates to its parent. Everything that happens is reported as a
 * {@link dev.phyxius.supervisor.SupervisorEvent}.
 */
package dev.phyxius.supervisor;

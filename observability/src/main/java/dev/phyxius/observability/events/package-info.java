/**
 * What the observability itself reports: {@link dev.phyxius.observability.events.ObservabilityEvent},
 * structured events like the process events, used by every backend package and by the entry
 * point, so that none of them depends on another for it. Needs nothing but the core modules.
 */
package dev.phyxius.observability.events;

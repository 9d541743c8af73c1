package dev.phyxius.spring.autoconfigure.actuate;

import dev.phyxius.process.ProcessStatus;
import dev.phyxius.spring.autoconfigure.GiveUps;
import dev.phyxius.spring.autoconfigure.internal.SupervisionTrees;
import dev.phyxius.supervisor.Supervisor;
import dev.phyxius.supervisor.SupervisorSnapshot;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The {@code phyxius} health contributor: {@code DOWN} once a root supervisor bean gave up on a
 * child, {@code OUT_OF_SERVICE} while one is stopping or stopped, {@code UP} otherwise.
 *
 * <p>A child given up on stays {@code FAILED} and nothing restarts it by itself, so the health
 * stays {@code DOWN} until the application restarts: the let-it-crash answer one level up (a
 * liveness probe, a restart by the platform). A nested supervisor's give-up is not counted: it
 * escalates, and its parent decides. The details name each root supervisor by bean name, with its
 * id, status, number of children and the children it gave up on (child id, name, restarts, window,
 * when); {@code management.endpoint.health.show-details} decides who sees them.
 *
 * <p>Thread-safe.
 *
 * @since 0.1
 */
public final class PhyxiusHealthIndicator implements HealthIndicator {

    private final ListableBeanFactory beans;
    private final GiveUps giveUps;

    /**
     * A health indicator over the supervisor beans of {@code beans}.
     *
     * @param beans   where the supervisors are looked up, at each check
     * @param giveUps the give-ups the supervisors reported
     * @throws NullPointerException if an argument is {@code null}
     */
    public PhyxiusHealthIndicator(ListableBeanFactory beans, GiveUps giveUps) {
        this.beans = Objects.requireNonNull(beans, "beans");
        this.giveUps = Objects.requireNonNull(giveUps, "giveUps");
    }

    /**
     * Checks every root supervisor.
     *
     * @return the health, with details per supervisor
     */
    @Override
    public Health health() {
        Map<String, Supervisor> all = beans.getBeansOfType(Supervisor.class, false, false);
        List<Supervisor> roots = SupervisionTrees.roots(all.values());
        Map<String, Object> supervisors = new LinkedHashMap<>();
        boolean gaveUp = false;
        boolean stopping = false;
        for (Map.Entry<String, Supervisor> entry : all.entrySet()) {
            if (!roots.contains(entry.getValue())) {
                continue;
            }
            SupervisorSnapshot snapshot = entry.getValue().snapshot();
            List<GiveUps.GiveUp> given = giveUps.of(snapshot.id());
            gaveUp |= !given.isEmpty();
            stopping |= snapshot.status() == ProcessStatus.STOPPING || snapshot.status() == ProcessStatus.STOPPED;
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("id", snapshot.id().value());
            details.put("status", snapshot.status().name());
            details.put("children", snapshot.children().size());
            details.put(
                    "gaveUp",
                    given.stream().map(PhyxiusHealthIndicator::describe).toList());
            supervisors.put(entry.getKey(), details);
        }
        Status status = gaveUp ? Status.DOWN : stopping ? Status.OUT_OF_SERVICE : Status.UP;
        return Health.status(status).withDetail("supervisors", supervisors).build();
    }

    private static Map<String, Object> describe(GiveUps.GiveUp giveUp) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("child", giveUp.child().value());
        details.put("name", giveUp.name());
        details.put("restarts", giveUp.restarts());
        details.put("within", giveUp.within().toString());
        details.put("at", giveUp.at().toString());
        return details;
    }
}

package dev.phyxius.spring.autoconfigure.actuate;

import dev.phyxius.spring.autoconfigure.GiveUps;
import dev.phyxius.spring.autoconfigure.internal.SupervisionTrees;
import dev.phyxius.supervisor.Backoff;
import dev.phyxius.supervisor.SupervisionStrategy;
import dev.phyxius.supervisor.Supervisor;
import dev.phyxius.supervisor.SupervisorSnapshot;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code phyxius} actuator endpoint: every root supervisor bean's tree, with each child's
 * status, mailbox size and restart count, nested supervisors with their own children, and the
 * children each supervisor gave up on.
 *
 * <p>{@code GET /actuator/phyxius} lists the trees by bean name; {@code GET /actuator/phyxius/{name}}
 * gives one (404 for an unknown name). Like every endpoint but {@code health}, it is exposed over
 * HTTP only when asked: {@code management.endpoints.web.exposure.include=health,phyxius}.
 *
 * <p>The readings come from {@link Supervisor#snapshot()}: taken one child after the other, not
 * atomically. Durations are ISO-8601 strings ({@code PT5S}). Thread-safe.
 *
 * @since 0.1
 */
@Endpoint(id = "phyxius")
public final class PhyxiusEndpoint {

    private final ListableBeanFactory beans;
    private final GiveUps giveUps;

    /**
     * An endpoint over the supervisor beans of {@code beans}.
     *
     * @param beans   where the supervisors are looked up, at each read
     * @param giveUps the give-ups the supervisors reported
     * @throws NullPointerException if an argument is {@code null}
     */
    public PhyxiusEndpoint(ListableBeanFactory beans, GiveUps giveUps) {
        this.beans = Objects.requireNonNull(beans, "beans");
        this.giveUps = Objects.requireNonNull(giveUps, "giveUps");
    }

    /**
     * Every root supervisor's tree, by bean name.
     *
     * @return the trees
     */
    @ReadOperation
    public SupervisorsDescriptor supervisors() {
        Map<String, SupervisorDescriptor> trees = new LinkedHashMap<>();
        roots().forEach((name, supervisor) -> trees.put(name, describe(supervisor)));
        return new SupervisorsDescriptor(trees);
    }

    /**
     * One root supervisor's tree.
     *
     * @param name the supervisor's bean name
     * @return the tree, or {@code null} (a 404) if there is no such root supervisor
     */
    @ReadOperation
    public SupervisorDescriptor supervisor(@Selector String name) {
        Supervisor supervisor = roots().get(name);
        return supervisor == null ? null : describe(supervisor);
    }

    /** The root supervisor beans, by name, in bean order. */
    Map<String, Supervisor> roots() {
        Map<String, Supervisor> all = beans.getBeansOfType(Supervisor.class, false, false);
        List<Supervisor> roots = SupervisionTrees.roots(all.values());
        Map<String, Supervisor> named = new LinkedHashMap<>();
        all.forEach((name, supervisor) -> {
            if (roots.contains(supervisor)) {
                named.put(name, supervisor);
            }
        });
        return named;
    }

    private SupervisorDescriptor describe(Supervisor supervisor) {
        return describe(supervisor.snapshot());
    }

    private SupervisorDescriptor describe(SupervisorSnapshot snapshot) {
        List<ChildDescriptor> children = snapshot.children().stream()
                .map(child -> new ChildDescriptor(
                        child.id().value(),
                        child.name(),
                        child.kind().name(),
                        child.status().name(),
                        child.mailboxSize(),
                        child.restartCount(),
                        child.subtree().map(this::describe).orElse(null)))
                .toList();
        List<GiveUpDescriptor> given = giveUps.of(snapshot.id()).stream()
                .map(giveUp -> new GiveUpDescriptor(
                        giveUp.at().toString(),
                        giveUp.child().value(),
                        giveUp.name(),
                        giveUp.restarts(),
                        giveUp.within().toString()))
                .toList();
        return new SupervisorDescriptor(
                snapshot.id().value(), snapshot.status().name(), describe(snapshot.strategy()), children, given);
    }

    private static StrategyDescriptor describe(SupervisionStrategy strategy) {
        Backoff backoff = strategy.backoff();
        return new StrategyDescriptor(
                SupervisionTrees.kind(strategy),
                strategy.maxRestarts(),
                strategy.within().toString(),
                new BackoffDescriptor(
                        backoff.initial().toString(), backoff.max().toString(), backoff.factor(), backoff.jitter()));
    }

    /**
     * The response of {@code GET /actuator/phyxius}.
     *
     * @param supervisors each root supervisor's tree, by bean name
     * @since 0.1
     */
    public record SupervisorsDescriptor(Map<String, SupervisorDescriptor> supervisors)
            implements OperationResponseBody {}

    /**
     * One supervisor and its tree.
     *
     * @param id       its id
     * @param status   {@code RUNNING}, {@code STARTING} (while its parent restarts it),
     *                 {@code STOPPING} or {@code STOPPED}
     * @param strategy its strategy
     * @param children its children in start order
     * @param giveUps  the children it gave up on, oldest first
     * @since 0.1
     */
    public record SupervisorDescriptor(
            String id,
            String status,
            StrategyDescriptor strategy,
            List<ChildDescriptor> children,
            List<GiveUpDescriptor> giveUps)
            implements OperationResponseBody {}

    /**
     * A strategy.
     *
     * @param type        {@code oneForOne}, {@code oneForAll} or {@code restForOne}
     * @param maxRestarts the most restarts of a child inside the window
     * @param within      the window
     * @param backoff     the restart backoff
     * @since 0.1
     */
    public record StrategyDescriptor(String type, int maxRestarts, String within, BackoffDescriptor backoff) {}

    /**
     * A backoff; {@code initial} {@code PT0S} means none.
     *
     * @param initial the first delay
     * @param max     the longest delay
     * @param factor  the growth per restart
     * @param jitter  the jitter fraction
     * @since 0.1
     */
    public record BackoffDescriptor(String initial, String max, double factor, double jitter) {}

    /**
     * One child.
     *
     * @param id           its id
     * @param name         the process's name, or {@code supervisor} for a nested supervisor
     * @param kind         {@code PERMANENT}, {@code TRANSIENT} or {@code TEMPORARY}
     * @param status       its status
     * @param mailboxSize  messages waiting in its mailbox
     * @param restartCount how often it was restarted in place
     * @param supervisor   the nested supervisor's tree, or {@code null} for a process
     * @since 0.1
     */
    public record ChildDescriptor(
            String id,
            String name,
            String kind,
            String status,
            int mailboxSize,
            int restartCount,
            SupervisorDescriptor supervisor) {}

    /**
     * A child the supervisor gave up on.
     *
     * @param at       when
     * @param child    the child's id
     * @param name     its name
     * @param restarts the restarts inside the window before it
     * @param within   the window
     * @since 0.1
     */
    public record GiveUpDescriptor(String at, String child, String name, int restarts, String within) {}
}

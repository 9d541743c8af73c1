package dev.phyxius.spring.autoconfigure.internal;

import dev.phyxius.process.ProcessId;
import dev.phyxius.supervisor.Backoff;
import dev.phyxius.supervisor.SupervisionStrategy;
import dev.phyxius.supervisor.Supervisor;
import dev.phyxius.supervisor.SupervisorSnapshot;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** What the lifecycle, the health indicator and the endpoint need to know of supervision trees. Not part of the API. */
public final class SupervisionTrees {

    private SupervisionTrees() {}

    /**
     * The supervisors that are nobody's child among {@code all}: stopping or judging them covers
     * the nested ones.
     *
     * @param all supervisors, in the order to keep
     * @return the roots, in that order
     */
    public static List<Supervisor> roots(Collection<Supervisor> all) {
        Set<ProcessId> nested = new HashSet<>();
        for (Supervisor supervisor : all) {
            collectNested(supervisor.snapshot(), nested);
        }
        List<Supervisor> roots = new ArrayList<>();
        for (Supervisor supervisor : all) {
            if (!nested.contains(supervisor.id())) {
                roots.add(supervisor);
            }
        }
        return roots;
    }

    private static void collectNested(SupervisorSnapshot snapshot, Set<ProcessId> into) {
        for (SupervisorSnapshot.Child child : snapshot.children()) {
            child.subtree().ifPresent(subtree -> {
                into.add(subtree.id());
                collectNested(subtree, into);
            });
        }
    }

    /**
     * The strategy's kind as its factory method is named: {@code oneForOne}, {@code oneForAll} or
     * {@code restForOne}. Found by comparing with each kind built with the same intensity and
     * backoff, the strategy's public API having no accessor for its kind.
     *
     * @param strategy a strategy
     * @return its kind's name
     */
    public static String kind(SupervisionStrategy strategy) {
        int restarts = strategy.maxRestarts();
        Backoff backoff = strategy.backoff();
        if (strategy.equals(SupervisionStrategy.oneForOne()
                .withMaxRestarts(restarts, strategy.within())
                .withBackoff(backoff))) {
            return "oneForOne";
        }
        if (strategy.equals(SupervisionStrategy.oneForAll()
                .withMaxRestarts(restarts, strategy.within())
                .withBackoff(backoff))) {
            return "oneForAll";
        }
        return "restForOne";
    }
}

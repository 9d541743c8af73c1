package dev.phyxius.supervisor;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The children a restart round covers, as a pure function of the strategy, the children in start
 * order and which of them are running: the failed child, and the running bystanders the strategy
 * takes along (all of them under one-for-all, those started after it under rest-for-one). A
 * temporary bystander leaves: it is stopped and forgotten, never started again.
 *
 * @param covered the members, in start order: taken down in reverse, started again in order
 * @param leaving those of them that are stopped and forgotten instead of restarted
 * @param <C>     the type of a child entry
 */
record RoundMembers<C>(List<C> covered, List<C> leaving) {

    RoundMembers {
        covered = List.copyOf(covered);
        leaving = List.copyOf(leaving);
    }

    /**
     * Picks the members.
     *
     * @param scope     the strategy's scope
     * @param children  every child, in start order
     * @param failed    the child whose end starts the round
     * @param running   whether a child is running (a bystander in any other phase is already part
     *                  of another round or decision, and is left to it)
     * @param temporary whether a child is temporary
     * @param <C>       the type of a child entry
     * @return the members
     */
    static <C> RoundMembers<C> of(
            SupervisionStrategy.Scope scope,
            List<C> children,
            C failed,
            Predicate<? super C> running,
            Predicate<? super C> temporary) {
        Objects.requireNonNull(failed, "failed");
        List<C> covered = new ArrayList<>();
        List<C> leaving = new ArrayList<>();
        boolean after = false;
        for (C child : children) {
            boolean isFailed = child == failed;
            after |= isFailed;
            boolean inScope = switch (scope) {
                case ONE_FOR_ONE -> isFailed;
                case ONE_FOR_ALL -> true;
                case REST_FOR_ONE -> after;
            };
            if (!inScope || (!isFailed && !running.test(child))) {
                continue;
            }
            covered.add(child);
            if (!isFailed && temporary.test(child)) {
                leaving.add(child);
            }
        }
        return new RoundMembers<>(covered, leaving);
    }
}

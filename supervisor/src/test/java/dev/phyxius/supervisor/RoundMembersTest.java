package dev.phyxius.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.phyxius.supervisor.SupervisionStrategy.Scope;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The members a strategy covers, as a pure function of the children in start order. */
@Timeout(10)
class RoundMembersTest {

    /** Children "a" to "e" in start order; "c" is temporary; "d" is already in another round. */
    static final List<String> CHILDREN = List.of("a", "b", "c", "d", "e");

    static final Set<String> NOT_RUNNING = Set.of("d");
    static final Set<String> TEMPORARY = Set.of("c");

    static RoundMembers<String> members(Scope scope, String failed) {
        return RoundMembers.of(scope, CHILDREN, failed, child -> !NOT_RUNNING.contains(child), TEMPORARY::contains);
    }

    @Test
    void oneForOneCoversTheFailedChildOnly() {
        assertEquals(new RoundMembers<>(List.of("b"), List.of()), members(Scope.ONE_FOR_ONE, "b"));
    }

    @Test
    void oneForAllCoversEveryRunningChildAndTemporaryBystandersLeave() {
        assertEquals(new RoundMembers<>(List.of("a", "b", "c", "e"), List.of("c")), members(Scope.ONE_FOR_ALL, "b"));
    }

    @Test
    void restForOneCoversTheFailedChildAndTheRunningOnesStartedAfterIt() {
        assertEquals(new RoundMembers<>(List.of("b", "c", "e"), List.of("c")), members(Scope.REST_FOR_ONE, "b"));
        assertEquals(new RoundMembers<>(List.of("e"), List.of()), members(Scope.REST_FOR_ONE, "e"));
    }

    @Test
    void aTemporaryChildThatFailedItselfIsCoveredNotLeaving() {
        // The rules table ends a failed temporary child before any round; if a round names it
        // anyway it is the failed member, not a bystander to stop.
        assertEquals(new RoundMembers<>(List.of("c"), List.of()), members(Scope.ONE_FOR_ONE, "c"));
    }

    @Test
    void theFailedChildIsCoveredEvenIfNotRunning() {
        assertEquals(List.of("d", "e"), members(Scope.REST_FOR_ONE, "d").covered());
    }

    @Test
    void aNullFailedChildIsRejectedByName() {
        assertEquals(
                "failed",
                assertThrows(NullPointerException.class, () -> members(Scope.ONE_FOR_ALL, null))
                        .getMessage());
    }
}

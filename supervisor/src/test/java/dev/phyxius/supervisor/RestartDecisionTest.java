package dev.phyxius.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.phyxius.supervisor.RestartDecision.Verdict;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The rules table as a pure function: no threads, no clocks, no supervisor. */
@Timeout(10)
class RestartDecisionTest {

    static final int MAX = 3;

    static RestartDecision decide(ChildKind kind, SupervisorAction action, boolean failed, int inWindow) {
        return RestartDecision.of(kind, action, failed, inWindow, MAX);
    }

    @Nested
    class ByKind {
        @ParameterizedTest
        @EnumSource(value = ChildKind.class)
        void aFailureRestartsEveryKindButTemporary(ChildKind kind) {
            Verdict expected = kind == ChildKind.TEMPORARY ? Verdict.END : Verdict.RESTART;
            assertEquals(
                    expected, decide(kind, SupervisorAction.RESTART, true, 0).verdict());
        }

        @Test
        void aPermanentChildThatStopsItselfIsRestarted() {
            assertEquals(
                    Verdict.RESTART,
                    decide(ChildKind.PERMANENT, SupervisorAction.RESTART, false, 0)
                            .verdict());
        }

        @Test
        void aTransientChildThatStopsItselfEndsNormally() {
            assertEquals(
                    Verdict.END,
                    decide(ChildKind.TRANSIENT, SupervisorAction.RESTART, false, 0)
                            .verdict());
        }

        @Test
        void aTemporaryChildIsNeverRestartedNorEscalated() {
            for (SupervisorAction action : SupervisorAction.values()) {
                assertEquals(
                        Verdict.END,
                        decide(ChildKind.TEMPORARY, action, true, 0).verdict(),
                        action.name());
            }
        }
    }

    @Nested
    class ByAction {
        @Test
        void stopEndsARestartableChildForGood() {
            assertEquals(
                    Verdict.END,
                    decide(ChildKind.PERMANENT, SupervisorAction.STOP, true, 0).verdict());
        }

        @Test
        void escalateHandsTheFailureUpWhateverTheWindow() {
            assertEquals(
                    Verdict.ESCALATE,
                    decide(ChildKind.PERMANENT, SupervisorAction.ESCALATE, true, 0)
                            .verdict());
            assertEquals(
                    Verdict.ESCALATE,
                    decide(ChildKind.TRANSIENT, SupervisorAction.ESCALATE, true, MAX)
                            .verdict());
        }
    }

    @Nested
    class Intensity {
        @Test
        void theNthRestartInTheWindowIsAttemptN() {
            for (int inWindow = 0; inWindow < MAX; inWindow++) {
                RestartDecision decision = decide(ChildKind.PERMANENT, SupervisorAction.RESTART, true, inWindow);
                assertEquals(new RestartDecision(Verdict.RESTART, inWindow, inWindow + 1), decision);
            }
        }

        @Test
        void theFailureThatWouldNeedOneMoreRestartGivesUp() {
            assertEquals(
                    new RestartDecision(Verdict.GIVE_UP, MAX, 0),
                    decide(ChildKind.PERMANENT, SupervisorAction.RESTART, true, MAX));
            assertEquals(
                    Verdict.GIVE_UP,
                    decide(ChildKind.PERMANENT, SupervisorAction.RESTART, false, MAX)
                            .verdict(),
                    "a permanent child that keeps stopping itself is given up on too");
        }

        @Test
        void aChildTheRulesEndAnywayIsNotGivenUpOn() {
            assertEquals(
                    Verdict.END,
                    decide(ChildKind.TRANSIENT, SupervisorAction.RESTART, false, MAX)
                            .verdict());
        }
    }
}

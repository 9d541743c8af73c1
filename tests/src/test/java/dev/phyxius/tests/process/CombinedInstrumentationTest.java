package dev.phyxius.tests.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phyxius.process.ProcessInstrumentation;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.ProcessStatus;
import dev.phyxius.process.Processes;
import dev.phyxius.process.Reply;
import dev.phyxius.process.SpawnOptions;
import dev.phyxius.process.StopReason;
import dev.phyxius.testing.ControlledClock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link ProcessInstrumentation#combine}: two hooks in one slot, each as if it were alone. */
@Timeout(10)
class CombinedInstrumentationTest {

    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<CompletableFuture<?>> handedOut = new CopyOnWriteArrayList<>();

    /** Records every call; returns values named after itself, or nulls when {@code quiet}. */
    ProcessInstrumentation recording(String name, boolean quiet, boolean broken) {
        return new ProcessInstrumentation() {
            @Override
            public Object capture(ProcessRef<?> target, Object message) {
                calls.add(name + ".capture " + message);
                fail();
                return quiet ? null : name + "-captured";
            }

            @Override
            public Object beforeHandle(ProcessRef<?> process, Object message, Object captured, long queuedNanos) {
                calls.add(name + ".before " + captured);
                fail();
                return quiet ? null : name + "-scope";
            }

            @Override
            public void afterHandle(Object scope, Throwable error, long handlingNanos) {
                calls.add(name + ".after " + scope);
                fail();
            }

            @Override
            public void attached(ProcessRef<?> process) {
                calls.add(name + ".attached " + process.name());
                fail();
            }

            @Override
            public void detached(ProcessRef<?> process, StopReason reason) {
                calls.add(name + ".detached " + process.name() + " " + reason);
                fail();
            }

            @Override
            public void stopping(ProcessRef<?> process, StopReason reason) {
                calls.add(name + ".stopping " + process.name() + " " + reason);
                fail();
            }

            @Override
            public void awaitable(ProcessRef<?> process, CompletableFuture<?> future) {
                handedOut.add(future);
                calls.add(name + ".awaitable " + process.name());
                fail();
            }

            private void fail() {
                if (broken) {
                    throw new IllegalStateException(name + " is broken");
                }
            }
        };
    }

    @Test
    void eachPartSeesItsOwnValuesAndTheScopesNest() {
        ProcessInstrumentation both =
                ProcessInstrumentation.combine(recording("outer", false, false), recording("inner", false, false));

        Object captured = both.capture(null, "m");
        Object scope = both.beforeHandle(null, "m", captured, 0L);
        both.afterHandle(scope, null, 0L);

        assertEquals(
                List.of(
                        "outer.capture m",
                        "inner.capture m",
                        "outer.before outer-captured",
                        "inner.before inner-captured",
                        "inner.after inner-scope",
                        "outer.after outer-scope"),
                calls);
    }

    @Test
    void everyAfterHandleRunsEvenWhenNoPartReturnedAScope() {
        ProcessInstrumentation both =
                ProcessInstrumentation.combine(recording("outer", true, false), recording("inner", true, false));

        Object captured = both.capture(null, "m");
        assertNull(captured, "nothing captured, nothing allocated");
        both.afterHandle(both.beforeHandle(null, "m", captured, 0L), null, 0L);

        assertEquals(
                List.of(
                        "outer.capture m",
                        "inner.capture m",
                        "outer.before null",
                        "inner.before null",
                        "inner.after null",
                        "outer.after null"),
                calls);
    }

    @Test
    void aBrokenInnerPartKeepsNoCallFromTheOuterOne() {
        ProcessInstrumentation both =
                ProcessInstrumentation.combine(recording("outer", false, false), recording("inner", false, true));

        Object captured = both.capture(null, "m");
        both.afterHandle(both.beforeHandle(null, "m", captured, 0L), null, 0L);

        assertEquals(
                List.of(
                        "outer.capture m",
                        "inner.capture m",
                        "outer.before outer-captured",
                        "inner.before null",
                        "inner.after null",
                        "outer.after outer-scope"),
                calls);
    }

    @Test
    void attachedAndDetachedBracketAProcessOnceEachAndReachBothParts() throws Exception {
        ProcessInstrumentation both =
                ProcessInstrumentation.combine(recording("outer", true, true), recording("inner", true, false));
        ProcessSpec<String, Void, Void> spec = ProcessSpec.<String, Void>named("watched")
                .handler((state, message, tools) -> null)
                .build();
        ProcessRef<String> ref =
                Processes.spawn(spec, SpawnOptions.of(ControlledClock.create()).withInstrumentation(both));
        assertEquals(List.of("outer.attached watched", "inner.attached watched"), calls);
        calls.clear();
        ref.stop(StopReason.NORMAL).get(10, TimeUnit.SECONDS);
        assertEquals(
                List.of("inner.detached watched NORMAL", "outer.detached watched NORMAL"),
                calls.stream().filter(c -> c.contains("detached")).toList());
        assertEquals(ProcessStatus.STOPPED, ref.status(), "a broken part did not keep the stop from completing");
    }

    @Test
    void stopsAndTheFuturesAProcessHandsOutReachBothPartsOnTheCallersThread() throws Exception {
        ProcessInstrumentation both =
                ProcessInstrumentation.combine(recording("outer", true, true), recording("inner", true, false));
        ProcessSpec<Reply<String>, Void, Void> spec = ProcessSpec.<Reply<String>, Void>named("answering")
                .handler((state, reply, tools) -> {
                    reply.send("answer");
                    return null;
                })
                .build();
        ProcessRef<Reply<String>> ref =
                Processes.spawn(spec, SpawnOptions.of(ControlledClock.create()).withInstrumentation(both));
        calls.clear();

        CompletableFuture<String> answer = ref.ask(reply -> reply);
        assertEquals("answer", answer.get(10, TimeUnit.SECONDS)); // answered before the stop
        CompletableFuture<StopReason> termination = ref.termination();
        CompletableFuture<Void> stopped = ref.stop();
        stopped.get(10, TimeUnit.SECONDS);
        assertEquals(
                List.of(answer, answer, termination, termination, stopped, stopped),
                handedOut,
                "each part sees each future, as returned");
        assertEquals(
                List.of("outer.stopping answering NORMAL", "inner.stopping answering NORMAL"),
                calls.stream().filter(c -> c.contains("stopping")).toList());
    }

    @Test
    void anAskRefusedBeforeItsMessageIsQueuedIsHandedOutToo() throws Exception {
        ProcessInstrumentation both =
                ProcessInstrumentation.combine(recording("outer", true, false), recording("inner", true, false));
        ProcessSpec<Reply<String>, Void, Void> spec = ProcessSpec.<Reply<String>, Void>named("stopped")
                .handler((state, reply, tools) -> null)
                .build();
        ProcessRef<Reply<String>> ref =
                Processes.spawn(spec, SpawnOptions.of(ControlledClock.create()).withInstrumentation(both));
        ref.stop().get(10, TimeUnit.SECONDS);
        handedOut.clear();

        CompletableFuture<String> refused = ref.ask(reply -> reply);
        assertTrue(refused.isCompletedExceptionally(), "a stopped process refuses the ask at once");
        assertEquals(List.of(refused, refused), handedOut, "a wait on a refused ask is accounted for");
    }

    @Test
    void nullPartsAreRejectedByName() {
        ProcessInstrumentation one = recording("one", true, false);
        assertEquals(
                "outer",
                assertThrows(NullPointerException.class, () -> ProcessInstrumentation.combine(null, one))
                        .getMessage());
        assertEquals(
                "inner",
                assertThrows(NullPointerException.class, () -> ProcessInstrumentation.combine(one, null))
                        .getMessage());
    }
}

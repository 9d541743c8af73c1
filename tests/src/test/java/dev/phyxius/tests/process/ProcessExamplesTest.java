package dev.phyxius.tests.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phyxius.process.ProcessEvent;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.ProcessStatus;
import dev.phyxius.process.Processes;
import dev.phyxius.process.Reply;
import dev.phyxius.process.SpawnOptions;
import dev.phyxius.process.StopReason;
import dev.phyxius.testing.ControlledClock;
import dev.phyxius.testing.ProcessTestKit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The seed's examples, as tests: counter, resource in state, heartbeat, request/reply. */
@Timeout(30)
class ProcessExamplesTest {

    sealed interface CounterMsg {}

    record Increment(int by) implements CounterMsg {}

    record Get(Reply<Integer> reply) implements CounterMsg {}

    static ProcessSpec<CounterMsg, Integer, Void> counter() {
        return ProcessSpec.<CounterMsg, Integer>named("counter")
                .init(() -> 0)
                .handler((count, msg, tools) -> switch (msg) {
                    case Increment inc -> count + inc.by();
                    case Get get -> {
                        get.reply().send(count);
                        yield count;
                    }
                })
                .build();
    }

    @Test
    void aCounterAddsEveryIncrementAndAnswersAsks() throws Exception {
        ControlledClock clock = ControlledClock.create();
        ProcessRef<CounterMsg> ref = Processes.spawn(counter(), SpawnOptions.of(clock));
        assertEquals(ProcessStatus.RUNNING, ref.status());
        for (int i = 1; i <= 100; i++) {
            assertTrue(ref.send(new Increment(i)));
        }
        CompletableFuture<Integer> total = ref.ask(Get::new);
        assertEquals(5050, total.get(10, TimeUnit.SECONDS));
        ref.stop().get(10, TimeUnit.SECONDS);
        assertEquals(ProcessStatus.STOPPED, ref.status());
    }

    /** A connection-like resource: opened from the context in init, closed in onStop. */
    static final class Connection implements AutoCloseable {
        final String url;
        final List<String> log;
        boolean closed;

        Connection(String url, List<String> log) {
            this.url = url;
            this.log = log;
        }

        @Override
        public void close() {
            closed = true;
            log.add("closed " + url);
        }
    }

    record Config(String url, List<String> log) {}

    sealed interface DbMsg {}

    record Query(String sql, Reply<String> reply) implements DbMsg {}

    @Test
    void theContextReachesInitAndOnStopClosesTheResource() throws Exception {
        List<String> log = new ArrayList<>();
        ProcessSpec<DbMsg, Connection, Config> db = ProcessSpec.<DbMsg, Connection>named("db")
                .init((Config cfg) -> new Connection(cfg.url(), cfg.log()))
                .handler((conn, msg, tools) -> switch (msg) {
                    case Query q -> {
                        q.reply().send(conn.url + ": " + q.sql());
                        yield conn;
                    }
                })
                .onStop((conn, reason, cfg) -> {
                    conn.close();
                    cfg.log().add("onStop " + reason);
                })
                .build();
        ProcessRef<DbMsg> ref = Processes.spawn(
                db, SpawnOptions.of(ControlledClock.create()).withContext(new Config("jdbc:test", log)));
        String answer = ref.<String>ask(reply -> new Query("select 1", reply)).get(10, TimeUnit.SECONDS);
        assertEquals("jdbc:test: select 1", answer);
        ref.stop().get(10, TimeUnit.SECONDS);
        assertEquals(List.of("closed jdbc:test", "onStop NORMAL"), log);
    }

    sealed interface HeartbeatMsg {}

    record Beat() implements HeartbeatMsg {}

    @Test
    void aHeartbeatScheduledOnAControlledClockTicksOncePerAdvance() {
        try (ProcessTestKit kit = ProcessTestKit.create()) {
            ControlledClock clock = kit.clock();
            List<Long> beats = new java.util.concurrent.CopyOnWriteArrayList<>();
            ProcessSpec<HeartbeatMsg, Integer, Void> heartbeat = ProcessSpec.<HeartbeatMsg, Integer>named("heartbeat")
                    .init(() -> 0)
                    .handler((n, msg, tools) -> {
                        beats.add(tools.clock().now().monoNanos());
                        tools.schedule(Duration.ofSeconds(1), new Beat());
                        return n + 1;
                    })
                    .build();
            ProcessRef<HeartbeatMsg> ref = kit.spawn(heartbeat);
            ref.send(new Beat());
            kit.awaitIdle();
            assertEquals(1, clock.pendingTimers(), "the next beat is scheduled");
            kit.advance(Duration.ofMillis(999));
            assertEquals(1, beats.size(), "no beat before a full second");
            for (int second = 1; second <= 3; second++) {
                kit.advance(Duration.ofMillis(second == 1 ? 1 : 1000));
                kit.events().assertCount(ProcessEvent.MessageHandled.class, 1 + second);
                assertEquals(1, clock.pendingTimers(), "beat " + second + " rescheduled");
            }
            assertEquals(List.of(0L, 1_000_000_000L, 2_000_000_000L, 3_000_000_000L), beats);
            ref.stop().join();
            assertEquals(0, clock.pendingTimers(), "stop cancels the pending heartbeat");
        }
    }

    sealed interface SlowMsg {}

    record Ask(Reply<String> reply) implements SlowMsg {}

    @Test
    void aRequestWithoutAReplyTimesOutOnTheProcessClock() throws Exception {
        try (ProcessTestKit kit = ProcessTestKit.create()) {
            // The handler keeps the reply and never answers.
            ProcessSpec<SlowMsg, List<Reply<String>>, Void> silent = ProcessSpec.<SlowMsg, List<Reply<String>>>named(
                            "silent")
                    .init(() -> new ArrayList<>())
                    .handler((kept, msg, tools) -> {
                        kept.add(((Ask) msg).reply());
                        return kept;
                    })
                    .build();
            ProcessRef<SlowMsg> ref = kit.spawn(silent);
            CompletableFuture<String> answer = ref.ask(Ask::new, Duration.ofMillis(250));
            kit.events().awaitEvent(ProcessEvent.MessageHandled.class); // the request is kept, unanswered
            kit.advance(Duration.ofMillis(249));
            assertFalse(answer.isDone(), "not timed out 1 ms early");
            kit.advance(Duration.ofMillis(1));
            ExecutionException failure = assertThrows(ExecutionException.class, () -> answer.get(1, TimeUnit.SECONDS));
            assertInstanceOf(TimeoutException.class, failure.getCause());
            ref.stop(StopReason.SHUTDOWN).join();
        }
    }
}

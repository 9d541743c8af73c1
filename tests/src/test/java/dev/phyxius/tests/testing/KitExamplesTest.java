package dev.phyxius.tests.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.phyxius.process.ProcessEvent;
import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.Reply;
import dev.phyxius.process.StopReason;
import dev.phyxius.testing.PhyxiusTest;
import dev.phyxius.testing.ProcessTestKit;
import dev.phyxius.testing.ReplyProbe;
import dev.phyxius.testing.TestProbe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The seed's examples written as kit tests; the README's "Testing" section shows these very
 * lines, so they are known to compile and pass. The supervised example is in
 * {@link SupervisedKitExampleTest}.
 */
@PhyxiusTest
@Timeout(30)
class KitExamplesTest {

    // --- 1. Counter -----------------------------------------------------------------------------

    sealed interface CounterMsg {}

    record Increment(int by) implements CounterMsg {}

    record Get(Reply<Integer> reply) implements CounterMsg {}

    static final ProcessSpec<CounterMsg, Integer, Void> COUNTER = ProcessSpec.<CounterMsg, Integer>named("counter")
            .init(() -> 0)
            .handler((count, msg, tools) -> switch (msg) {
                case Increment inc -> count + inc.by();
                case Get get -> {
                    get.reply().send(count);
                    yield count;
                }
            })
            .build();

    @Test
    void aCounterAnswersWithTheSumOfItsIncrements(ProcessTestKit kit) {
        ProcessRef<CounterMsg> counter = kit.spawn(COUNTER);
        for (int i = 1; i <= 100; i++) {
            counter.send(new Increment(i));
        }
        ReplyProbe<Integer> total = kit.replyProbe();
        counter.send(new Get(total));
        total.expectReply(5050);
        kit.awaitIdle(); // the reply is sent from inside the handler, before its event
        kit.events().assertCount(ProcessEvent.MessageHandled.class, 101);
    }

    // --- 2. A resource: opened from the context in init, closed in onStop ----------------------

    record Config(String url, List<String> log) {}

    static final class Connection {
        final String url;

        Connection(String url) {
            this.url = url;
        }

        String query(String sql) {
            return url + ": " + sql;
        }
    }

    sealed interface DbMsg {}

    record Query(String sql, Reply<String> reply) implements DbMsg {}

    static final ProcessSpec<DbMsg, Connection, Config> DATABASE = ProcessSpec.<DbMsg, Connection>named("db")
            .init((Config cfg) -> {
                cfg.log().add("open " + cfg.url());
                return new Connection(cfg.url());
            })
            .handler((conn, msg, tools) -> switch (msg) {
                case Query q -> {
                    q.reply().send(conn.query(q.sql()));
                    yield conn;
                }
            })
            .onStop((conn, reason, cfg) -> cfg.log().add("close " + conn.url + " (" + reason + ")"))
            .build();

    @Test
    void theContextReachesInitAndOnStopClosesTheResource(ProcessTestKit kit) {
        List<String> log = new ArrayList<>();
        ProcessRef<DbMsg> db = kit.spawn(DATABASE, new Config("jdbc:test", log));
        ReplyProbe<String> answer = kit.replyProbe();
        db.send(new Query("select 1", answer));
        answer.expectReply("jdbc:test: select 1");
        db.stop().join();
        assertEquals(List.of("open jdbc:test", "close jdbc:test (NORMAL)"), log);
        assertEquals(
                StopReason.NORMAL,
                kit.events().awaitEvent(ProcessEvent.Stopped.class).reason());
    }

    // --- 4. A heartbeat from self-scheduled messages ---------------------------------------------

    sealed interface HeartMsg {}

    record Start() implements HeartMsg {}

    record Beat() implements HeartMsg {}

    record Pulse(int n) {}

    static ProcessSpec<HeartMsg, Integer, Void> heartbeat(ProcessRef<Pulse> monitor, Duration every) {
        return ProcessSpec.<HeartMsg, Integer>named("heartbeat")
                .init(() -> 0)
                .handler((beats, msg, tools) -> switch (msg) {
                    case Start start -> {
                        tools.schedule(every, new Beat());
                        yield beats;
                    }
                    case Beat beat -> {
                        monitor.send(new Pulse(beats + 1));
                        tools.schedule(every, new Beat()); // the next beat, one period later
                        yield beats + 1;
                    }
                })
                .build();
    }

    @Test
    void theHeartbeatTicksOncePerSecondOfControlledTime(ProcessTestKit kit) {
        TestProbe<Pulse> monitor = kit.probe("monitor");
        kit.spawn(heartbeat(monitor, Duration.ofSeconds(1))).send(new Start());

        monitor.expectNoMessage(Duration.ofMillis(999)); // advance 999 ms: nothing yet
        kit.advance(Duration.ofMillis(1)); // advance 1 ms: the first beat
        monitor.expectMessage(new Pulse(1));
        kit.advance(Duration.ofSeconds(3)); // three more, each in its own second
        monitor.expectMessage(new Pulse(2));
        monitor.expectMessage(new Pulse(3));
        monitor.expectMessage(new Pulse(4));
        monitor.expectNoMessage();
    }

    // --- 5. Request/reply with a timeout --------------------------------------------------------

    sealed interface ServerMsg {}

    record Work(String job, Reply<String> reply) implements ServerMsg {}

    record Done(String job, Reply<String> reply) implements ServerMsg {}

    /** Answers a job after {@code takes}, as a slow backend would; keeps pending replies as state. */
    static ProcessSpec<ServerMsg, Void, Void> server(Duration takes) {
        return ProcessSpec.<ServerMsg, Void>named("server")
                .handler((state, msg, tools) -> {
                    switch (msg) {
                        case Work work -> tools.schedule(takes, new Done(work.job(), work.reply()));
                        case Done done -> done.reply().send(done.job() + " done");
                    }
                    return null;
                })
                .build();
    }

    @Test
    void aReplyWithinTheTimeoutCompletesTheAsk(ProcessTestKit kit) {
        ProcessRef<ServerMsg> server = kit.spawn(server(Duration.ofMillis(200)));
        CompletableFuture<String> answer = server.ask(reply -> new Work("report", reply), Duration.ofMillis(250));
        kit.advance(Duration.ofMillis(200));
        assertEquals("report done", answer.join());
    }

    @Test
    void anAskTimesOutOnTheControlledClock(ProcessTestKit kit) {
        ProcessRef<ServerMsg> server = kit.spawn(server(Duration.ofSeconds(1)));
        CompletableFuture<String> answer = server.ask(reply -> new Work("report", reply), Duration.ofMillis(250));
        kit.advance(Duration.ofMillis(249));
        assertFalse(answer.isDone(), "not a millisecond early");
        kit.advance(Duration.ofMillis(1));
        CompletionException failure = assertThrows(CompletionException.class, answer::join);
        assertInstanceOf(TimeoutException.class, failure.getCause());
        kit.advance(Duration.ofSeconds(1)); // the late answer is ignored
    }
}

package dev.phyxius.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phyxius.process.ProcessRef;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.ProcessStatus;
import dev.phyxius.process.Reply;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ProbesTest {

    final ProcessTestKit kit = ProcessTestKit.create();

    @AfterEach
    void tearDown() {
        kit.close();
        kit.assertNothingUnexpected();
    }

    sealed interface Notice {}

    record Hello(String who) implements Notice {}

    record Bye(String who) implements Notice {}

    /** Greets whoever it is told about on {@code to}, after {@code delay}. */
    ProcessRef<String> greeter(ProcessRef<Notice> to, Duration delay) {
        return kit.spawn(ProcessSpec.<String, Void>named("greeter")
                .handler((state, message, tools) -> {
                    if (message.startsWith("later:")) {
                        to.send(new Bye(message.substring(6)));
                    } else if (delay.isZero()) {
                        to.send(new Hello(message));
                    } else {
                        tools.schedule(delay, "later:" + message);
                    }
                    return null;
                })
                .build());
    }

    @Nested
    class TestProbes {

        @Test
        void expectMessageReturnsWhatAProcessSentToTheProbe() {
            TestProbe<Notice> probe = kit.probe("inbox");
            greeter(probe, Duration.ZERO).send("ada");
            assertEquals(new Hello("ada"), probe.expectMessage(new Hello("ada")));
        }

        @Test
        void expectMessageTakesMessagesInArrivalOrder() {
            TestProbe<Notice> probe = kit.probe("inbox");
            ProcessRef<String> greeter = greeter(probe, Duration.ZERO);
            greeter.send("ada");
            greeter.send("bob");
            probe.expectMessage(new Hello("ada"));
            probe.expectMessage(new Hello("bob"));
            probe.expectNoMessage();
        }

        @Test
        void expectMessageFailsWithTheEventLogWhenAnotherMessageArrives() {
            TestProbe<Notice> probe = kit.probe("inbox");
            greeter(probe, Duration.ZERO).send("ada");
            AssertionError failure = assertThrows(AssertionError.class, () -> probe.expectMessage(new Hello("bob")));
            assertTrue(
                    failure.getMessage().contains("probe inbox: expected Hello[who=bob] but received Hello[who=ada]"),
                    failure.getMessage());
            assertTrue(failure.getMessage().contains("event log:"), failure.getMessage());
        }

        @Test
        void expectMessageClassReturnsTheMessageAsThatClass() {
            TestProbe<Notice> probe = kit.probe("inbox");
            greeter(probe, Duration.ZERO).send("ada");
            Hello hello = probe.expectMessageClass(Hello.class);
            assertEquals("ada", hello.who());
        }

        @Test
        void expectMessageClassFailsForAnotherClass() {
            TestProbe<Notice> probe = kit.probe("inbox");
            probe.send(new Hello("ada"));
            assertThrows(AssertionError.class, () -> probe.expectMessageClass(Bye.class));
        }

        @Test
        void expectNoMessagePassesWhenTheMessageIsDueAfterTheWindow() {
            TestProbe<Notice> probe = kit.probe("inbox");
            greeter(probe, Duration.ofSeconds(5)).send("ada");
            probe.expectNoMessage(Duration.ofMillis(4_999));
            assertEquals(
                    Duration.ofMillis(4_999).toNanos(), kit.clock().monoNanos(), "measured on the controlled clock");
            kit.advance(Duration.ofMillis(1));
            probe.expectMessage(new Bye("ada"));
        }

        @Test
        void expectNoMessageFailsWhenAMessageArrivesWithinTheWindow() {
            TestProbe<Notice> probe = kit.probe("inbox");
            greeter(probe, Duration.ofSeconds(5)).send("ada");
            AssertionError failure =
                    assertThrows(AssertionError.class, () -> probe.expectNoMessage(Duration.ofSeconds(5)));
            assertTrue(failure.getMessage().contains("Bye[who=ada]"), failure.getMessage());
        }

        @Test
        void expectNoMessageFailsOnAMessageLeftUnexpectedEarlier() {
            TestProbe<Notice> probe = kit.probe("inbox");
            probe.send(new Hello("ada"));
            assertThrows(AssertionError.class, probe::expectNoMessage);
        }

        @Test
        void aProbeIsARealProcessRef() throws Exception {
            TestProbe<Notice> probe = kit.probe("inbox");
            assertEquals(ProcessStatus.RUNNING, probe.status());
            assertEquals("inbox", probe.name());
            assertTrue(probe.send(new Hello("ada")));
            assertEquals(List.of(new Hello("ada")), awaitPending(probe));
            // A probe never answers, so an ask times out on the kit's clock.
            CompletableFuture<String> answer = probe.ask(reply -> new Hello("asker"), Duration.ofSeconds(1));
            kit.advance(Duration.ofSeconds(1));
            ExecutionException failure = assertThrows(ExecutionException.class, () -> answer.get(10, TimeUnit.SECONDS));
            assertInstanceOf(TimeoutException.class, failure.getCause());
            probe.expectMessage(new Hello("ada"));
            probe.expectMessage(new Hello("asker"));
            probe.stop().join();
            assertEquals(ProcessStatus.STOPPED, probe.status());
        }

        private List<Notice> awaitPending(TestProbe<Notice> probe) {
            kit.awaitIdle();
            return probe.pendingMessages();
        }
    }

    sealed interface Request {}

    record Twice(int value, Reply<Integer> reply) implements Request {}

    record Slowly(int value, Reply<Integer> reply) implements Request {}

    record Deliver(Reply<Integer> reply, int value) implements Request {}

    ProcessRef<Request> doubler() {
        return kit.spawn(ProcessSpec.<Request, Void>named("doubler")
                .handler((state, message, tools) -> {
                    switch (message) {
                        case Twice d
                        when d.value() < 0 -> d.reply().fail(new IllegalArgumentException("negative: " + d.value()));
                        case Twice d -> {
                            d.reply().send(d.value() * 2);
                            d.reply().send(-1); // only the first answer counts
                        }
                        case Slowly s -> tools.schedule(Duration.ofSeconds(1), new Deliver(s.reply(), s.value() * 2));
                        case Deliver d -> d.reply().send(d.value());
                    }
                    return null;
                })
                .build());
    }

    @Nested
    class ReplyProbes {

        @Test
        void expectReplyReturnsTheFirstAnswer() {
            ReplyProbe<Integer> reply = kit.replyProbe();
            doubler().send(new Twice(21, reply));
            assertEquals(42, reply.expectReply(42));
        }

        @Test
        void expectReplyFailsWhenTheRequestFailed() {
            ReplyProbe<Integer> reply = kit.replyProbe();
            doubler().send(new Twice(-1, reply));
            AssertionError failure = assertThrows(AssertionError.class, reply::expectReply);
            assertInstanceOf(IllegalArgumentException.class, failure.getCause());
        }

        @Test
        void expectFailureReturnsTheErrorOfTheExpectedClass() {
            ReplyProbe<Integer> reply = kit.replyProbe();
            doubler().send(new Twice(-3, reply));
            assertEquals(
                    "negative: -3",
                    reply.expectFailure(IllegalArgumentException.class).getMessage());
            assertThrows(AssertionError.class, () -> reply.expectFailure(IllegalStateException.class));
        }

        @Test
        void expectFailureFailsOnAValue() {
            ReplyProbe<Integer> reply = kit.replyProbe();
            doubler().send(new Twice(1, reply));
            assertThrows(AssertionError.class, reply::expectFailure);
        }

        @Test
        void expectNoReplyPassesUntilALateAnswerIsDue() {
            ReplyProbe<Integer> reply = kit.replyProbe();
            doubler().send(new Slowly(5, reply));
            reply.expectNoReply(Duration.ofMillis(999));
            AssertionError failure =
                    assertThrows(AssertionError.class, () -> reply.expectNoReply(Duration.ofMillis(1)));
            assertTrue(failure.getMessage().contains("the reply 10"), failure.getMessage());
            assertEquals(10, reply.expectReply());
        }

        @Test
        void aNullAnswerIsAReply() {
            ReplyProbe<String> reply = kit.replyProbe();
            reply.send(null);
            assertTrue(reply.answered());
            assertNull(reply.expectReply());
        }
    }
}

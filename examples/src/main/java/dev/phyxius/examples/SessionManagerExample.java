package dev.phyxius.examples;

import dev.phyxius.clock.Clock;
import dev.phyxius.clock.EventSink;
import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.Reply;
import dev.phyxius.process.StopReason;
import dev.phyxius.supervisor.KeyedEvent;
import dev.phyxius.supervisor.KeyedOptions;
import dev.phyxius.supervisor.KeyedProcesses;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A session manager: one process per signed-in user, started by the user's first request, saved
 * and let go when idle or when too many users are live, loaded again on their next request.
 */
public final class SessionManagerExample {

    sealed interface SessionMsg {}

    record View(String page) implements SessionMsg {}

    record AddToCart(String item) implements SessionMsg {}

    record Summary(Reply<String> reply) implements SessionMsg {}

    /** A user's session: what they looked at and what is in their cart. */
    record Session(String user, int views, List<String> cart) {
        Session viewed() {
            return new Session(user, views + 1, cart);
        }

        Session add(String item) {
            List<String> more = new ArrayList<>(cart);
            more.add(item);
            return new Session(user, views, List.copyOf(more));
        }
    }

    private SessionManagerExample() {}

    /**
     * The spec of every user's session; its context is the user id (the key), so {@code init}
     * loads the session and {@code onStop} saves it.
     *
     * @param store where sessions live between their processes (a database in a real service)
     * @return the spec
     */
    static ProcessSpec<SessionMsg, Session, String> session(Map<String, Session> store) {
        return ProcessSpec.<SessionMsg, Session>named("session")
                .init((String user) -> store.getOrDefault(user, new Session(user, 0, List.of())))
                .handler((session, msg, tools) -> switch (msg) {
                    case View view -> session.viewed();
                    case AddToCart add -> session.add(add.item());
                    case Summary summary -> {
                        summary.reply()
                                .send(session.user() + ": " + session.views() + " views, cart " + session.cart());
                        yield session;
                    }
                })
                .onStop((session, reason, user) -> {
                    if (!(reason instanceof StopReason.Error)) { // a failed session may be corrupt
                        store.put(user, session);
                    }
                })
                .build();
    }

    /**
     * Runs the example: three users, at most two live sessions, a one second idle timeout.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted while waiting for the sessions to passivate
     */
    public static void main(String[] args) throws InterruptedException {
        Map<String, Session> store = new ConcurrentHashMap<>();
        CountDownLatch twoIdle = new CountDownLatch(2);
        EventSink printer = event -> {
            switch (event) {
                case KeyedEvent.Activated activated -> System.out.println("  + " + activated.key() + " is live");
                case KeyedEvent.Evicted evicted ->
                    System.out.println("  - " + evicted.key() + " evicted (" + evicted.liveKeys() + " live, at most "
                            + evicted.maxLive() + ")");
                case KeyedEvent.Passivated passivated -> {
                    System.out.println("  - " + passivated.key() + " passivated: "
                            + passivated.reason().why());
                    if (passivated.cause() == KeyedEvent.PassivationCause.IDLE) {
                        twoIdle.countDown();
                    }
                }
                default -> {}
            }
        };
        KeyedProcesses<String, SessionMsg> sessions = KeyedProcesses.create(
                session(store),
                KeyedOptions.of(Clock.system())
                        .withIdleTimeout(Duration.ofSeconds(1))
                        .withMaxLiveKeys(2)
                        .withEvents(printer));

        System.out.println("alice and bob browse:");
        sessions.send("alice", new View("/home"));
        sessions.send("alice", new AddToCart("book"));
        sessions.send("bob", new View("/home"));
        System.out.println("  " + sessions.<String>ask("alice", Summary::new).join());
        System.out.println("  " + sessions.<String>ask("bob", Summary::new).join());

        System.out.println("carol arrives; the least recently used session makes room:");
        sessions.send("carol", new View("/sale"));
        System.out.println("  " + sessions.<String>ask("carol", Summary::new).join());

        System.out.println("alice comes back, her cart loaded from the store:");
        sessions.send("alice", new View("/cart"));
        System.out.println("  " + sessions.<String>ask("alice", Summary::new).join());

        System.out.println("everyone goes quiet:");
        if (!twoIdle.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the sessions did not passivate");
        }
        sessions.close();
        System.out.println("saved sessions: " + store.keySet().stream().sorted().toList());
    }
}

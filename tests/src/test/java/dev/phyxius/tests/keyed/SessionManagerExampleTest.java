package dev.phyxius.tests.keyed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.phyxius.process.ProcessSpec;
import dev.phyxius.process.Reply;
import dev.phyxius.process.StopReason;
import dev.phyxius.supervisor.KeyedEvent;
import dev.phyxius.supervisor.KeyedProcesses;
import dev.phyxius.supervisor.KeyedProcesses.KeyState;
import dev.phyxius.testing.PhyxiusTest;
import dev.phyxius.testing.ProcessTestKit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The session manager of the README's "Keyed processes" section, run on the kit's clock. */
@PhyxiusTest
@Timeout(30)
class SessionManagerExampleTest {

    sealed interface SessionMsg {}

    record View(String page) implements SessionMsg {}

    record AddToCart(String item) implements SessionMsg {}

    record Summary(Reply<String> reply) implements SessionMsg {}

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

    // The README's code, from here...
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
    // ...to here.

    final Map<String, Session> store = new ConcurrentHashMap<>();

    KeyedProcesses<String, SessionMsg> sessions(ProcessTestKit kit) {
        return KeyedProcesses.create(
                session(store),
                Keyed.options(kit).withIdleTimeout(Duration.ofMinutes(30)).withMaxLiveKeys(2));
    }

    @Test
    void anIdleSessionIsSavedAndLetGoThenLoadedOnTheUsersNextRequest(ProcessTestKit kit) {
        KeyedProcesses<String, SessionMsg> sessions = sessions(kit);
        sessions.send("alice", new View("/home"));
        sessions.send("alice", new AddToCart("book"));
        assertEquals(
                "alice: 1 views, cart [book]",
                sessions.<String>ask("alice", Summary::new).join());

        kit.advance(Duration.ofMinutes(30));
        Keyed.awaitState(kit, sessions, "alice", KeyState.ABSENT);
        assertEquals(new Session("alice", 1, List.of("book")), store.get("alice"));

        sessions.send("alice", new View("/cart"));
        assertEquals(
                "alice: 2 views, cart [book]",
                sessions.<String>ask("alice", Summary::new).join());
        sessions.close();
    }

    @Test
    void theLeastRecentlyUsedSessionMakesRoomForANewUser(ProcessTestKit kit) {
        KeyedProcesses<String, SessionMsg> sessions = sessions(kit);
        sessions.send("alice", new AddToCart("book"));
        sessions.<String>ask("alice", Summary::new).join();
        sessions.send("bob", new View("/home"));
        sessions.<String>ask("bob", Summary::new).join();
        sessions.send("alice", new View("/cart")); // bob is now the least recently used
        assertEquals(
                "alice: 1 views, cart [book]",
                sessions.<String>ask("alice", Summary::new).join());

        sessions.send("carol", new View("/sale"));
        assertEquals(
                "carol: 1 views, cart []",
                sessions.<String>ask("carol", Summary::new).join());
        kit.events()
                .awaitEvent(
                        KeyedEvent.Passivated.class,
                        passivated -> passivated.key().equals("bob"));
        assertEquals(new Session("bob", 1, List.of()), store.get("bob"));
        assertEquals(java.util.Set.of("alice", "carol"), sessions.liveKeys());

        sessions.close(); // a shutdown saves the live sessions too
        assertEquals(new Session("alice", 1, List.of("book")), store.get("alice"));
        assertEquals(new Session("carol", 1, List.of()), store.get("carol"));
    }
}

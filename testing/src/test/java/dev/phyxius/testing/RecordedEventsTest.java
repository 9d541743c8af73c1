package dev.phyxius.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phyxius.clock.Event;
import dev.phyxius.clock.Timestamp;
import dev.phyxius.testing.internal.EventJournal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class RecordedEventsTest {

    record Note(Timestamp at, String text) implements Event {}
    record Typed(Timestamp at, Class<?> messageType) implements Event {}

    final EventJournal journal = new EventJournal();
    final RecordedEvents events = new RecordedEvents(journal, Duration.ofSeconds(10));

    static Note note(long millis, String text) {
        return new Note(new Timestamp(millis, Duration.ofMillis(millis).toNanos()), text);
    }

    @Test
    void theDumpShowsIndexTimeTypeAndFieldsButNotTheTimestampAgain() {
        journal.emit(note(1500, "hello"));
        assertEquals("  #0      +1500ms  RecordedEventsTest.Note[text=hello]", events.dump());
    }

    @Test
    void theDumpShortensMessageClassNames() {
        journal.emit(new Typed(new Timestamp(0, 0), Note.class));
        assertTrue(events.dump().endsWith("Typed[messageType=RecordedEventsTest.Note]"), events.dump());
    }

    @Test
    void failureMessagesShowTheLastEventsOfALongLog() {
        for (int i = 0; i < 250; i++) {
            journal.emit(note(i, "n" + i));
        }
        AssertionError failure = assertThrows(AssertionError.class, () -> events.assertNone(Note.class));
        assertTrue(failure.getMessage().contains("last 200 of 250 events"), failure.getMessage());
        assertTrue(failure.getMessage().contains("#249"), failure.getMessage());
        assertTrue(!failure.getMessage().contains("#49 "), "the oldest events are left out");
        assertEquals(250, events.dump().lines().count(), "dump() shows everything");
    }

    @Test
    void ofTypeFiltersByTypeAndCondition() {
        journal.emit(note(0, "a"));
        journal.emit(new Typed(new Timestamp(0, 0), String.class));
        journal.emit(note(0, "b"));
        assertEquals(List.of("a", "b"), events.ofType(Note.class).stream().map(Note::text).toList());
        assertEquals(List.of("b"), events.ofType(Note.class, n -> n.text().equals("b")).stream().map(Note::text).toList());
    }

    @Test
    void awaitEventWaitsForAnEventFromAnotherThread() throws InterruptedException {
        Thread emitter = Thread.ofVirtual().start(() -> {
            journal.emit(note(0, "early"));
            journal.emit(note(1, "wanted"));
        });
        Note found = events.awaitEvent(Note.class, n -> n.text().equals("wanted"));
        assertEquals("wanted", found.text());
        emitter.join();
    }

    @Test
    void anEmptyLogSaysSo() {
        assertEquals("  (no events)", events.dump());
        events.assertNone(Note.class);
        assertEquals(List.of(), events.assertCount(Note.class, 0));
    }
}

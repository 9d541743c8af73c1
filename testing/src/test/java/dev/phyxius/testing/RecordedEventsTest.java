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
        assertEquals(
                List.of("a", "b"),
                events.ofType(Note.class).stream().map(Note::text).toList());
        assertEquals(
                List.of("b"),
                events.ofType(Note.class, n -> n.text().equals("b")).stream()
                        .map(Note::text)
                        .toList());
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
    void awaitEventsWaitsForTheNthMatchingEventAndReturnsTheFirstN() throws InterruptedException {
        journal.emit(note(0, "m0"));
        Thread emitter = Thread.ofVirtual().start(() -> {
            for (int i = 1; i < 5; i++) {
                journal.emit(new Typed(new Timestamp(i, i), String.class));
                journal.emit(note(i, "m" + i));
            }
        });
        List<Note> found = events.awaitEvents(Note.class, 3, n -> !n.text().equals("m1"));
        assertEquals(List.of("m0", "m2", "m3"), found.stream().map(Note::text).toList());
        emitter.join();
        assertEquals(
                List.of("m0", "m1"),
                events.awaitEvents(Note.class, 2).stream().map(Note::text).toList(),
                "events recorded before the call count");
    }

    @Test
    void awaitEventsFailsSayingHowManyArrivedWithTheEventLog() {
        RecordedEvents impatient = new RecordedEvents(journal, Duration.ofMillis(20));
        journal.emit(note(0, "only"));
        AssertionError failure = assertThrows(AssertionError.class, () -> impatient.awaitEvents(Note.class, 2));
        assertTrue(failure.getMessage().contains("expected 2 x RecordedEventsTest.Note"), failure.getMessage());
        assertTrue(failure.getMessage().contains("1 recorded"), failure.getMessage());
        assertTrue(failure.getMessage().contains("Note[text=only]"), failure.getMessage());
    }

    @Test
    void awaitEventsNeedsAPositiveCount() {
        assertEquals(
                "count must be at least 1, was 0",
                assertThrows(IllegalArgumentException.class, () -> events.awaitEvents(Note.class, 0))
                        .getMessage());
        assertEquals(
                "match",
                assertThrows(NullPointerException.class, () -> events.awaitEvents(Note.class, 1, null))
                        .getMessage());
    }

    @Test
    void anEmptyLogSaysSo() {
        assertEquals("  (no events)", events.dump());
        events.assertNone(Note.class);
        assertEquals(List.of(), events.assertCount(Note.class, 0));
    }
}

package dev.tether.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventLogTest {

    private static BusEvent event(long i) {
        return new BusEvent(i, new SessionEvent.TextComplete("text " + i));
    }

    private static List<Long> readAll(EventLog.Cursor cursor) {
        List<Long> seqs = new ArrayList<>();
        for (BusEvent e; (e = cursor.next()) != null; ) {
            seqs.add(e.seq());
        }
        return seqs;
    }

    @Test
    void aCursorReadsOnlyWhatWasAppendedAfterItAcrossChunks() {
        EventLog log = new EventLog();
        for (long i = 1; i <= 40; i++) {
            log.append(event(i));
        }
        EventLog.Cursor late = log.end();
        assertFalse(late.hasNext());
        assertNull(late.next());
        for (long i = 41; i <= 140; i++) {
            log.append(event(i));
        }
        assertTrue(late.hasNext());
        List<Long> expected = new ArrayList<>();
        for (long i = 41; i <= 140; i++) {
            expected.add(i);
        }
        assertEquals(expected, readAll(late));
        assertFalse(late.hasNext());
        log.append(event(141));
        assertEquals(List.of(141L), readAll(late));
    }

    @Test
    void twoCursorsReadTheSameEventsIndependently() {
        EventLog log = new EventLog();
        EventLog.Cursor a = log.end();
        EventLog.Cursor b = log.end();
        for (long i = 1; i <= 70; i++) {
            log.append(event(i));
        }
        assertEquals(1L, a.next().seq());
        List<Long> fromB = readAll(b);
        assertEquals(70, fromB.size());
        assertEquals(69, readAll(a).size());
    }

    @Test
    void afterForgettingANewCursorStartsAfresh() {
        EventLog log = new EventLog();
        log.append(event(1));
        log.forget();
        EventLog.Cursor c = log.end();
        log.append(event(2));
        assertEquals(List.of(2L), readAll(c));
    }
}

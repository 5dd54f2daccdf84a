package dev.tether.session.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.session.SessionSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The index's in-memory entries: listing order kept on every change, pages after a cursor, shared strings. */
class IndexEntriesTest {

    private static final Instant T0 = Instant.parse("2026-11-02T10:00:00Z");
    private static final FileStamp STAMP = new FileStamp(10, 1, "k");

    private static ListingIndex.Entry entry(String id, long seconds, String dir) {
        return new ListingIndex.Entry(new SessionSummary(id, "t", T0, T0.plusSeconds(seconds), 0, new String("build"),
                dir == null ? null : new String(dir)), STAMP, STAMP);
    }

    private static List<String> ids(List<SessionSummary> summaries) {
        return summaries.stream().map(SessionSummary::id).toList();
    }

    @Test
    void orderFollowsEveryChangeNewestFirstTiesById() {
        IndexEntries entries = new IndexEntries();
        entries.put(entry("b", 1, null));
        entries.put(entry("a", 1, null));
        entries.put(entry("c", 2, null));
        assertEquals(List.of("c", "a", "b"), ids(entries.sorted()));

        entries.put(entry("b", 3, null)); // b written again: moves to the front, once
        assertEquals(List.of("b", "c", "a"), ids(entries.sorted()));
        assertEquals(3, entries.size());

        assertTrue(entries.remove("c", null));
        assertFalse(entries.remove("c", null));
        assertEquals(List.of("b", "a"), ids(entries.sorted()));
        assertEquals(List.of("b", "a"), ids(entries.page(null, null, 10).sessions()));
    }

    @Test
    void replaceAndRemoveOnlyApplyToTheEntryTheScanSaw() {
        IndexEntries entries = new IndexEntries();
        ListingIndex.Entry seen = entry("a", 1, null);
        entries.put(seen);
        entries.put(entry("a", 5, null)); // this process wrote meanwhile
        assertFalse(entries.replace(seen, entry("a", 2, null)), "a stale scan result does not replace newer data");
        assertFalse(entries.remove("a", seen));
        assertEquals(T0.plusSeconds(5), entries.get("a").summary().updatedAt());

        assertTrue(entries.replace(null, entry("new", 0, null)), "absent: added");
        assertFalse(entries.replace(null, entry("new", 9, null)), "present: not replaced as absent");
        assertEquals(List.of("a", "new"), ids(entries.sorted()));
    }

    @Test
    void pagesFollowTheCursorAcrossChangesWithoutRepeats() {
        IndexEntries entries = new IndexEntries();
        for (int i = 0; i < 25; i++) {
            entries.put(entry(String.format("s%02d", i), i, null));
        }
        SessionPage first = entries.page(null, null, 10);
        assertEquals("s24", first.sessions().get(0).id());
        assertEquals(10, first.sessions().size());

        entries.put(entry("s00", 100, null)); // new activity goes to the front, not into pages still to read
        List<String> rest = new ArrayList<>();
        String cursor = first.nextCursor();
        while (cursor != null) {
            SessionPage page = entries.page(ListingCursor.decode(cursor), null, 10);
            rest.addAll(ids(page.sessions()));
            cursor = page.nextCursor();
        }
        assertEquals(14, rest.size());
        assertEquals("s14", rest.get(0));
        assertEquals("s01", rest.get(13));
        assertFalse(rest.contains("s00"));
    }

    @Test
    void exactlyFullLastPageHasNoCursor() {
        IndexEntries entries = new IndexEntries();
        for (int i = 0; i < 4; i++) {
            entries.put(entry("s" + i, i, null));
        }
        SessionPage first = entries.page(null, null, 2);
        SessionPage second = entries.page(ListingCursor.decode(first.nextCursor()), null, 2);
        assertEquals(List.of("s1", "s0"), ids(second.sessions()));
        assertNull(second.nextCursor());
    }

    @Test
    void directoryFilterAndSharedDirectoryStrings() {
        IndexEntries entries = new IndexEntries();
        for (int i = 0; i < 6; i++) {
            entries.put(entry("s" + i, i, "/w/" + (i % 2)));
        }
        SessionPage page = entries.page(null, new DirectoryMatch("/w/1"), 2);
        assertEquals(List.of("s5", "s3"), ids(page.sessions()));
        SessionPage rest = entries.page(ListingCursor.decode(page.nextCursor()), new DirectoryMatch("/w/1"), 2);
        assertEquals(List.of("s1"), ids(rest.sessions()));
        assertNull(rest.nextCursor());

        assertSame(entries.get("s1").summary().directory(), entries.get("s3").summary().directory(),
                "sessions of one directory hold its path once");
        assertSame(entries.get("s0").summary().agent(), entries.get("s2").summary().agent());
    }
}

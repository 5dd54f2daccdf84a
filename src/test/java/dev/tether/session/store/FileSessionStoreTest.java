package dev.tether.session.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.config.Json;
import dev.tether.session.CorruptSessionException;
import dev.tether.session.InvalidRequestException;
import dev.tether.session.InvalidSessionIdException;
import dev.tether.session.Message;
import dev.tether.session.Session;
import dev.tether.session.SessionBusyException;
import dev.tether.session.SessionMetadata;
import dev.tether.session.SessionNotFoundException;
import dev.tether.session.SessionSummary;
import dev.tether.session.StoreException;
import dev.tether.session.ToolUse;
import dev.tether.session.Usage;
import dev.tether.testing.Eventually;
import dev.tether.testing.StoreDefaults;
import java.io.IOException;
import java.time.Duration;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The file store: the {@link SessionStoreContract} plus what only files have (format, torn lines, index, crashes). */
class FileSessionStoreTest extends SessionStoreContract implements QueuedWriterContract {

    @RegisterExtension
    final OpenStores stores = new OpenStores();

    @TempDir
    Path dataDir;

    @Override
    FileSessionStore store() {
        return store(dataDir, StoreDefaults.settings());
    }

    private FileSessionStore store(Path dir, StoreSettings settings) {
        return stores.open(dir, settings);
    }

    @Override
    SessionStore open(StoreSettings settings) {
        return store(dataDir, settings);
    }

    @Override
    public SessionStore replica() {
        return store();
    }

    /**
     * A directory in place of the journal (created empty with the session, opened by the writer at its first
     * commit): the commit cannot open it. Closing puts the original journal back.
     */
    @Override
    AutoCloseable breakAppends(String id) throws Exception {
        Path journal = sessions().resolve(id + ".journal.jsonl");
        byte[] before = Files.exists(journal) ? Files.readAllBytes(journal) : null;
        Files.deleteIfExists(journal);
        Files.createDirectory(journal);
        return () -> {
            Files.delete(journal);
            if (before != null) {
                Files.write(journal, before);
            }
        };
    }

    private Path sessions() {
        return dataDir.resolve("sessions");
    }

    private long journalSeq(String id) {
        try {
            return mapper.readTree(sessions().resolve(id + ".json").toFile()).get("journal_seq").asLong();
        } catch (IOException e) {
            return -1; // being replaced right now
        }
    }

    @Test
    void closeKeepsTheJournalAndDeleteRemovesEveryFile() {
        FileSessionStore store = store();
        Session s = Session.create("Fix the parser", null, SessionMetadata.DEFAULT, T0);
        store.create(s);
        try (SessionWriter w = store.openWriter(s.id())) {
            w.appendMessage(Message.userText("hello"), T0.plusSeconds(1));
        }
        assertTrue(Files.exists(sessions().resolve(s.id() + ".journal.jsonl")),
                "close does not rewrite the snapshot: checkpoints go by journal size, in the background");
        store.delete(s.id());
        assertThrows(SessionNotFoundException.class, () -> store.openWriter("never-created"));
        assertFalse(Files.exists(sessions().resolve(s.id() + ".lock")), "delete removed the lock file");
        assertFalse(Files.exists(sessions().resolve("never-created.lock")), "probing unknown ids leaves nothing");
    }

    @Test
    void scenario1NewSessionSnapshotKeepsKeyOrderAndDefaults() throws Exception {
        FileSessionStore store = store();
        Session s = Session.create(null, null, null, T0);
        store.create(s);
        JsonNode json = mapper.readTree(sessions().resolve(s.id() + ".json").toFile());
        assertEquals(List.of("id", "title", "created_at", "updated_at", "metadata", "agent", "messages", "tool_uses",
                "usage", "journal_seq"), names(json));
        assertEquals(mapper.readTree(mapper.writeValueAsString(SessionMetadata.DEFAULT)), json.get("metadata"));
        assertEquals(mapper.readTree("{\"prompt_tokens\":0,\"completion_tokens\":0,\"total_tokens\":0,"
                + "\"cache_read_tokens\":null,\"cache_write_tokens\":null}"), json.get("usage"));
        assertEquals(0, json.get("tool_uses").size());
        assertEquals(s, store.load(s.id()));
    }

    @Test
    void scenario2StoredJsonWithoutTitleAndWithUnknownFieldLoads() throws Exception {
        Files.createDirectories(sessions());
        Files.writeString(sessions().resolve("old-one.json"), "{\"id\":\"old-one\",\"created_at\":\"2026-11-02T10:15:30+02:00\","
                + "\"shiny_new_field\":{\"x\":[1,2]},\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"}]}]}");
        FileSessionStore store = store();
        Session s = store.load("old-one");
        assertNull(s.title());
        assertEquals(Instant.parse("2026-11-02T08:15:30Z"), s.createdAt());
        assertEquals(s.createdAt(), s.updatedAt());
        assertEquals(1, s.messages().size());
        assertEquals(1, store.listAll().get(0).messageCount());
    }

    @Test
    void scenario3InvalidIdsTouchNoFile() {
        Path fresh = dataDir.resolve("untouched");
        FileSessionStore store = store(fresh, StoreDefaults.settings());
        for (String bad : new String[] {"../etc", "", "x".repeat(129), "a/b", "a.json", "é"}) {
            assertThrows(InvalidSessionIdException.class, () -> store.openWriter(bad), bad);
            assertThrows(InvalidSessionIdException.class, () -> store.delete(bad), bad);
        }
        assertFalse(Files.exists(fresh), "nothing was created");
        assertEquals(0, store.transcriptReads());
    }

    @Test
    void scenario4OversizedSessionIsRefusedWithoutLoading() throws Exception {
        FileSessionStore store = store();
        store.create(session("big", null, T0));
        try (RandomAccessFile f = new RandomAccessFile(sessions().resolve("big.json").toFile(), "rw")) {
            f.setLength(600L * 1024 * 1024); // sparse: no disk used
        }
        long reads = store.transcriptReads();
        CorruptSessionException e = assertThrows(CorruptSessionException.class, () -> store.load("big"));
        assertTrue(e.getMessage().contains("too large"), e.getMessage());
        assertEquals(500, e.status());
        assertEquals(reads, store.transcriptReads(), "nothing was read");
        assertThrows(CorruptSessionException.class, () -> store.openWriter("big"));
        store.delete("big"); // the refused open released its lock
    }

    @Test
    void tornLastLineIsDroppedAndEveryCompleteMessageLoads() throws Exception {
        Path crashed = crashedCopyAfterAppends(5);
        Path journal = crashed.resolve("sessions/s1.journal.jsonl");
        byte[] bytes = Files.readAllBytes(journal);
        int lastLineStart = lastLineStart(bytes);
        int cut = lastLineStart + (bytes.length - lastLineStart) / 2;
        Files.write(journal, java.util.Arrays.copyOf(bytes, cut));

        FileSessionStore store = store(crashed, StoreDefaults.settings());
        assertEquals(texts(4), texts(store.load("s1")));
        try (SessionWriter w = store.openWriter("s1")) {
            assertEquals(5, w.appendMessage(Message.userText("m5 again"), T0), "the torn record's seq is reused");
        }
        assertEquals(5, store.load("s1").messages().size());
        assertEquals("m5 again", store.load("s1").messages().get(4).text());
    }

    @Test
    void corruptMiddleLineIsSkippedAndLaterLinesStillLoad() throws Exception {
        Path crashed = crashedCopyAfterAppends(3);
        Path journal = crashed.resolve("sessions/s1.journal.jsonl");
        String text = Files.readString(journal);
        Files.writeString(journal, text.replaceFirst("m2", "mX")); // CRC no longer matches line 2
        FileSessionStore store = store(crashed, StoreDefaults.settings());
        assertEquals(List.of("m1", "m3"), texts(store.load("s1")));
    }

    @Test
    void crashBetweenJournalAppendAndSnapshotLosesNothing() throws Exception {
        Path crashed = crashedCopyAfterAppends(3);
        FileSessionStore store = store(crashed, StoreDefaults.settings());
        assertEquals(texts(3), texts(store.load("s1")));
        assertEquals(3, store.listAll().get(0).messageCount(), "index rebuilt from snapshot + journal");
    }

    @Test
    void crashBetweenSnapshotRenameAndJournalRollDuplicatesNothing() throws Exception {
        FileSessionStore store = store();
        store.create(session("s1", null, T0));
        SessionWriter w = store.openWriter("s1");
        for (int i = 1; i <= 3; i++) {
            w.appendMessage(Message.userText("m" + i), T0.plusSeconds(i));
        }
        w.commit();
        byte[] unrolled = Files.readAllBytes(sessions().resolve("s1.journal.jsonl"));
        w.close(); // snapshot now includes seq 3, journal rolled away
        Files.write(sessions().resolve("s1.journal.jsonl"), unrolled); // as if the roll never happened
        FileSessionStore after = store(dataDir, StoreDefaults.settings());
        assertEquals(texts(3), texts(after.load("s1")));
        try (SessionWriter w2 = after.openWriter("s1")) {
            assertEquals(4, w2.appendMessage(Message.userText("m4"), T0.plusSeconds(4)));
        }
        assertEquals(texts(4), texts(after.load("s1")));
    }

    @Test
    void journalPassingSnapshotEveryIsCheckpointedAndEventsSurviveRolls() throws Exception {
        FileSessionStore store = store(dataDir, StoreDefaults.settings().withSnapshotEvery(4).withEventRetention(3));
        store.create(session("s1", null, T0));
        try (SessionWriter w = store.openWriter("s1")) {
            for (int i = 1; i <= 5; i++) {
                w.appendMessage(Message.userText("m" + i), T0.plusSeconds(i));
                w.appendEvent(mapper.readTree("{\"type\":\"text_complete\",\"n\":" + i + "}"));
                w.commit();
            }
            JsonNode snap = mapper.readTree(sessions().resolve("s1.json").toFile());
            assertEquals(0, snap.get("journal_seq").asLong(), "no checkpoint on the request path");
        }
        assertTrue(Eventually.holds(Duration.ofSeconds(10),
                        () -> journalSeq("s1") == 10 && store.eventsAfter("s1", 0).size() == 3),
                "10 records >= snapshot-every 4: checkpointed and rolled in the background after the writer closed");
        List<StoredEvent> events = store.eventsAfter("s1", 0);
        assertEquals(List.of(6L, 8L, 10L), events.stream().map(StoredEvent::seq).toList(), "last 3 events retained");
        assertEquals(5, events.get(2).event().get("n").asInt());
        assertEquals(List.of(10L), store.eventsAfter("s1", 8).stream().map(StoredEvent::seq).toList());
        try (SessionWriter w = store.openWriter("s1")) {
            assertEquals(11, w.appendEvent(mapper.readTree("{\"type\":\"done\"}")), "sequence keeps increasing");
        }
        assertEquals(texts(5), texts(store.load("s1")));
        assertThrows(SessionNotFoundException.class, () -> store.eventsAfter("nope", 0));
    }

    @Test
    void listingOneThousandSessionsReadsNoTranscript() {
        FileSessionStore writer = store();
        for (int i = 0; i < 1000; i++) {
            writer.create(session(String.format("s%04d", i), "/w/" + (i % 7), T0.plusSeconds(i / 2)));
        }
        assertEquals(0, writer.transcriptReads());
        assertEquals(1000, writer.listAll().size());
        writer.close(); // persists the index

        FileSessionStore store = store(dataDir, StoreDefaults.settings());
        String next = store.list(new ListQuery(Optional.empty(), 150, Optional.empty())).nextCursor();
        assertEquals(150, store.list(new ListQuery(Optional.empty(), 150, Optional.of(next))).sessions().size());
        assertEquals(143, store.listForDirectory("/w/3").size());
        assertEquals(0, store.transcriptReads(), "listing parsed no transcript");
    }

    /** Sessions s0…s(n-1), each a second newer, created by a store that is then closed (its index persisted). */
    private void createAndClose(int n) {
        FileSessionStore first = store();
        for (int i = 0; i < n; i++) {
            first.create(session("s" + i, null, T0.plusSeconds(i)));
        }
        first.close();
    }

    @Test
    void indexIsRebuiltWhenDeletedAndStaleEntriesAreReRead() throws Exception {
        createAndClose(5);
        Path indexFile = sessions().resolve(".index.json");
        assertTrue(Files.exists(indexFile));

        Files.delete(indexFile);
        FileSessionStore rebuilt = store(dataDir, StoreDefaults.settings());
        assertEquals(List.of("s4", "s3", "s2", "s1", "s0"), ids(rebuilt.listAll()));
        assertEquals(5, rebuilt.transcriptReads(), "every session re-read once");
        rebuilt.close();
        assertTrue(Files.exists(indexFile), "rebuilt index persisted");

        // Behind the persisted index's back: s2's snapshot changes, s0 disappears.
        Path s2 = sessions().resolve("s2.json");
        Files.writeString(s2, Files.readString(s2).replace("Title s2", "Changed title"));
        Files.delete(sessions().resolve("s0.json"));
        FileSessionStore stale = store(dataDir, StoreDefaults.settings());
        assertEquals(List.of("s4", "s3", "s2", "s1"), ids(stale.listAll()));
        assertEquals("Changed title", stale.listAll().get(2).title());
        assertEquals(1, stale.transcriptReads(), "only the stale entry was re-read");

        Files.writeString(indexFile, "{ not json");
        FileSessionStore garbage = store(dataDir, StoreDefaults.settings());
        assertEquals(4, garbage.listAll().size(), "unreadable index rebuilt");
    }

    @Test
    void listingSeesSessionsOtherProcessesCreateAndCheckpoint() {
        StoreSettings eager = new StoreSettings(2000, 1L << 29, 100, 256, java.time.Duration.ofSeconds(60), java.time.Duration.ZERO);
        FileSessionStore mine = store(dataDir, eager);
        mine.create(session("mine", null, T0));
        assertEquals(List.of("mine"), ids(mine.listAll()));
        assertEquals(0, mine.transcriptReads(), "own writes need no re-read");

        FileSessionStore other = store(dataDir, eager); // stands in for another replica on the same volume
        other.create(session("theirs", null, T0.plusSeconds(10)));
        try (SessionWriter w = other.openWriter("mine")) {
            w.appendMessage(Message.userText("from elsewhere"), T0.plusSeconds(20));
        }
        assertEquals(List.of("mine", "theirs"), ids(mine.listAll()));
        assertEquals(1, mine.listAll().get(0).messageCount());
        other.delete("theirs");
        assertEquals(List.of("mine"), ids(mine.listAll()));
    }

    @Test
    void pagesSeeWhatAnotherProcessCreatesAndKeepTheirCursor() {
        StoreSettings eager = new StoreSettings(2000, 1L << 29, 100, 256, Duration.ofSeconds(60), Duration.ZERO);
        FileSessionStore mine = store(dataDir, eager);
        for (int i = 0; i < 3; i++) {
            mine.create(session("s" + i, "/w", T0.plusSeconds(i)));
        }
        SessionPage first = mine.list(new ListQuery(Optional.empty(), 2, Optional.empty()));
        assertEquals(List.of("s2", "s1"), ids(first.sessions()));

        FileSessionStore other = store(dataDir, eager); // another replica on the same volume
        other.create(session("theirs", "/w", T0.plusSeconds(10)));
        assertEquals(List.of("theirs", "s2"), ids(mine.list(new ListQuery(Optional.empty(), 2, Optional.empty()))
                .sessions()));
        assertEquals(List.of("theirs", "s2"), ids(mine.list(new ListQuery(Optional.of("/w"), 2, Optional.empty()))
                .sessions()));
        SessionPage rest = mine.list(new ListQuery(Optional.empty(), 2, Optional.of(first.nextCursor())));
        assertEquals(List.of("s0"), ids(rest.sessions()), "new activity does not shift pages already read");
        assertNull(rest.nextCursor());
        assertEquals(1, mine.transcriptReads(), "only the session created elsewhere was read");
    }

    @Test
    void aNewStoreReadsNothingUntilOpenedAndOpensInTheBackground() throws Exception {
        createAndClose(3);
        Files.delete(sessions().resolve(".index.json")); // so that the scan shows in transcriptReads

        FileSessionStore later = store(dataDir, StoreDefaults.settings());
        assertEquals(0, later.transcriptReads(), "constructing the store (at start) scans nothing");
        later.openInBackground(Duration.ZERO);
        assertTrue(Eventually.holds(Duration.ofSeconds(60), () -> later.transcriptReads() == 3),
                "the background scan re-read every session without a listing asking for it");
        assertEquals(List.of("s2", "s1", "s0"), ids(later.listAll()));
        assertEquals(3, later.transcriptReads(), "the listing found the index current");
    }

    @Test
    void closingWaitsForARunningBackgroundOpenInsteadOfCuttingItShort() throws Exception {
        createAndClose(200);
        Files.delete(sessions().resolve(".index.json")); // so that the open re-reads every session

        FileSessionStore later = store(dataDir, StoreDefaults.settings());
        later.openInBackground(Duration.ZERO);
        assertTrue(Eventually.holds(Duration.ofSeconds(60), () -> later.transcriptReads() > 0), "the open started");
        later.close();
        assertEquals(200, later.transcriptReads(), "the open ran to its end before close returned");
        FileSessionStore next = store(dataDir, StoreDefaults.settings());
        assertEquals(200, next.listAll().size());
        assertEquals(0, next.transcriptReads(), "the index the closed store left covers every session");
    }

    @Test
    void aListingBeforeTheDeferredOpenOpensTheStoreItself() throws Exception {
        createAndClose(3);
        Files.delete(sessions().resolve(".index.json")); // so that the scan shows in transcriptReads

        FileSessionStore later = store(dataDir, StoreDefaults.settings());
        later.openInBackground(Duration.ofDays(1));
        assertEquals(List.of("s2", "s1", "s0"), ids(later.listAll()), "the listing did not wait for the open");
        assertEquals(3, later.transcriptReads(), "the listing scanned once");
        later.create(session("s3", "/w", T0.plusSeconds(3)));
        assertEquals(List.of("s3", "s2", "s1", "s0"), ids(later.listAll()));
    }

    @Test
    void corruptSnapshotMakesOnlyThatSessionUnreadable() throws Exception {
        FileSessionStore store = store();
        store.create(session("good", null, T0));
        store.create(session("bad", null, T0.plusSeconds(5)));
        store.create(session("other", null, T0.plusSeconds(6)));
        Files.writeString(sessions().resolve("bad.json"), "{\"id\":\"bad\",\"created_at\":\"2026-");
        Files.writeString(sessions().resolve("other.json"), Files.readString(sessions().resolve("other.json"))
                .replace("\"other\"", "\"imposter\""));
        FileSessionStore fresh = store(dataDir, StoreDefaults.settings());
        CorruptSessionException e = assertThrows(CorruptSessionException.class, () -> fresh.load("bad"));
        assertTrue(e.getMessage().startsWith("Session bad is unreadable"), e.getMessage());
        assertTrue(assertThrows(CorruptSessionException.class, () -> fresh.load("other")).getMessage()
                .contains("another id"));
        assertEquals(List.of("good"), ids(fresh.listAll()));
        assertEquals(1, fresh.count());
    }

    @Test
    void ioFailureIsAStoreException() throws Exception {
        Path notADir = Files.writeString(dataDir.resolve("plain-file"), "x");
        FileSessionStore store = store(notADir, StoreDefaults.settings());
        StoreException e = assertThrows(StoreException.class, store::listAll);
        assertEquals(503, e.status());
        assertFalse(e.getMessage().contains(notADir.toString()), "no paths in messages: " + e.getMessage());
    }

    @Test
    void journalLinesCarryACrcAndStayJson() throws Exception {
        Path crashed = crashedCopyAfterAppends(1);
        String line = Files.readAllLines(crashed.resolve("sessions/s1.journal.jsonl")).get(0);
        JsonNode rec = mapper.readTree(line);
        assertEquals(List.of("seq", "at", "kind", "message", "crc"), names(rec));
        assertTrue(rec.get("crc").asText().matches("[0-9a-f]{8}"));
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        crc.update(b, 0, line.lastIndexOf(",\"crc\""));
        assertEquals(String.format("%08x", crc.getValue()), rec.get("crc").asText());
    }

    // ---- helpers ----------------------------------------------------------------------------------------------------

    /**
     * Appends {@code n} messages to session {@code s1} and copies the files as a crash would leave them (journal
     * written and fsynced, snapshot not rewritten), into a new data dir.
     */
    private Path crashedCopyAfterAppends(int n) throws Exception {
        FileSessionStore store = store();
        store.create(session("s1", null, T0));
        SessionWriter w = store.openWriter("s1");
        for (int i = 1; i <= n; i++) {
            w.appendMessage(Message.userText("m" + i), T0.plusSeconds(i));
        }
        w.commit();
        Path crashed = Files.createDirectories(dataDir.resolve("crashed/sessions"));
        for (String f : new String[] {"s1.json", "s1.journal.jsonl"}) {
            Files.copy(sessions().resolve(f), crashed.resolve(f));
        }
        w.close();
        byte[] snap = Files.readAllBytes(crashed.resolve("s1.json"));
        assertEquals(0, mapper.readTree(snap).get("journal_seq").asLong(), "snapshot predates the appends");
        return crashed.getParent();
    }

    private static int lastLineStart(byte[] bytes) {
        int i = bytes.length - 2;
        while (i >= 0 && bytes[i] != '\n') {
            i--;
        }
        return i + 1;
    }

    private static List<String> texts(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add("m" + i);
        }
        return out;
    }

    private static List<String> names(JsonNode node) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }
}

package dev.tether.session.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.testing.StoreDefaults;
import dev.tether.testing.Eventually;
import dev.tether.config.Json;
import dev.tether.session.CorruptSessionException;
import dev.tether.session.InvalidRequestException;
import dev.tether.session.InvalidSessionIdException;
import dev.tether.session.KeyedTurn;
import dev.tether.session.Message;
import dev.tether.session.Session;
import dev.tether.session.SessionBusyException;
import dev.tether.session.SessionMetadata;
import dev.tether.session.SessionNotFoundException;
import dev.tether.session.SessionResult;
import dev.tether.session.SessionSummary;
import dev.tether.session.StoreException;
import dev.tether.session.TerminalReason;
import dev.tether.session.ToolUse;
import dev.tether.session.Usage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link SessionStore} does (spec §9), run against each store by a subclass: CRUD, journal replay, failed
 * appends that leave nothing half-written, listing and cursor paging with the directory match, the size guard, one
 * writer per session, Idempotency-Key records, and durable events for replay. A second store opened by
 * {@link #open(StoreSettings)} on the same backing stands for a restart or another replica.
 */
abstract class SessionStoreContract {

    static final Instant T0 = Instant.parse("2026-11-02T10:00:00Z");
    /** Per test (keys expire against the real clock at checkpoints: a class-wide instant would age). */
    private final Instant NOW = Instant.now();
    private final Instant EXPIRES = NOW.plus(Duration.ofHours(24));
    final ObjectMapper mapper = Json.internal(Json.mapper());

    @TempDir
    Path dirs;

    /** A store on this test's backing (a second call is a restart or another replica). */
    abstract SessionStore open(StoreSettings settings);

    /**
     * Makes the next append to session {@code id} fail inside the store (after the writer was opened, before any
     * record of it was written); closing the handle repairs the store.
     */
    abstract AutoCloseable breakAppends(String id) throws Exception;

    SessionStore store() {
        return open(StoreDefaults.settings());
    }

    static Session session(String id, String dir, Instant updated) {
        return new Session(id, "Title " + id, T0.minusSeconds(3600), updated, SessionMetadata.DEFAULT.withDirectory(dir),
                null, List.of(), List.of(), Usage.ZERO);
    }

    @Test
    void createAppendLoadListDelete() {
        SessionStore store = store();
        Session s = Session.create("Fix the parser", null, SessionMetadata.DEFAULT, T0);
        store.create(s);
        assertTrue(store.exists(s.id()));
        assertThrows(SessionBusyException.class, () -> store.create(s), "an existing id is refused");
        try (SessionWriter w = store.openWriter(s.id())) {
            assertEquals(1, w.appendMessage(Message.userText("hello"), T0.plusSeconds(1)));
            assertEquals(2, w.appendMessage(Message.assistantText("Hi there"), T0.plusSeconds(2)));
            assertEquals(3, w.appendToolUse(new ToolUse("c1", "read", "{}", "ok", true)));
            assertEquals(4, w.updateMeta("Renamed", SessionMetadata.DEFAULT.withModel("openai/gpt-4o"),
                    Usage.of(10, 5, null, null), T0.plusSeconds(3)));
            assertEquals(4, w.lastSeq());
            assertEquals(2, w.current().messages().size());
            assertEquals(4, w.commit());
            assertEquals(2, open(StoreDefaults.settings()).load(s.id()).messages().size(),
                    "committed appends are durable before close, for every store on the backing");
        }
        Session loaded = store.load(s.id());
        assertEquals(List.of(Message.userText("hello"), Message.assistantText("Hi there")), loaded.messages());
        assertEquals("Renamed", loaded.title());
        assertEquals("openai/gpt-4o", loaded.metadata().model());
        assertEquals(15, loaded.usage().totalTokens());
        assertEquals(1, loaded.toolUses().size());
        assertEquals(T0.plusSeconds(3), loaded.updatedAt());

        SessionSummary summary = store.listAll().get(0);
        assertEquals(2, summary.messageCount());
        assertEquals("Renamed", summary.title());

        SessionTail tail = store.loadTail(s.id(), 1);
        assertEquals(List.of(Message.assistantText("Hi there")), tail.session().messages());
        assertEquals(1, tail.droppedMessages());
        assertEquals(0, tail.droppedToolUses());

        store.delete(s.id());
        assertFalse(store.exists(s.id()));
        assertEquals(0, store.count());
        assertThrows(SessionNotFoundException.class, () -> store.load(s.id()));
        assertThrows(SessionNotFoundException.class, () -> store.delete(s.id()));
        assertThrows(SessionNotFoundException.class, () -> store.openWriter("never-created"));
    }

    @Test
    void invalidIdsAreRejectedBeforeStorageIsTouched() {
        SessionStore store = store();
        for (String bad : new String[] {"../etc", "", "x".repeat(129), "a/b", "a.json", "é"}) {
            assertThrows(InvalidSessionIdException.class, () -> store.load(bad), bad);
            assertThrows(InvalidSessionIdException.class, () -> store.openWriter(bad), bad);
            assertThrows(InvalidSessionIdException.class, () -> store.delete(bad), bad);
            assertThrows(InvalidSessionIdException.class, () -> store.exists(bad), bad);
            assertThrows(InvalidSessionIdException.class, () -> store.eventsAfter(bad, 0), bad);
        }
        assertThrows(InvalidSessionIdException.class, () -> store.load(null));
        assertThrows(SessionNotFoundException.class, () -> store.load("a_B-9"));
        assertThrows(SessionNotFoundException.class, () -> store.load("x".repeat(128)));
    }

    @Test
    void aFailedCommitLeavesNothingHalfWrittenAndTheWriterRefusesMore() throws Exception {
        SessionStore store = store();
        store.create(session("s1", null, T0));
        try (SessionWriter w = store.openWriter("s1")) {
            try (AutoCloseable broken = breakAppends("s1")) {
                w.appendMessage(Message.userText("lost"), T0.plusSeconds(1));
                w.appendEvent(mapper.readTree("{\"type\":\"done\"}"));
                assertThrows(StoreException.class, w::commit);
            }
            assertThrows(StoreException.class, () -> w.appendMessage(Message.userText("refused"), T0),
                    "what the writer holds no longer matches the store");
        }
        assertEquals(0, store.load("s1").messages().size(), "neither record was stored");
        assertEquals(List.of(), store.eventsAfter("s1", 0));
        assertEquals(T0, store.listAll().get(0).updatedAt(), "the listing did not change");
        try (SessionWriter w = store.openWriter("s1")) {
            assertEquals(1, w.appendMessage(Message.userText("kept"), T0.plusSeconds(2)), "the sequence was not used");
        }
        assertEquals(List.of(Message.userText("kept")), open(StoreDefaults.settings()).load("s1").messages());
    }

    @Test
    void oversizedSessionIsRefusedOnLoad() {
        SessionStore small = open(StoreDefaults.settings().withMaxSessionBytes(4096));
        small.create(session("big", null, T0));
        try (SessionWriter w = small.openWriter("big")) {
            for (int i = 0; i < 6; i++) {
                w.appendMessage(Message.userText("x".repeat(1024)), T0.plusSeconds(i));
            }
        }
        // read back by a store that has not got it open (a restart, another replica): the guard is on loading
        SessionStore restarted = open(StoreDefaults.settings().withMaxSessionBytes(4096));
        CorruptSessionException e = assertThrows(CorruptSessionException.class, () -> restarted.load("big"));
        assertTrue(e.getMessage().contains("too large"), e.getMessage());
        assertEquals(500, e.status());
        assertThrows(CorruptSessionException.class, () -> restarted.openWriter("big"));
        restarted.delete("big"); // the refused open released its lock
        assertFalse(restarted.exists("big"));
    }

    @Test
    void directoryListingFollowsCanonicalFormsAndOrder() throws Exception {
        Path ws = Files.createDirectories(dirs.resolve("src/ws"));
        Path link = Files.createSymbolicLink(dirs.resolve("src/link"), ws);
        Path other = Files.createDirectories(dirs.resolve("other"));
        SessionStore store = store();
        store.create(session("A", ws.toString(), T0));
        store.create(session("B", link.toString(), T0.plusSeconds(3600)));
        store.create(session("C", other.toString(), T0.plusSeconds(7200)));
        store.create(session("D", null, T0.minusSeconds(3600)));

        assertEquals(List.of("B", "A"), ids(store.listForDirectory(ws.toString())));
        assertEquals(List.of("B", "A"), ids(store.listForDirectory(link.toString())));
        assertEquals(List.of("C", "B", "A", "D"), ids(store.listAll()));
        assertTrue(store.lastForDirectory(dirs.resolve("nowhere").toString()).isEmpty());
        assertEquals("B", store.lastForDirectory(ws.toString()).orElseThrow().id());
        assertEquals(List.of("B", "A"), ids(store.listForDirectory(ws + "/../ws/")), "normalised query");
    }

    @Test
    void vanishedDirectoryMatchesByAncestorComponents() {
        SessionStore store = store();
        Path gone = dirs.resolve("gone/a/b");
        store.create(session("deep", gone.resolve("c").toString(), T0));
        store.create(session("sibling", dirs.resolve("gone/a/bc").toString(), T0));
        assertEquals(List.of("deep"), ids(store.listForDirectory(gone.toString())), "ancestor of a vanished dir");
        assertEquals(List.of("deep"), ids(store.listForDirectory(gone.resolve("c/d").toString())), "descendant");
    }

    @Test
    void checkpointsKeepTheLastRetainedEventsForReplay() throws Exception {
        SessionStore store = open(StoreDefaults.settings().withSnapshotEvery(4).withEventRetention(3));
        store.create(session("s1", null, T0));
        try (SessionWriter w = store.openWriter("s1")) {
            for (int i = 1; i <= 5; i++) {
                w.appendMessage(Message.userText("m" + i), T0.plusSeconds(i));
                w.appendEvent(mapper.readTree("{\"type\":\"text_complete\",\"n\":" + i + "}"));
                w.commit();
            }
            List<Long> open = store.eventsAfter("s1", 0).stream().map(StoredEvent::seq).toList();
            assertTrue(open.containsAll(List.of(4L, 6L, 8L, 10L)),
                    "while the writer is open every event since the last retained window is replayable: " + open);
        }
        // a store may checkpoint in the background (the file store does, once snapshot-every records follow the
        // snapshot): the retained window is what replay returns once it has
        assertTrue(Eventually.holds(Duration.ofSeconds(10), () -> store.eventsAfter("s1", 0).stream()
                        .map(StoredEvent::seq).toList().equals(List.of(6L, 8L, 10L))),
                "last 3 events retained after the checkpoint: " + store.eventsAfter("s1", 0));
        List<StoredEvent> events = store.eventsAfter("s1", 0);
        assertEquals(5, events.get(2).event().get("n").asInt());
        assertEquals("text_complete", events.get(2).event().get("type").asText());
        assertEquals(List.of(10L), store.eventsAfter("s1", 8).stream().map(StoredEvent::seq).toList());
        try (SessionWriter w = store.openWriter("s1")) {
            assertEquals(11, w.appendEvent(mapper.readTree("{\"type\":\"done\"}")), "sequence keeps increasing");
        }
        assertEquals(List.of("m1", "m2", "m3", "m4", "m5"), texts(store.load("s1")));
        assertThrows(SessionNotFoundException.class, () -> store.eventsAfter("nope", 0));
    }

    @Test
    void oneWriterPerSession() {
        SessionStore store = store();
        store.create(session("s1", null, T0));
        SessionWriter w = store.openWriter("s1");
        assertThrows(SessionBusyException.class, () -> store.openWriter("s1"));
        assertThrows(SessionBusyException.class, () -> store.delete("s1"));
        assertThrows(SessionBusyException.class, () -> store.save(session("s1", null, T0)));
        SessionStore second = open(StoreDefaults.settings());
        assertThrows(SessionBusyException.class, () -> second.openWriter("s1"), "another store on the same backing");
        assertThrows(SessionBusyException.class, () -> second.delete("s1"));
        w.close();
        second.openWriter("s1").close();
        store.delete("s1");
    }

    @Test
    void saveReplacesWholesaleAndKeepsSequencesIncreasing() throws Exception {
        SessionStore store = store();
        store.create(session("s1", null, T0));
        try (SessionWriter w = store.openWriter("s1")) {
            w.appendMessage(Message.userText("m1"), T0);
            w.appendEvent(mapper.readTree("{\"type\":\"done\"}"));
        }
        Session replaced = new Session("s1", "Imported", T0, T0.plusSeconds(99), null, "plan",
                List.of(Message.userText("x"), Message.userText("y")), List.of(), Usage.ZERO);
        store.save(replaced);
        assertEquals(replaced, store.load("s1"));
        assertEquals("Imported", store.listAll().get(0).title());
        assertEquals(2, store.listAll().get(0).messageCount());
        try (SessionWriter w = store.openWriter("s1")) {
            assertEquals(3, w.appendMessage(Message.userText("z"), T0));
        }
        store.save(session("fresh", null, T0));
        assertTrue(store.exists("fresh"));
    }

    @Test
    void listingOneThousandSessionsPagesNewestFirst() {
        SessionStore writer = store();
        for (int i = 0; i < 1000; i++) {
            writer.create(session(String.format("s%04d", i), "/w/" + (i % 7), T0.plusSeconds(i / 2)));
        }
        assertEquals(1000, writer.listAll().size());
        SessionStore store = open(StoreDefaults.settings());
        List<SessionSummary> all = new ArrayList<>();
        Optional<String> cursor = Optional.empty();
        do {
            SessionPage page = store.list(new ListQuery(Optional.empty(), 150, cursor));
            all.addAll(page.sessions());
            cursor = Optional.ofNullable(page.nextCursor());
        } while (cursor.isPresent());
        assertEquals(1000, all.size());
        assertEquals(1000, all.stream().map(SessionSummary::id).distinct().count());
        assertEquals("s0998", all.get(0).id(), "newest first, ties by id");
        assertEquals("s0999", all.get(1).id());
        assertEquals(143, store.listForDirectory("/w/3").size());
        assertEquals(1000, store.count());
    }

    @Test
    void cursorPagingIsStableAndValidated() {
        SessionStore store = store();
        for (int i = 0; i < 25; i++) {
            store.create(session("p" + (char) ('a' + i), null, T0.plusSeconds(i % 5)));
        }
        SessionPage first = store.list(new ListQuery(Optional.empty(), 10, Optional.empty()));
        assertEquals(10, first.sessions().size());
        store.create(session("newest", null, T0.plusSeconds(999))); // new activity does not shift later pages
        SessionPage second = store.list(new ListQuery(Optional.empty(), 10, Optional.of(first.nextCursor())));
        SessionPage third = store.list(new ListQuery(Optional.empty(), 10, Optional.of(second.nextCursor())));
        assertEquals(5, third.sessions().size());
        assertNull(third.nextCursor());
        List<SessionSummary> all = new ArrayList<>(first.sessions());
        all.addAll(second.sessions());
        all.addAll(third.sessions());
        List<SessionSummary> expected = new ArrayList<>(all);
        expected.sort(SessionSummary.NEWEST_FIRST);
        assertEquals(expected, all);
        assertEquals(25, all.stream().map(SessionSummary::id).distinct().count());

        assertThrows(InvalidRequestException.class,
                () -> store.list(new ListQuery(Optional.empty(), 10, Optional.of("not a cursor!"))));
        assertThrows(InvalidRequestException.class,
                () -> store.list(new ListQuery(Optional.empty(), 10, Optional.of("Zm9v"))));
        assertThrows(InvalidRequestException.class, () -> store.list(new ListQuery(Optional.empty(), 0, Optional.empty())));
        assertThrows(InvalidRequestException.class, () -> store.list(new ListQuery(Optional.empty(), 1001, Optional.empty())));
    }

    @Test
    void newSessionsListWithTheirNormalisedTitle() {
        SessionStore store = store();
        store.create(Session.create("  spaced   title ", null, null, T0));
        assertEquals("spaced title", store.listAll().get(0).title());
    }

    // ---- Idempotency-Key records (spec §3.1) --------------------------------------------------------------------------

    private static SessionResult result(String id, String text) {
        return new SessionResult(text, id, TerminalReason.COMPLETED, 2, Usage.of(120, 9, 40L, null), null);
    }

    private Session keyedSession(SessionStore store) {
        Session s = Session.create("keyed", null, null, NOW);
        store.create(s);
        return s;
    }

    @Test
    void aKeyedTurnIsDurableBeforeTheWriterClosesAndAfterACheckpoint() {
        SessionStore first = store();
        Session s = keyedSession(first);
        SessionWriter writer = first.openWriter(s.id());
        writer.appendMessage(Message.userText("an earlier prompt"), NOW);
        writer.appendMessage(Message.assistantText("earlier answer"), NOW);
        long start = writer.appendKeyedPrompt(Message.userText("list the files"), NOW, "key-1", "hash-1", EXPIRES);
        writer.appendMessage(Message.assistantText("a.txt"), NOW);
        long end = writer.recordTurnResult("key-1", result(s.id(), "a.txt"));
        writer.commit();
        // the process dies here: the writer is never closed, only the journal holds the turn

        KeyedTurn expected = new KeyedTurn("key-1", "hash-1", 2, start, EXPIRES.truncatedTo(ChronoUnit.MILLIS),
                result(s.id(), "a.txt"), end);
        assertEquals(expected, open(StoreDefaults.settings()).keyedTurn(s.id(), "key-1", NOW).orElseThrow());
        assertEquals(Optional.empty(), open(StoreDefaults.settings()).keyedTurn(s.id(), "key-2", NOW));

        writer.close(); // checkpoint
        SessionStore restarted = open(StoreDefaults.settings());
        assertEquals(expected, restarted.keyedTurn(s.id(), "key-1", NOW).orElseThrow());
        Session loaded = restarted.load(s.id());
        assertEquals(4, loaded.messages().size());
        assertEquals("list the files", loaded.messages().get(expected.firstMessage()).text());
    }

    @Test
    void aTurnCutByACrashIsKnownWithoutResult() {
        SessionStore first = store();
        Session s = keyedSession(first);
        SessionWriter writer = first.openWriter(s.id());
        long start = writer.appendKeyedPrompt(Message.userText("go"), NOW, "k", "h", EXPIRES);
        writer.commit();
        KeyedTurn turn = open(StoreDefaults.settings()).keyedTurn(s.id(), "k", NOW).orElseThrow();
        assertFalse(turn.hasEnded());
        assertEquals(start, turn.startSeq());
        assertEquals(0, turn.firstMessage());
        writer.close();
    }

    @Test
    void keysExpireAndCheckpointsForgetThem() {
        SessionStore store = store();
        Session s = keyedSession(store);
        Instant soon = NOW.plusSeconds(60);
        try (SessionWriter w = store.openWriter(s.id())) {
            w.appendKeyedPrompt(Message.userText("one"), NOW, "short", "h1", soon);
            w.recordTurnResult("short", result(s.id(), "first"));
            w.appendKeyedPrompt(Message.userText("two"), NOW, "long", "h2", EXPIRES);
            w.recordTurnResult("long", result(s.id(), "second"));
        }
        assertTrue(store.keyedTurn(s.id(), "short", soon.minusMillis(1)).isPresent());
        assertEquals(Optional.empty(), store.keyedTurn(s.id(), "short", soon), "expired at its expiry instant");
        assertTrue(store.keyedTurn(s.id(), "long", soon).isPresent());

        try (SessionWriter w = store.openWriter(s.id())) {
            w.appendKeyedPrompt(Message.userText("three"), NOW, "old", "h3", NOW.minusSeconds(1));
            w.checkpoint();
        }
        SessionStore restarted = open(StoreDefaults.settings());
        assertEquals(Optional.empty(), restarted.keyedTurn(s.id(), "old", NOW.minusSeconds(10)),
                "pruned at the checkpoint, whatever the clock of the lookup");
        assertTrue(restarted.keyedTurn(s.id(), "long", NOW).isPresent());
        assertEquals(3, restarted.load(s.id()).messages().size(), "the messages stay; only the key is forgotten");
    }

    @Test
    void aWholesaleSaveKeepsTheKeysOfTurnsThatRan() {
        SessionStore store = store();
        Session s = keyedSession(store);
        try (SessionWriter w = store.openWriter(s.id())) {
            w.appendKeyedPrompt(Message.userText("go"), NOW, "k", "h", EXPIRES);
            w.recordTurnResult("k", result(s.id(), "done"));
        }
        store.save(store.load(s.id()).withTitle("renamed by an edit", NOW.plusSeconds(1)));
        assertEquals("done", open(StoreDefaults.settings()).keyedTurn(s.id(), "k", NOW).orElseThrow().result().text());
        assertEquals("renamed by an edit", open(StoreDefaults.settings()).load(s.id()).title());
    }

    @Test
    void keyedTurnOfAnUnknownSessionIsNotFound() {
        assertThrows(SessionNotFoundException.class,
                () -> store().keyedTurn("0f3c9a4e-5b7d-4e21-9c3a-7d2e1b0a9f88", "k", NOW));
    }

    // ---- helpers ----------------------------------------------------------------------------------------------------

    static List<String> texts(Session s) {
        return s.messages().stream().map(Message::text).toList();
    }

    static List<String> ids(List<SessionSummary> list) {
        return list.stream().map(SessionSummary::id).toList();
    }
}

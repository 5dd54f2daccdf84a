package dev.tether.session.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.session.KeyedTurn;
import dev.tether.session.Message;
import dev.tether.session.Session;
import dev.tether.session.SessionNotFoundException;
import dev.tether.session.SessionResult;
import dev.tether.session.TerminalReason;
import dev.tether.session.Usage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Idempotency-Key record of a turn is durable with the session: written in the journal with the user message and
 * the result, carried by the snapshot across checkpoints and wholesale saves, read back by a store opened afresh (a
 * restart), and forgotten once expired.
 */
class KeyedTurnStoreTest {

    private static final Instant NOW = Instant.now();
    private static final Instant EXPIRES = NOW.plus(Duration.ofHours(24));
    @RegisterExtension
    final OpenStores stores = new OpenStores();

    @TempDir
    Path dataDir;

    private static SessionResult result(String id, String text) {
        return new SessionResult(text, id, TerminalReason.COMPLETED, 2, Usage.of(120, 9, 40L, null), null);
    }

    private static Session created(FileSessionStore store) {
        Session s = Session.create("keyed", null, null, NOW);
        store.create(s);
        return s;
    }

    @Test
    void aKeyedTurnSurvivesARestartFromTheJournalAndThenFromTheSnapshot() throws Exception {
        FileSessionStore first = stores.open(dataDir);
        Session s = created(first);
        SessionWriter writer = first.openWriter(s.id());
        writer.appendMessage(Message.userText("an earlier prompt"), NOW);
        writer.appendMessage(Message.assistantText("earlier answer"), NOW);
        long start = writer.appendKeyedPrompt(Message.userText("list the files"), NOW, "key-1", "hash-1", EXPIRES);
        writer.appendMessage(Message.assistantText("a.txt"), NOW);
        long end = writer.recordTurnResult("key-1", result(s.id(), "a.txt"));
        writer.commit();
        // the process dies here: the writer is never closed, only the journal holds the turn

        KeyedTurn fromJournal = stores.open(dataDir).keyedTurn(s.id(), "key-1", NOW).orElseThrow();
        KeyedTurn expected = new KeyedTurn("key-1", "hash-1", 2, start, EXPIRES.truncatedTo(
                java.time.temporal.ChronoUnit.MILLIS), result(s.id(), "a.txt"), end);
        assertEquals(expected, fromJournal);
        assertEquals(Optional.empty(), stores.open(dataDir).keyedTurn(s.id(), "key-2", NOW));

        writer.checkpoint(); // snapshot rewritten, journal rolled
        writer.close();
        assertTrue(Files.readString(dataDir.resolve("sessions").resolve(s.id() + ".json")).contains("\"keyed_turns\""));
        assertFalse(Files.exists(dataDir.resolve("sessions").resolve(s.id() + ".journal.jsonl")),
                "no retained events: the journal is gone, the snapshot alone carries the key");
        FileSessionStore restarted = stores.open(dataDir);
        assertEquals(expected, restarted.keyedTurn(s.id(), "key-1", NOW).orElseThrow());
        Session loaded = restarted.load(s.id());
        assertEquals(4, loaded.messages().size());
        assertEquals("list the files", loaded.messages().get(expected.firstMessage()).text());
    }

    @Test
    void aTurnCutByACrashIsKnownWithoutResult() {
        FileSessionStore first = stores.open(dataDir);
        Session s = created(first);
        SessionWriter writer = first.openWriter(s.id());
        long start = writer.appendKeyedPrompt(Message.userText("go"), NOW, "k", "h", EXPIRES);
        writer.commit();
        KeyedTurn turn = stores.open(dataDir).keyedTurn(s.id(), "k", NOW).orElseThrow();
        assertFalse(turn.hasEnded());
        assertEquals(start, turn.startSeq());
        assertEquals(0, turn.firstMessage());
        writer.close();
    }

    @Test
    void keysExpireAndCheckpointsForgetThem() {
        FileSessionStore store = stores.open(dataDir);
        Session s = created(store);
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

        // a checkpoint after the expiry drops the expired record from the snapshot
        try (SessionWriter w = store.openWriter(s.id())) {
            w.appendKeyedPrompt(Message.userText("three"), NOW, "old", "h3", NOW.minusSeconds(1));
            w.checkpoint();
        }
        FileSessionStore restarted = stores.open(dataDir);
        assertEquals(Optional.empty(), restarted.keyedTurn(s.id(), "old", NOW.minusSeconds(10)),
                "pruned from the snapshot, whatever the clock of the lookup");
        assertTrue(restarted.keyedTurn(s.id(), "long", NOW).isPresent());
        assertEquals(3, restarted.load(s.id()).messages().size(), "the messages stay; only the key is forgotten");
    }

    @Test
    void aWholesaleSaveKeepsTheKeysOfTurnsThatRan() {
        FileSessionStore store = stores.open(dataDir);
        Session s = created(store);
        try (SessionWriter w = store.openWriter(s.id())) {
            w.appendKeyedPrompt(Message.userText("go"), NOW, "k", "h", EXPIRES);
            w.recordTurnResult("k", result(s.id(), "done"));
        }
        Session edited = store.load(s.id()).withTitle("renamed by an edit", NOW.plusSeconds(1));
        store.save(edited);
        assertEquals("done", stores.open(dataDir).keyedTurn(s.id(), "k", NOW).orElseThrow().result().text());
        assertEquals("renamed by an edit", stores.open(dataDir).load(s.id()).title());
    }

    @Test
    void unknownSessionIsNotFound() {
        assertThrows(SessionNotFoundException.class,
                () -> stores.open(dataDir).keyedTurn("0f3c9a4e-5b7d-4e21-9c3a-7d2e1b0a9f88", "k", NOW));
    }
}

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
 * Where the file store keeps the Idempotency-Key record of a turn: in the journal with the user message, then in the
 * snapshot once the journal is rolled (what every store does with keys is in {@link SessionStoreContract}).
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
    void aCheckpointMovesTheKeyFromTheJournalIntoTheSnapshot() {
        FileSessionStore first = stores.open(dataDir);
        Session s = created(first);
        try (SessionWriter writer = first.openWriter(s.id())) {
            writer.appendKeyedPrompt(Message.userText("list the files"), NOW, "key-1", "hash-1", EXPIRES);
            writer.recordTurnResult("key-1", result(s.id(), "a.txt"));
            writer.checkpoint(); // closing alone no longer rewrites the snapshot (background checkpoints)
        }
        Path sessions = dataDir.resolve("sessions");
        assertTrue(readString(sessions.resolve(s.id() + ".json")).contains("\"keyed_turns\""));
        assertFalse(Files.exists(sessions.resolve(s.id() + ".journal.jsonl")),
                "no retained events: the journal is gone, the snapshot alone carries the key");
        assertEquals("a.txt", stores.open(dataDir).keyedTurn(s.id(), "key-1", NOW).orElseThrow().result().text());
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

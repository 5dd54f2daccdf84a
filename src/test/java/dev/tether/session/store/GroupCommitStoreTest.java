package dev.tether.session.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.session.Message;
import dev.tether.session.Session;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group commit and open sessions of the file store: staged records are durable (and visible to another store on the
 * same files, as a restart or another process sees them) only after the commit, one commit is one fsync, and a
 * session kept in memory between writers is never served stale after another store wrote it.
 */
class GroupCommitStoreTest {

    private static final Instant T0 = Instant.parse("2026-11-02T10:15:30Z");

    @RegisterExtension
    final OpenStores stores = new OpenStores();
    @TempDir
    Path dataDir;

    private Session created(FileSessionStore store) {
        Session s = Session.create(null, null, null, T0);
        store.create(s);
        return s;
    }

    private static List<String> texts(Session s) {
        return s.messages().stream().map(Message::text).toList();
    }

    @Test
    void stagedRecordsAreDurableTogetherAtTheCommitWithOneFsync() {
        FileSessionStore store = stores.open(dataDir);
        Session s = created(store);
        try (SessionWriter w = store.openWriter(s.id())) {
            w.appendMessage(Message.userText("zero"), T0);
            long beforeFirst = Fsyncs.count();
            w.commit();
            assertEquals(1, Fsyncs.count() - beforeFirst, "the journal was created with the session: one fsync");
            w.appendMessage(Message.userText("one"), T0);
            w.appendMessage(Message.assistantText("two"), T0);
            w.appendEvent(Json.node("{\"type\":\"text_complete\",\"text\":\"two\"}"));
            assertEquals(List.of("zero", "one", "two"), texts(w.current()), "the writer sees what it staged");
            assertEquals(List.of("zero"), texts(stores.open(dataDir).load(s.id())), "not durable before the commit");
            long fsyncs = Fsyncs.count();
            assertEquals(4, w.commit());
            assertEquals(1, Fsyncs.count() - fsyncs, "three records, one fsync");
            assertEquals(List.of("zero", "one", "two"), texts(stores.open(dataDir).load(s.id())), "after a restart");
            assertEquals(1, stores.open(dataDir).eventsAfter(s.id(), 0).size());
            fsyncs = Fsyncs.count();
            assertEquals(4, w.commit(), "an empty commit does nothing");
            assertEquals(0, Fsyncs.count() - fsyncs);
        }
    }

    @Test
    void anOpenSessionIsReusedWithoutReadingTheFilesAndNeverServedStale() {
        FileSessionStore first = stores.open(dataDir);
        Session s = created(first);
        try (SessionWriter w = first.openWriter(s.id())) {
            w.appendMessage(Message.userText("from the first store"), T0);
        }
        long reads = first.transcriptReads();
        try (SessionWriter w = first.openWriter(s.id())) {
            assertEquals(1, w.lastSeq());
            assertEquals(List.of("from the first store"), texts(w.current()));
        }
        assertEquals(List.of("from the first store"), texts(first.load(s.id())));
        assertEquals(reads, first.transcriptReads(), "kept in memory: no snapshot or journal read");

        FileSessionStore other = stores.open(dataDir); // another process on the same volume
        try (SessionWriter w = other.openWriter(s.id())) {
            assertEquals(2, w.appendMessage(Message.assistantText("from the other store"), T0));
        }
        List<String> both = List.of("from the first store", "from the other store");
        assertEquals(both, texts(first.load(s.id())), "the other store's write is seen, not the kept copy");
        try (SessionWriter w = first.openWriter(s.id())) {
            assertEquals(both, texts(w.current()));
            assertEquals(3, w.appendMessage(Message.userText("and on"), T0), "sequence continues after the other's");
        }
        assertEquals(3, stores.open(dataDir).load(s.id()).messages().size());
    }

    @Test
    void closingAWriterDoesNotRewriteTheSnapshot() throws Exception {
        FileSessionStore store = stores.open(dataDir);
        Session s = created(store);
        Path snapshot = store.sessionsDir().resolve(s.id() + SessionFiles.SNAPSHOT_SUFFIX);
        FileStamp before = FileStamp.of(snapshot);
        try (SessionWriter w = store.openWriter(s.id())) {
            w.appendMessage(Message.userText("hello"), T0);
        }
        assertEquals(before, FileStamp.of(snapshot), "below snapshot-every: the journal alone holds the turn");
        assertTrue(Files.exists(store.sessionsDir().resolve(s.id() + SessionFiles.JOURNAL_SUFFIX)));
    }

    /** JSON trees for event records. */
    private static final class Json {
        static com.fasterxml.jackson.databind.JsonNode node(String json) {
            try {
                return dev.tether.config.Json.mapper().readTree(json);
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException(e);
            }
        }
    }
}

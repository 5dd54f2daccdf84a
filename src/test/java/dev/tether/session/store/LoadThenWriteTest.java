package dev.tether.session.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tether.session.Message;
import dev.tether.session.Session;
import dev.tether.session.SessionMetadata;
import dev.tether.testing.StoreDefaults;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A prompt loads its session (preconditions), then opens its writer: the writer takes what the load read instead of
 * reading the files again, unless they changed in between.
 */
class LoadThenWriteTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    @RegisterExtension
    final OpenStores stores = new OpenStores();

    @TempDir
    Path dataDir;

    @Test
    void aWriterOpenedAfterALoadReadsNothingAgain() {
        String id = sessionWithMessages(3);
        FileSessionStore restarted = stores.open(dataDir); // nothing in memory: the load reads the files
        assertEquals(texts(3), texts(restarted.load(id)));
        long reads = restarted.transcriptReads();
        try (SessionWriter w = restarted.openWriter(id)) {
            assertEquals(texts(3), texts(w.current()));
            w.appendMessage(Message.userText("m4"), T0.plusSeconds(4));
        }
        assertEquals(reads, restarted.transcriptReads(), "the writer took the loaded session");
        assertEquals(texts(4), texts(stores.open(dataDir).load(id)));
    }

    @Test
    void filesChangedAfterTheLoadAreReadAgainByTheWriter() {
        String id = sessionWithMessages(2);
        FileSessionStore mine = stores.open(dataDir);
        assertEquals(texts(2), texts(mine.load(id)));
        FileSessionStore other = stores.open(dataDir); // another replica appends meanwhile
        try (SessionWriter w = other.openWriter(id)) {
            w.appendMessage(Message.userText("m3"), T0.plusSeconds(3));
        }
        long reads = mine.transcriptReads();
        try (SessionWriter w = mine.openWriter(id)) {
            assertEquals(texts(3), texts(w.current()), "the other replica's record is there");
            w.appendMessage(Message.userText("m4"), T0.plusSeconds(4));
        }
        assertEquals(reads + 1, mine.transcriptReads(), "the stale load was not used");
        assertEquals(texts(4), texts(stores.open(dataDir).load(id)));
    }

    private String sessionWithMessages(int n) {
        FileSessionStore first = stores.open(dataDir, StoreDefaults.settings());
        Session s = Session.create("t", null, SessionMetadata.DEFAULT, T0);
        first.create(s);
        try (SessionWriter w = first.openWriter(s.id())) {
            for (int i = 1; i <= n; i++) {
                w.appendMessage(Message.userText("m" + i), T0.plusSeconds(i));
            }
        }
        first.close();
        return s.id();
    }

    private static List<String> texts(int n) {
        return java.util.stream.IntStream.rangeClosed(1, n).mapToObj(i -> "m" + i).toList();
    }

    private static List<String> texts(Session s) {
        return s.messages().stream().map(Message::text).toList();
    }
}

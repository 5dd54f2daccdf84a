package dev.tether.session.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.session.Message;
import dev.tether.session.Session;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start-up housekeeping on real files: the temp files of interrupted atomic writes go away when a store opens, and
 * nothing else does — neither session files, locks and the index, nor names that merely look similar, nor a temp
 * file that a live writer (here: a writer of another store instance, standing for another process) may be using.
 */
class LeftoverTempFilesTest {

    private static final Instant T0 = Instant.parse("2026-11-02T10:00:00Z");
    @RegisterExtension
    final OpenStores stores = new OpenStores();

    @TempDir
    Path dataDir;

    private Path sessions() {
        return dataDir.resolve("sessions");
    }

    /** A temp file as {@link AtomicFiles#write} names it, holding part of what it was writing. */
    private Path leftover(String target) throws IOException {
        return Files.writeString(sessions().resolve(AtomicFiles.tempName(target)), "{\"id\":\"half-writ");
    }

    private Session session(FileSessionStore store, String text) {
        Session s = Session.create(null, null, null, T0);
        store.create(s);
        try (SessionWriter w = store.openWriter(s.id())) {
            w.appendMessage(Message.userText(text), T0.plusSeconds(1));
            w.appendEvent(new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("type", "done"));
        }
        return s;
    }

    @Test
    void openingTheStoreRemovesExactlyTheLeftoversOfInterruptedWrites() throws Exception {
        FileSessionStore first = stores.open(dataDir);
        Session a = session(first, "alpha");
        Session b = session(first, "beta");
        first.flushIndex();
        Path gone = sessions().resolve("0f3c9a4e-5b7d-4e21-9c3a-7d2e1b0a9f88.json"); // never existed: no lock file
        List<Path> dead = List.of(leftover(a.id() + SessionFiles.SNAPSHOT_SUFFIX),
                leftover(a.id() + SessionFiles.JOURNAL_SUFFIX), leftover(b.id() + SessionFiles.SNAPSHOT_SUFFIX),
                leftover(ListingIndex.FILE_NAME), leftover(gone.getFileName().toString()));
        String uuid = UUID.randomUUID().toString();
        List<Path> lookalikes = new ArrayList<>();
        for (String name : List.of("." + a.id() + ".json.tmp", "." + a.id() + ".json.not-a-uuid.tmp",
                "." + a.id() + ".json." + uuid.toUpperCase() + ".tmp", a.id() + ".json." + uuid + ".tmp",
                ".notes.txt." + uuid + ".tmp", ".bad.id!.json." + uuid + ".tmp", "scratch.tmp",
                "." + a.id() + ".lock." + uuid + ".tmp", "." + a.id() + ".json." + uuid + ".tmp.bak")) {
            lookalikes.add(Files.writeString(sessions().resolve(name), "not ours"));
        }
        Map<Path, byte[]> live = snapshotOfLiveFiles(dead, lookalikes);

        List<LogRecord> logged = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(StoreListing.class.getName());
        log.addHandler(capture);
        FileSessionStore second;
        try {
            second = stores.open(dataDir);
            assertEquals(2, second.count(), "opening the store (first use) runs the housekeeping");
        } finally {
            log.removeHandler(capture);
        }
        assertTrue(logged.stream().anyMatch(r -> r.getLevel().intValue() == Level.INFO.intValue()
                && r.getMessage().startsWith("removed 5 temp file(s) of interrupted writes")), "the count is logged");

        for (Path p : dead) {
            assertFalse(Files.exists(p), "leftover removed: " + p.getFileName());
        }
        for (Path p : lookalikes) {
            assertTrue(Files.exists(p), "not a temp file of ours, kept: " + p.getFileName());
        }
        for (Map.Entry<Path, byte[]> e : live.entrySet()) {
            assertArrayEquals(e.getValue(), Files.readAllBytes(e.getKey()), "untouched: " + e.getKey().getFileName());
        }
        assertEquals("alpha", second.load(a.id()).messages().get(0).text());
        assertEquals("beta", second.load(b.id()).messages().get(0).text());
    }

    @Test
    void aTempFileThatALiveWriterMayBeUsingStays() throws Exception {
        FileSessionStore other = stores.open(dataDir);
        Session held = session(other, "held");
        Session idle = session(other, "idle");
        Path heldTemp = leftover(held.id() + SessionFiles.SNAPSHOT_SUFFIX);
        Path idleTemp = leftover(idle.id() + SessionFiles.SNAPSHOT_SUFFIX);
        Path indexTemp = leftover(ListingIndex.FILE_NAME);
        try (SessionWriter writer = other.openWriter(held.id());
             OsFileLock indexWriter = OsFileLock.tryAcquire(sessions().resolve(ListingIndex.LOCK_NAME))) {
            writer.appendMessage(Message.userText("still writing"), T0.plusSeconds(5));
            FileSessionStore starting = stores.open(dataDir);
            assertEquals(1, LeftoverTempFiles.remove(sessions(), new SessionLocks(),
                    new ListingIndex(sessions(), new com.fasterxml.jackson.databind.ObjectMapper())));
            assertTrue(Files.exists(heldTemp), "the session's lock is held: its temp file may be in use");
            assertTrue(Files.exists(indexTemp), "the index lock is held: its temp file may be in use");
            assertFalse(Files.exists(idleTemp));
            assertEquals(2, starting.count());
        }
        FileSessionStore later = stores.open(dataDir);
        assertEquals(2, later.count());
        assertFalse(Files.exists(heldTemp), "removed once nobody holds the session");
        assertFalse(Files.exists(indexTemp), "removed once nobody holds the index lock");
        assertEquals(2, later.load(held.id()).messages().size());
    }

    /** Every file of the directory that is neither a leftover nor a look-alike, with its bytes. */
    private Map<Path, byte[]> snapshotOfLiveFiles(List<Path> dead, List<Path> lookalikes) throws IOException {
        Map<Path, byte[]> out = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(sessions())) {
            for (Path p : files.sorted().toList()) {
                if (!dead.contains(p) && !lookalikes.contains(p)) {
                    out.put(p, Files.readAllBytes(p));
                }
            }
        }
        assertTrue(out.keySet().stream().anyMatch(p -> p.getFileName().toString().equals(ListingIndex.FILE_NAME)));
        assertTrue(out.keySet().stream().anyMatch(p -> p.getFileName().toString().endsWith(SessionFiles.LOCK_SUFFIX)));
        assertTrue(out.keySet().stream().anyMatch(p -> p.getFileName().toString().endsWith(SessionFiles.JOURNAL_SUFFIX)),
                "retained events keep a journal: " + out.keySet());
        return out;
    }
}

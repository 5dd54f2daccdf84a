package dev.tether.session.store;

import dev.tether.session.KeyedTurn;
import dev.tether.session.Session;
import dev.tether.session.SessionNotFoundException;
import dev.tether.session.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.jboss.logging.Logger;

/**
 * Checkpoints: the snapshot rewritten (atomically, including journal records up to a sequence) and then the journal
 * rolled to its retained events. A crash between the two leaves records the snapshot already includes: replay skips
 * them. Off the request path: a writer that leaves {@code snapshot-every} records or more behind, and an open session
 * dropped for idleness with records the snapshot lacks, are checkpointed on the store's background thread, under the
 * session's lock (taken without making a writer fail: see {@link SessionLocks#acquireBackground}).
 */
record Checkpointer(FileStoreParts store, Executor background) {

    private static final Logger LOG = Logger.getLogger(Checkpointer.class);

    /** Whether a session with this many records after its snapshot should be checkpointed. */
    boolean due(int pending) {
        return pending >= store.settings().snapshotEvery();
    }

    /** Checkpoints the state of a writer (which holds the lock) up to {@code lastSeq}, now. */
    void checkpoint(SessionFiles files, SessionState state, long lastSeq) {
        store.metrics().time(StoreMetrics.Op.CHECKPOINT, () -> {
            try {
                byte[] journal = SessionReader.readIfExists(files.journal());
                write(files, state.toSession(), state.pruneKeyedTurns(Instant.now()), lastSeq, journal,
                        store.codec().scan(journal, files.id()));
            } catch (IOException e) {
                throw IoErrors.store("Cannot checkpoint session " + files.id(), e);
            }
        });
    }

    /** Checkpoints the session on the background thread, unless a writer holds it by then. */
    void inBackground(SessionFiles files) {
        background.execute(() -> checkpointIdle(files));
    }

    /** Drops idle open sessions; those with records their snapshot lacks are checkpointed in the background. */
    void evictIdle(java.nio.file.Path sessionsDir) {
        for (Map.Entry<String, OpenSessions.Entry> e : store.open().evictIdle()) {
            if (e.getValue().pending() > 0) {
                inBackground(SessionFiles.of(sessionsDir, e.getKey()));
            }
        }
    }

    private void checkpointIdle(SessionFiles files) {
        try (SessionLocks.Held lock = store.locks().acquireBackground(files)) {
            if (lock == null || !Files.exists(files.snapshot())) {
                return; // a writer has it (it checkpoints when it leaves enough records behind), or it was deleted
            }
            OpenSessions.Entry kept = store.open().take(files);
            SessionState state;
            long lastSeq;
            if (kept != null) {
                state = kept.state();
                lastSeq = kept.lastSeq();
            } else {
                SessionReader.Loaded loaded = store.reader().read(files, true);
                state = loaded.state();
                lastSeq = loaded.lastSeq();
            }
            checkpoint(files, state, lastSeq);
            if (kept != null) {
                store.open().put(files, state, lastSeq, 0);
            }
        } catch (SessionNotFoundException e) {
            // deleted meanwhile
        } catch (StoreException | IOException e) {
            // every record is durable in the journal; the next writer or eviction tries again
            LOG.warnf("session %s: background checkpoint failed: %s", files.id(), e.getMessage());
        }
    }

    /**
     * Writes the snapshot (atomically, including journal records up to {@code seq}) and then rolls the journal to its
     * retained events.
     */
    void write(SessionFiles files, Session session, List<KeyedTurn> keyedTurns, long seq, byte[] journal,
               JournalCodec.Scan scan) throws IOException {
        store.listing().ownDirChange(() -> {
            AtomicFiles.write(files.snapshot(), store.snapshots().encode(session, keyedTurns, seq));
            rollJournal(files, seq, journal, scan);
            store.listing().written(files, session.summary());
        });
    }

    private void rollJournal(SessionFiles files, long seq, byte[] journal, JournalCodec.Scan scan) throws IOException {
        ArrayDeque<JournalCodec.Line> kept = new ArrayDeque<>();
        int retention = store.settings().eventRetention();
        for (JournalCodec.Line line : scan.lines()) {
            if (retention > 0 && JournalRecords.EVENT.equals(line.kind()) && line.seq() <= seq) {
                if (kept.size() == retention) {
                    kept.removeFirst();
                }
                kept.addLast(line);
            }
        }
        if (kept.isEmpty()) {
            if (Files.deleteIfExists(files.journal())) {
                AtomicFiles.syncDirectory(files.journal().getParent());
            }
        } else {
            byte[][] chunks = new byte[kept.size()][];
            int i = 0;
            for (JournalCodec.Line line : kept) {
                chunks[i++] = Arrays.copyOfRange(journal, line.start(), line.end());
            }
            AtomicFiles.write(files.journal(), chunks);
        }
    }
}

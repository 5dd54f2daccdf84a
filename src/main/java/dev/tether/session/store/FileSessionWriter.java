package dev.tether.session.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tether.session.KeyedTurn;
import dev.tether.session.Message;
import dev.tether.session.Session;
import dev.tether.session.SessionMetadata;
import dev.tether.session.SessionResult;
import dev.tether.session.StoreException;
import dev.tether.session.ToolUse;
import dev.tether.session.Usage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * The single writer of one session of a {@link FileSessionStore}. Appends stage one CRC-checked journal line each;
 * {@link #commit()} writes the staged lines with one write and one fsync (group commit). The in-memory state is
 * mutable so nothing is copied per append. Checkpoints (snapshot +
 * journal roll) happen at {@link #close()} and every {@code snapshot-every} records.
 */
final class FileSessionWriter implements SessionWriter {

    private static final Logger LOG = Logger.getLogger(FileSessionWriter.class);

    private final FileSessionStore store;
    private final SessionFiles files;
    private final SessionLocks.Held lock;
    private final SessionState state;
    private long lastSeq;
    /** Records in the journal that the snapshot does not include yet. */
    private int pending;
    private RandomAccessFile journal;
    private final Staged staged = new Staged();
    /** A commit failed: staged records were lost, so nothing more may be written through this writer. */
    private boolean failed;
    private boolean closed;

    FileSessionWriter(FileSessionStore store, SessionFiles files, SessionLocks.Held lock, SessionState state,
                      long lastSeq, int pending) {
        this.store = store;
        this.files = files;
        this.lock = lock;
        this.state = state;
        this.lastSeq = lastSeq;
        this.pending = pending;
    }

    @Override
    public synchronized Session current() {
        return state.toSession();
    }

    @Override
    public synchronized long appendMessage(Message message, Instant at) {
        Objects.requireNonNull(message, "message");
        Instant when = at == null ? Instant.now() : at;
        long seq = write(store.records().message(lastSeq + 1, when, message));
        state.addMessage(message, when);
        return appended(seq);
    }

    @Override
    public synchronized long appendKeyedPrompt(Message message, Instant at, String key, String requestHash,
                                               Instant expiresAt) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(requestHash, "requestHash");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Instant when = at == null ? Instant.now() : at;
        long seq = write(store.records().keyedMessage(lastSeq + 1, when, message, key, requestHash, expiresAt));
        state.keyTurn(KeyedTurn.started(key, requestHash, state.messageCount, seq, expiresAt));
        state.addMessage(message, when);
        return appended(seq);
    }

    @Override
    public synchronized long recordTurnResult(String key, SessionResult result) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(result, "result");
        long seq = write(store.records().turnResult(lastSeq + 1, Instant.now(), key, result));
        state.endKeyedTurn(key, result, seq);
        return appended(seq);
    }

    @Override
    public synchronized long appendToolUse(ToolUse toolUse) {
        Objects.requireNonNull(toolUse, "toolUse");
        long seq = write(store.records().toolUse(lastSeq + 1, Instant.now(), toolUse));
        state.addToolUse(toolUse);
        return appended(seq);
    }

    @Override
    public synchronized long updateMeta(String title, SessionMetadata metadata, Usage usage, Instant at) {
        SessionMetadata m = metadata == null ? SessionMetadata.DEFAULT : metadata;
        Usage u = usage == null ? Usage.ZERO : usage;
        Instant updated = state.updatedAt;
        if (at != null) {
            Instant t = dev.tether.session.Timestamps.truncate(at);
            updated = t.isAfter(updated) ? t : updated;
        }
        long seq = write(store.records().meta(lastSeq + 1, at == null ? Instant.now() : at, title, m, u, updated));
        state.setMeta(title, m, u, at);
        return appended(seq);
    }

    @Override
    public synchronized long appendEvent(JsonNode event) {
        Objects.requireNonNull(event, "event");
        return appended(write(store.records().event(lastSeq + 1, Instant.now(), event)));
    }

    @Override
    public synchronized long lastSeq() {
        return lastSeq;
    }

    @Override
    public synchronized void checkpoint() {
        commit();
        store.metrics().time(StoreMetrics.CHECKPOINT, () -> {
            try {
                closeJournal();
                byte[] data = Files.exists(files.journal()) ? Files.readAllBytes(files.journal()) : new byte[0];
                store.writeCheckpoint(files, state.toSession(), state.pruneKeyedTurns(Instant.now()), lastSeq, data,
                        store.codec().scan(data, files.id()));
                pending = 0;
            } catch (IOException e) {
                throw IoErrors.store("Cannot checkpoint session " + files.id(), e);
            }
        });
        store.maybeFlushIndex();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        try {
            if (!failed) {
                commit();
            }
            if (!failed && pending > 0) {
                checkpoint();
            }
        } catch (StoreException e) {
            // a failed commit lost only what no one was told about; a failed checkpoint nothing (the journal has it)
            LOG.warnf("session %s: closing the writer: %s", files.id(), e.getMessage());
        } finally {
            closed = true;
            try {
                closeJournal();
            } catch (IOException e) {
                LOG.debugf("session %s: closing journal: %s", files.id(), IoErrors.reason(e));
            }
            lock.close();
        }
    }

    /** Stages a record: encoded now (O(record)), written and fsynced with the others of its durability point. */
    private long write(ObjectNode record) {
        ensureUsable();
        long seq = record.get("seq").asLong();
        store.metrics().time(StoreMetrics.APPEND, () -> staged.writeBytes(store.codec().encode(record)));
        lastSeq = seq;
        return seq;
    }

    @Override
    public synchronized long commit() {
        ensureUsable();
        if (staged.size() == 0) {
            return lastSeq;
        }
        store.metrics().time(StoreMetrics.COMMIT, () -> {
            long before = -1;
            try {
                RandomAccessFile file = journal();
                before = file.length();
                file.seek(before);
                staged.writeTo(file);
                Fsyncs.sync(file.getFD());
            } catch (IOException e) {
                failed = true; // the staged records are lost and current() is ahead of the disk: no more writes
                rollBack(before);
                throw IoErrors.store("Cannot append to session " + files.id(), e);
            } finally {
                staged.reset();
            }
        });
        indexCommitted();
        return lastSeq;
    }

    private long appended(long seq) {
        pending++;
        return seq;
    }

    /** After a commit: new summary and journal stamp in the listing; a checkpoint when the journal grew long. */
    private void indexCommitted() {
        try {
            store.indexAppended(files, state.summary(), FileStamp.of(files.journal()));
        } catch (IOException e) {
            LOG.debugf("session %s: journal stamp unavailable: %s", files.id(), IoErrors.reason(e));
        }
        if (pending >= store.settings().snapshotEvery()) {
            checkpoint();
        }
    }

    /** A failed write may leave part of a line: cut it so the next append starts on a clean line. */
    private void rollBack(long size) {
        if (journal == null || size < 0) {
            return;
        }
        try {
            journal.setLength(size);
        } catch (IOException e) {
            LOG.warnf("session %s: could not cut a failed append (%s); the next load drops the torn line", files.id(),
                    IoErrors.reason(e));
        }
    }

    /**
     * The journal is a {@link RandomAccessFile}, not a {@code FileChannel}: a channel is closed by an interrupt of the
     * thread using it, and events are appended from tool threads that cancellation interrupts. Classic stream I/O
     * ignores interrupts, so an abort can never close the journal under the turn.
     */
    private RandomAccessFile journal() throws IOException {
        if (journal == null) {
            if (Files.exists(files.journal())) {
                journal = new RandomAccessFile(files.journal().toFile(), "rw");
            } else {
                store.ownDirChange(() -> {
                    journal = new RandomAccessFile(files.journal().toFile(), "rw");
                    AtomicFiles.syncDirectory(files.journal().getParent());
                });
            }
        }
        return journal;
    }

    private void closeJournal() throws IOException {
        if (journal != null) {
            RandomAccessFile ch = journal;
            journal = null;
            ch.close();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("writer of session " + files.id() + " is closed");
        }
    }

    private void ensureUsable() {
        ensureOpen();
        if (failed) {
            throw new StoreException("Session " + files.id() + " lost records in a failed write; reopen it", null);
        }
    }

    /** The encoded records of the next durability point, in sequence order. */
    private static final class Staged extends ByteArrayOutputStream {
        void writeTo(RandomAccessFile file) throws IOException {
            file.write(buf, 0, count);
        }
    }
}

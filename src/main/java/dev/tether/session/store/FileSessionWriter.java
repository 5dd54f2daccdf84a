package dev.tether.session.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tether.session.KeyedTurn;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import org.jboss.logging.Logger;

/**
 * The single writer of one session of a {@link FileSessionStore} ({@link StagingWriter} does the group commit).
 * Appends stage one CRC-checked journal line each; a commit writes the staged lines with one write and one fsync.
 * The in-memory state is mutable so nothing is copied per append. Checkpoints (snapshot + journal roll) happen off the
 * request path once {@code snapshot-every} records follow the snapshot ({@link Checkpointer}), or when asked
 * ({@link #checkpoint()}).
 */
final class FileSessionWriter extends StagingWriter {

    private static final Logger LOG = Logger.getLogger(FileSessionWriter.class);

    /** What every writer of a store uses. */
    record Deps(JournalCodec codec, JournalRecords records, StoreListing listing, Checkpointer checkpointer,
                OpenSessions open, StoreMetrics metrics) {
    }

    private final Deps store;
    private final SessionFiles files;
    private final SessionLocks.Held lock;
    private RandomAccessFile journal;
    private final Staged staged = new Staged();

    FileSessionWriter(Deps store, SessionFiles files, SessionLocks.Held lock, SessionState state,
                      long lastSeq, int pending) {
        super(store.records(), store.metrics(), state, lastSeq, pending);
        this.store = store;
        this.files = files;
        this.lock = lock;
    }

    @Override
    void stage(ObjectNode record, KeyedTurn keyed) {
        staged.writeBytes(store.codec().encode(record)); // the key travels in the record
    }

    @Override
    void writeStaged() {
        long before = -1;
        try {
            RandomAccessFile file = journal();
            before = file.length();
            file.seek(before);
            staged.writeTo(file);
            Fsyncs.sync(file.getFD());
        } catch (IOException e) {
            rollBack(before);
            throw IoErrors.store("Cannot append to session " + files.id(), e);
        }
    }

    @Override
    void discardStaged() {
        staged.reset();
    }

    /** New summary and journal stamp in the listing (not persisted now: O(record)). */
    @Override
    void committed() {
        try {
            store.listing().appended(files, state.summary(), FileStamp.of(files.journal()));
        } catch (IOException e) {
            LOG.debugf("session %s: journal stamp unavailable: %s", files.id(), IoErrors.reason(e));
        }
    }

    @Override
    void writeCheckpoint() {
        store.checkpointer().checkpoint(files, state, lastSeq());
    }

    /**
     * Leaves the session open in memory for the next writer (unless a write failed) and releases the locks; a journal
     * of {@code snapshot-every} records or more is checkpointed in the background.
     */
    @Override
    void release(boolean intact) {
        try {
            closeJournal();
            if (intact) {
                store.open().put(files, state, lastSeq(), pending());
            }
        } catch (IOException e) {
            LOG.debugf("session %s: closing journal: %s", files.id(), IoErrors.reason(e));
        }
        lock.close();
        if (intact && store.checkpointer().due(pending())) {
            store.checkpointer().inBackground(files);
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
                store.listing().ownDirChange(() -> {
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

    /** The encoded records of the next durability point, in sequence order. */
    private static final class Staged extends ByteArrayOutputStream {
        void writeTo(RandomAccessFile file) throws IOException {
            file.write(buf, 0, count);
        }
    }
}

package dev.tether.session.store;

import dev.tether.session.CorruptSessionException;
import dev.tether.session.SessionNotFoundException;
import dev.tether.session.StoreException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads sessions of the file store: snapshot plus replay of the journal records after the snapshot's sequence, the
 * durable events of the journal, and the size guard. Counts every read of a snapshot or journal.
 */
final class SessionReader {

    private static final int READ_ATTEMPTS = 5;

    private final long maxSessionBytes;
    private final JournalCodec codec;
    private final JournalRecords records;
    private final SnapshotCodec snapshots;
    private final AtomicLong transcriptReads = new AtomicLong();

    SessionReader(long maxSessionBytes, JournalCodec codec, JournalRecords records, SnapshotCodec snapshots) {
        this.maxSessionBytes = maxSessionBytes;
        this.codec = codec;
        this.records = records;
        this.snapshots = snapshots;
    }

    /**
     * A session as read: state, the last sequence used, records after the snapshot, the journal's valid end, and the
     * stamps its snapshot and journal had before they were read (so a change while reading shows as a changed stamp).
     */
    record Loaded(SessionState state, long lastSeq, int pending, int validEnd, int journalBytes, FileStamp snapshot,
                  FileStamp journal) {

        /** Whether the journal ends with a complete record, so a writer can append to it as it is. */
        boolean untorn() {
            return validEnd == journalBytes;
        }
    }

    long transcriptReads() {
        return transcriptReads.get();
    }

    Loaded read(SessionFiles files, boolean keepContent) {
        try {
            return readOrThrow(files, keepContent);
        } catch (IOException e) {
            throw IoErrors.store("Cannot read session " + files.id(), e);
        }
    }

    private Loaded readOrThrow(SessionFiles files, boolean keepContent) throws IOException {
        for (int attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
            FileStamp before = FileStamp.of(files.snapshot());
            if (!before.exists()) {
                throw new SessionNotFoundException(files.id());
            }
            FileStamp journalBefore = FileStamp.of(files.journal());
            long total = before.bytes() + journalBefore.bytes();
            if (total > maxSessionBytes) {
                throw new CorruptSessionException(String.format(
                        "Session %s is too large to load: %d bytes stored, the limit is %d bytes",
                        files.id(), total, maxSessionBytes));
            }
            transcriptReads.incrementAndGet();
            SnapshotCodec.Snapshot snap;
            byte[] journal;
            try {
                snap = snapshots.read(files.snapshot(), files.id(), keepContent);
                journal = readIfExists(files.journal());
            } catch (NoSuchFileException e) {
                continue; // replaced or deleted meanwhile: look again
            }
            // The snapshot is renamed before the journal is rolled: an unchanged snapshot proves the journal we read
            // still holds every record after its sequence.
            if (!before.equals(FileStamp.of(files.snapshot()))) {
                continue;
            }
            JournalCodec.Scan scan = codec.scan(journal, files.id());
            int pending = 0;
            for (JournalCodec.Line line : scan.lines()) {
                if (line.seq() > snap.journalSeq()) {
                    records.apply(snap.state(), line);
                    pending++;
                }
            }
            return new Loaded(snap.state(), Math.max(snap.journalSeq(), scan.lastSeq()), pending, scan.validEnd(),
                    journal.length, before, journalBefore);
        }
        throw new StoreException("Session " + files.id() + " kept changing while being read; try again", null);
    }

    /** Durable events recorded after {@code afterSeq}, in order. */
    List<StoredEvent> eventsAfter(SessionFiles files, long afterSeq) {
        try {
            if (!Files.exists(files.snapshot())) {
                throw new SessionNotFoundException(files.id());
            }
            transcriptReads.incrementAndGet();
            JournalCodec.Scan scan = codec.scan(readIfExists(files.journal()), files.id());
            List<StoredEvent> out = new ArrayList<>();
            for (JournalCodec.Line line : scan.lines()) {
                if (line.seq() > afterSeq && JournalRecords.EVENT.equals(line.kind()) && line.record().has("event")) {
                    out.add(new StoredEvent(line.seq(), JournalRecords.at(line.record()), line.record().get("event")));
                }
            }
            return out;
        } catch (IOException e) {
            throw IoErrors.store("Cannot read the events of session " + files.id(), e);
        }
    }

    /** The stored session (summary only) before a wholesale save; {@code null} when there is none or it is corrupt. */
    SnapshotCodec.Snapshot previous(SessionFiles files, JournalCodec.Scan scan) throws IOException {
        try {
            SnapshotCodec.Snapshot snap = snapshots.read(files.snapshot(), files.id(), false);
            for (JournalCodec.Line line : scan.lines()) {
                if (line.seq() > snap.journalSeq()) {
                    records.apply(snap.state(), line);
                }
            }
            return snap;
        } catch (NoSuchFileException | CorruptSessionException e) {
            return null;
        }
    }

    static byte[] readIfExists(Path file) throws IOException {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new byte[0];
        }
    }

    /** Cuts a torn tail off the journal (before a writer appends after it), durably. */
    static void truncate(Path file, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size);
            Fsyncs.force(ch);
        }
    }
}

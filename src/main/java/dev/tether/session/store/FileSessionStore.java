package dev.tether.session.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.config.Json;
import dev.tether.config.TetherConfig;
import dev.tether.session.CorruptSessionException;
import dev.tether.session.InvalidRequestException;
import dev.tether.session.KeyedTurn;
import dev.tether.session.Message;
import dev.tether.session.Session;
import dev.tether.session.SessionBusyException;
import dev.tether.session.SessionIds;
import dev.tether.session.SessionNotFoundException;
import dev.tether.session.SessionSummary;
import dev.tether.session.StoreException;
import dev.tether.session.ToolUse;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.DefaultBean;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The embedded, file-based {@link SessionStore} (README, Storage). Under {@code ${tether.data-dir}/sessions/} each
 * session has a snapshot {@code <id>.json} (the Session JSON plus the journal sequence it includes), an append-only
 * journal {@code <id>.journal.jsonl} (one CRC-checked record per line, fsynced per append) and a lock file
 * {@code <id>.lock}. Load = snapshot + replay of journal records after the snapshot's sequence. Listing reads the
 * index {@code .index.json}, never transcripts. Opening the store (at start) removes temp files that interrupted
 * atomic writes left ({@link LeftoverTempFiles}). All methods block on file I/O.
 */
@ApplicationScoped
@DefaultBean
public class FileSessionStore implements SessionStore, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(FileSessionStore.class);
    /** Index persistence is deferred so that writes stay cheap; the scan repairs what a crash leaves stale. */
    private static final long INDEX_FLUSH_INTERVAL_NANOS = 1_000_000_000L;
    private static final int READ_ATTEMPTS = 5;

    private final Path sessionsDir;
    private final StoreSettings settings;
    private final ObjectMapper mapper;
    private final JournalCodec codec;
    private final JournalRecords records;
    private final SnapshotCodec snapshots;
    private final SessionLocks locks = new SessionLocks();
    private final ListingIndex index;
    private final StoreMetrics metrics;
    private final AtomicLong transcriptReads = new AtomicLong();
    private final Object indexLoad = new Object();
    private volatile boolean indexReady;
    private volatile long lastScanNanos;
    private volatile long knownDirStamp = Long.MIN_VALUE + 1;
    private volatile long lastFlushNanos;

    @Inject
    public FileSessionStore(TetherConfig config, MeterRegistry registry, ObjectMapper json) {
        this(Path.of(config.dataDir()), StoreSettings.from(config.store()), registry, json);
    }

    /** A store built without CDI, with the service's mapper ({@link Json#mapper()}). */
    public FileSessionStore(Path dataDir, StoreSettings settings, MeterRegistry registry) {
        this(dataDir, settings, registry, Json.mapper());
    }

    /**
     * A store rooted at {@code dataDir} (sessions live in {@code dataDir/sessions}); does no I/O until first used.
     * It reads and writes through {@link Json#internal} of the service's mapper: the §2.1 formats, never the API's
     * derived fields.
     */
    public FileSessionStore(Path dataDir, StoreSettings settings, MeterRegistry registry, ObjectMapper json) {
        this.sessionsDir = dataDir.toAbsolutePath().normalize().resolve("sessions");
        this.settings = settings;
        this.mapper = Json.internal(json);
        this.codec = new JournalCodec(mapper);
        this.records = new JournalRecords(mapper);
        this.snapshots = new SnapshotCodec(mapper);
        this.index = new ListingIndex(sessionsDir, mapper);
        this.metrics = new StoreMetrics(registry, index, ListingIndex::size);
        this.lastFlushNanos = System.nanoTime() - INDEX_FLUSH_INTERVAL_NANOS;
    }

    /**
     * Opens the store when the service starts ({@link SelectedStore} calls it when this is the selected store), so
     * that the housekeeping of {@link #ensureIndex} (leftover temp files removed, index checked against the files)
     * happens at start, not on the first request.
     */
    void openAtStartup() {
        try {
            ensureIndex();
        } catch (StoreException e) {
            // readiness reports an unusable data dir; the service still starts
            LOG.warnf("the session store could not be opened at start: %s", e.getMessage());
        }
    }

    // ---- public API beyond SessionStore ---------------------------------------------------------------------------

    /** The directory holding the session files. */
    public Path sessionsDir() {
        return sessionsDir;
    }

    /** How many times a session's snapshot or journal was read (loads, writer opens, index re-reads, replays). */
    public long transcriptReads() {
        return transcriptReads.get();
    }

    /** Persists the listing index now if it changed since it was last written. */
    public void flushIndex() {
        if (!index.dirty()) {
            return;
        }
        try {
            index.persist();
            lastFlushNanos = System.nanoTime();
        } catch (IOException e) {
            throw IoErrors.store("Cannot write the listing index", e);
        }
    }

    /** Re-checks the index against the files now (normally done by listings at most every few seconds). */
    public void refreshIndex() {
        ensureIndex();
        scan();
    }

    /** Flushes the index. Writers still open keep their locks until they are closed. */
    @PreDestroy
    @Override
    public void close() {
        if (indexReady) {
            try {
                flushIndex();
            } catch (StoreException e) {
                LOG.warnf("listing index not saved at shutdown: %s", e.getMessage());
            }
        }
    }

    // ---- SessionStore ------------------------------------------------------------------------------------------------

    @Override
    public void create(Session session) {
        SessionFiles files = files(session.id());
        metrics.time(StoreMetrics.CREATE, () -> {
            ensureIndex();
            try {
                ownDirChange(() -> {
                    try (SessionLocks.Held lock = locks.acquire(files)) {
                        if (Files.exists(files.snapshot())) {
                            throw new SessionBusyException("Session " + files.id() + " already exists");
                        }
                        // A journal without snapshot is the leftover of an interrupted delete: never replay it.
                        Files.deleteIfExists(files.journal());
                        AtomicFiles.write(files.snapshot(), snapshots.encode(session, List.of(), 0));
                        index.put(files.id(), new ListingIndex.Entry(session.summary(), FileStamp.of(files.snapshot()),
                                FileStamp.ABSENT));
                    }
                });
            } catch (IOException e) {
                throw IoErrors.store("Cannot create session " + files.id(), e);
            }
            maybeFlushIndex();
        });
    }

    @Override
    public void save(Session session) {
        SessionFiles files = files(session.id());
        metrics.time(StoreMetrics.SAVE, () -> {
            ensureIndex();
            try {
                ownDirChange(() -> {
                    try (SessionLocks.Held lock = locks.acquire(files)) {
                        byte[] journal = readIfExists(files.journal());
                        JournalCodec.Scan scan = codec.scan(journal, files.id());
                        SnapshotCodec.Snapshot previous = previous(files, scan);
                        long seq = Math.max(scan.lastSeq(), previous == null ? 0 : previous.journalSeq());
                        // a history edit or re-import keeps the Idempotency-Key records: those turns did run
                        List<KeyedTurn> keyed = previous == null ? List.of()
                                : previous.state().pruneKeyedTurns(Instant.now());
                        writeCheckpoint(files, session, keyed, seq, journal, scan);
                    }
                });
            } catch (IOException e) {
                throw IoErrors.store("Cannot save session " + files.id(), e);
            }
            maybeFlushIndex();
        });
    }

    @Override
    public Session load(String id) {
        SessionFiles files = files(id);
        return metrics.time(StoreMetrics.LOAD, () -> read(files, true).state().toSession());
    }

    @Override
    public SessionTail loadTail(String id, int n) {
        SessionFiles files = files(id);
        if (n < 0) {
            throw new InvalidRequestException("tail must be 0 or more");
        }
        return SessionTail.of(metrics.time(StoreMetrics.LOAD, () -> read(files, true).state().toSession()), n);
    }

    @Override
    public boolean exists(String id) {
        return Files.exists(files(id).snapshot());
    }

    @Override
    public void delete(String id) {
        SessionFiles files = files(id);
        metrics.time(StoreMetrics.DELETE, () -> {
            ensureIndex();
            try {
                ownDirChange(() -> {
                    try (SessionLocks.Held lock = lockExisting(files)) {
                        // Snapshot first: once it is gone the session is gone; create removes a leftover journal.
                        Files.deleteIfExists(files.snapshot());
                        Files.deleteIfExists(files.journal());
                        Files.deleteIfExists(files.lock());
                        AtomicFiles.syncDirectory(sessionsDir);
                        index.remove(files.id());
                    }
                });
            } catch (IOException e) {
                throw IoErrors.store("Cannot delete session " + files.id(), e);
            }
            maybeFlushIndex();
        });
    }

    @Override
    public SessionPage list(ListQuery query) {
        SessionPage.validate(query);
        return metrics.time(StoreMetrics.LIST, () -> {
            DirectoryMatch match = query.directory().filter(d -> !d.isBlank()).map(DirectoryMatch::new).orElse(null);
            List<SessionSummary> all = listing();
            return SessionPage.of(match == null ? all : all.stream().filter(s -> match.matches(s.directory())).toList(),
                    query);
        });
    }

    @Override
    public List<SessionSummary> listAll() {
        return metrics.time(StoreMetrics.LIST, this::listing);
    }

    @Override
    public int count() {
        ensureIndex();
        return index.size();
    }

    @Override
    public SessionWriter openWriter(String id) {
        SessionFiles files = files(id);
        ensureIndex();
        SessionLocks.Held[] held = new SessionLocks.Held[1];
        try {
            ownDirChange(() -> held[0] = lockExisting(files)); // may create the lock file
        } catch (IOException e) {
            throw IoErrors.store("Cannot lock session " + files.id(), e);
        }
        SessionLocks.Held lock = held[0];
        try {
            Loaded loaded = metrics.time(StoreMetrics.LOAD, () -> read(files, true));
            if (loaded.validEnd() < loaded.journalBytes()) {
                truncate(files.journal(), loaded.validEnd()); // drop a torn tail before appending after it
            }
            return new FileSessionWriter(this, files, lock, loaded.state(), loaded.lastSeq(), loaded.pending());
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        } catch (IOException e) {
            lock.close();
            throw IoErrors.store("Cannot open session " + files.id() + " for writing", e);
        }
    }

    @Override
    public List<StoredEvent> eventsAfter(String id, long afterSeq) {
        SessionFiles files = files(id);
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

    @Override
    public Optional<KeyedTurn> keyedTurn(String id, String key, Instant now) {
        SessionFiles files = files(id);
        KeyedTurn turn = read(files, false).state().keyedTurns.get(key);
        return turn == null || turn.expiredAt(now) ? Optional.empty() : Optional.of(turn);
    }

    /**
     * Takes the lock of a stored session. Unknown ids fail before a lock file is created, so probing random ids
     * leaves nothing behind; a session deleted while we waited to lock loses its fresh lock file again.
     */
    private SessionLocks.Held lockExisting(SessionFiles files) throws IOException {
        if (!Files.exists(files.snapshot())) {
            throw new SessionNotFoundException(files.id());
        }
        SessionLocks.Held lock = locks.acquire(files);
        if (!Files.exists(files.snapshot())) {
            Files.deleteIfExists(files.lock());
            lock.close();
            throw new SessionNotFoundException(files.id());
        }
        return lock;
    }

    // ---- reading -----------------------------------------------------------------------------------------------------

    /** A session as read: state, the last sequence used, records after the snapshot, and the journal's valid end. */
    record Loaded(SessionState state, long lastSeq, int pending, int validEnd, int journalBytes) {
    }

    private Loaded read(SessionFiles files, boolean keepContent) {
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
            long total = before.bytes() + FileStamp.of(files.journal()).bytes();
            if (total > settings.maxSessionBytes()) {
                throw new CorruptSessionException(String.format(
                        "Session %s is too large to load: %d bytes stored, the limit is %d bytes",
                        files.id(), total, settings.maxSessionBytes()));
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
                    journal.length);
        }
        throw new StoreException("Session " + files.id() + " kept changing while being read; try again", null);
    }

    /** The stored session (summary only) before a wholesale save; {@code null} when there is none or it is corrupt. */
    private SnapshotCodec.Snapshot previous(SessionFiles files, JournalCodec.Scan scan) throws IOException {
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

    private static byte[] readIfExists(Path file) throws IOException {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new byte[0];
        }
    }

    private static void truncate(Path file, long size) throws IOException {
        try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(size);
            Fsyncs.force(ch);
        }
    }

    // ---- writing (also used by FileSessionWriter) --------------------------------------------------------------------

    JournalCodec codec() {
        return codec;
    }

    JournalRecords records() {
        return records;
    }

    StoreSettings settings() {
        return settings;
    }

    StoreMetrics metrics() {
        return metrics;
    }

    /**
     * Writes the snapshot (atomically, including journal records up to {@code seq}) and then rolls the journal to its
     * retained events. A crash between the two leaves records the snapshot already includes: replay skips them.
     */
    void writeCheckpoint(SessionFiles files, Session session, List<KeyedTurn> keyedTurns, long seq, byte[] journal,
                         JournalCodec.Scan scan) throws IOException {
        ownDirChange(() -> writeCheckpointFiles(files, session, keyedTurns, seq, journal, scan));
    }

    private void writeCheckpointFiles(SessionFiles files, Session session, List<KeyedTurn> keyedTurns, long seq,
                                      byte[] journal, JournalCodec.Scan scan) throws IOException {
        AtomicFiles.write(files.snapshot(), snapshots.encode(session, keyedTurns, seq));
        ArrayDeque<JournalCodec.Line> kept = new ArrayDeque<>();
        int retention = settings.eventRetention();
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
                AtomicFiles.syncDirectory(sessionsDir);
            }
        } else {
            byte[][] chunks = new byte[kept.size()][];
            int i = 0;
            for (JournalCodec.Line line : kept) {
                chunks[i++] = java.util.Arrays.copyOfRange(journal, line.start(), line.end());
            }
            AtomicFiles.write(files.journal(), chunks);
        }
        indexWritten(files, session.summary());
    }

    /** Records in the index what this process just wrote. */
    void indexWritten(SessionFiles files, SessionSummary summary) throws IOException {
        index.put(files.id(), new ListingIndex.Entry(summary, FileStamp.of(files.snapshot()), FileStamp.of(files.journal())));
    }

    /** After an append: new summary and journal stamp, snapshot stamp unchanged. Not persisted (O(record)). */
    void indexAppended(SessionFiles files, SessionSummary summary, FileStamp journal) throws IOException {
        ListingIndex.Entry old = index.get(files.id());
        FileStamp snap = old != null ? old.snapshot() : FileStamp.of(files.snapshot());
        index.put(files.id(), new ListingIndex.Entry(summary, snap, journal));
    }

    void maybeFlushIndex() {
        if (index.dirty() && System.nanoTime() - lastFlushNanos >= INDEX_FLUSH_INTERVAL_NANOS) {
            try {
                flushIndex();
            } catch (StoreException e) {
                // The index is only a cache of the files; the next start rebuilds what is missing.
                LOG.warnf("listing index not saved: %s", e.getMessage());
            }
        }
    }

    // ---- index -------------------------------------------------------------------------------------------------------

    private SessionFiles files(String id) {
        return SessionFiles.of(sessionsDir, SessionIds.require(id));
    }

    private List<SessionSummary> listing() {
        ensureIndex();
        if (System.nanoTime() - lastScanNanos >= settings.indexRefresh().toNanos()) {
            lastScanNanos = System.nanoTime();
            // Other processes create, checkpoint (rename) and delete sessions through directory entries: an
            // unchanged directory needs no per-file scan. Their plain journal appends show at their next checkpoint.
            if (dirStamp() != knownDirStamp) {
                scan();
            }
        }
        return index.sorted();
    }

    /** A file-system step that needs no result, only I/O. */
    @FunctionalInterface
    interface IoStep {
        void run() throws IOException;
    }

    /**
     * Runs a change this process makes to the sessions directory, then tells the listing that the directory's new
     * modification time is known, unless the directory had already changed behind our back (then the next listing
     * still scans).
     */
    void ownDirChange(IoStep step) throws IOException {
        long before = dirStamp();
        try {
            step.run();
        } finally {
            if (before == knownDirStamp) {
                knownDirStamp = dirStamp();
            }
        }
    }

    private long dirStamp() {
        try {
            return Files.getLastModifiedTime(sessionsDir).to(java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (IOException e) {
            return Long.MIN_VALUE;
        }
    }

    private void ensureIndex() {
        if (indexReady) {
            return;
        }
        synchronized (indexLoad) {
            if (indexReady) {
                return;
            }
            try {
                Files.createDirectories(sessionsDir);
            } catch (IOException e) {
                throw IoErrors.store("Cannot create the sessions directory", e);
            }
            removeLeftoverTempFiles();
            index.load();
            scan();
            indexReady = true;
            maybeFlushIndex();
        }
    }

    private void removeLeftoverTempFiles() {
        try {
            int removed = LeftoverTempFiles.remove(sessionsDir, locks, index);
            if (removed > 0) {
                LOG.infof("removed %d temp file(s) of interrupted writes from %s", removed, sessionsDir);
            }
        } catch (IOException e) {
            // only litter: the store works with it, and the next start tries again
            LOG.warnf("could not remove temp files of interrupted writes: %s", IoErrors.reason(e));
        }
    }

    private void scan() {
        try {
            knownDirStamp = dirStamp(); // before listing: a change during the scan makes the next listing scan again
            index.scan(id -> read(SessionFiles.of(sessionsDir, id), false).state().summary());
            lastScanNanos = System.nanoTime();
        } catch (IOException e) {
            throw IoErrors.store("Cannot list the sessions directory", e);
        }
    }
}

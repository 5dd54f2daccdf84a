package dev.tether.session.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.config.Json;
import dev.tether.config.ManagedPools;
import dev.tether.config.TetherConfig;
import dev.tether.session.KeyedTurn;
import dev.tether.session.Session;
import dev.tether.session.SessionBusyException;
import dev.tether.session.SessionIds;
import dev.tether.session.SessionNotFoundException;
import dev.tether.session.SessionSummary;
import dev.tether.session.StoreException;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.DefaultBean;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The embedded, file-based {@link SessionStore} (README, Storage). Under {@code ${tether.data-dir}/sessions/} each
 * session has a snapshot {@code <id>.json} (the Session JSON plus the journal sequence it includes), an append-only
 * journal {@code <id>.journal.jsonl} (one CRC-checked record per line, written and fsynced once per durability point,
 * {@link SessionWriter#commit()}) and a lock file {@code <id>.lock}. The work is split: {@link SessionReader} (load =
 * snapshot + replay of journal records after the snapshot's sequence), {@link FileSessionWriter} (staging and group
 * commit), {@link Checkpointer} (snapshot rewrite + journal roll, in the background), {@link OpenSessions} (sessions
 * kept in memory between writers) and {@link StoreListing} (the index {@code .index.json}; listing never reads
 * transcripts). Opening the store (in the background a little after the service is up, or on first use) removes temp files that interrupted atomic writes left
 * ({@link LeftoverTempFiles}). All methods block on file I/O.
 */
@ApplicationScoped
@DefaultBean
public class FileSessionStore implements SessionStore, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(FileSessionStore.class);
    /** How long closing waits for a running background task (a start-up scan of many sessions takes seconds). */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);

    private final Path sessionsDir;
    private final JournalCodec codec;
    private final SnapshotCodec snapshots;
    private final SessionLocks locks = new SessionLocks();
    private final SessionReader reader;
    private final StoreListing listing;
    private final OpenSessions open;
    private final Checkpointer checkpointer;
    private final StoreMetrics metrics;
    private final FileSessionWriter.Deps writerDeps;
    /** The store's background thread: start-up housekeeping, checkpoints, dropping idle open sessions. */
    private final ScheduledExecutorService background;

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
        ObjectMapper mapper = Json.internal(json);
        this.codec = new JournalCodec(mapper);
        JournalRecords records = new JournalRecords(mapper);
        this.snapshots = new SnapshotCodec(mapper);
        this.reader = new SessionReader(settings.maxSessionBytes(), codec, records, snapshots);
        this.listing = new StoreListing(sessionsDir, settings.indexRefresh(), locks, reader, mapper);
        this.open = new OpenSessions(settings.openSessions(), settings.openSessionIdle());
        this.metrics = new StoreMetrics(registry, listing, StoreListing::count);
        this.background = ManagedPools.storeThread();
        this.checkpointer = new Checkpointer(
                new FileStoreParts(settings, codec, snapshots, reader, listing, locks, open, metrics), background);
        this.writerDeps = new FileSessionWriter.Deps(codec, records, listing, checkpointer, open, metrics);
        long sweep = Math.max(1, settings.openSessionIdle().toMillis() / 2);
        background.scheduleWithFixedDelay(() -> checkpointer.evictIdle(sessionsDir), sweep, sweep,
                TimeUnit.MILLISECONDS);
    }

    /**
     * Opens the store in the background {@code after} this call ({@link SelectedStore} calls it when this is the
     * selected store and the HTTP server listens, with a delay so that the open, whose cost grows with the number of
     * sessions, neither competes with the rest of start-up nor with its JIT compilation): leftover temp files
     * removed, index loaded and checked against the files. Nothing waits for it; a write or listing that comes
     * first opens the store itself (the first write waits for the index to be loaded, the first listing for the
     * check), and the background task then finds it open.
     */
    void openInBackground(Duration after) {
        background.schedule(() -> {
            try {
                listing.ensureScanned();
            } catch (StoreException e) {
                // readiness reports an unusable data dir; the service still starts
                LOG.warnf("the session store could not be opened at start: %s", e.getMessage());
            }
        }, after.toNanos(), TimeUnit.NANOSECONDS);
    }

    // ---- public API beyond SessionStore ---------------------------------------------------------------------------

    /** The directory holding the session files. */
    public Path sessionsDir() {
        return sessionsDir;
    }

    /** How many times a session's snapshot or journal was read (loads, writer opens, index re-reads, replays). */
    public long transcriptReads() {
        return reader.transcriptReads();
    }

    /** Persists the listing index now if it changed since it was last written. */
    public void flushIndex() {
        listing.flush();
    }

    /** Re-checks the index against the files now (normally done by listings at most every few seconds). */
    public void refreshIndex() {
        listing.refresh();
    }

    /**
     * Stops the background thread (tasks not yet started are dropped; a running open, checkpoint or sweep finishes
     * first, so nothing writes the files once this returns) and flushes the index. Writers still open keep their
     * locks until closed.
     */
    @PreDestroy
    @Override
    public void close() {
        background.shutdown();
        try {
            if (!background.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warnf("the store's background task did not end within %s of shutdown", CLOSE_WAIT);
                background.shutdownNow();
            }
        } catch (InterruptedException e) {
            background.shutdownNow();
            Thread.currentThread().interrupt();
        }
        if (listing.isOpen()) {
            try {
                listing.flush();
            } catch (StoreException e) {
                LOG.warnf("listing index not saved at shutdown: %s", e.getMessage());
            }
        }
    }

    // ---- SessionStore ------------------------------------------------------------------------------------------------

    @Override
    public void create(Session session) {
        SessionFiles files = files(session.id());
        changeLocked(StoreMetrics.Op.CREATE, files, false, () -> {
            if (Files.exists(files.snapshot())) {
                throw new SessionBusyException("Session " + files.id() + " already exists");
            }
            // A journal without snapshot is the leftover of an interrupted delete: never replay it. The empty
            // journal is created now, so the snapshot's directory fsync covers it, not the first prompt.
            Files.write(files.journal(), new byte[0]);
            open.remove(files.id());
            AtomicFiles.write(files.snapshot(), snapshots.encode(session, List.of(), 0));
            listing.written(files, session.summary());
            open.put(files, SessionState.of(session), 0, 0); // its first prompt reads nothing
        });
    }

    @Override
    public void save(Session session) {
        SessionFiles files = files(session.id());
        changeLocked(StoreMetrics.Op.SAVE, files, false, () -> {
            open.remove(files.id());
            byte[] journal = SessionReader.readIfExists(files.journal());
            JournalCodec.Scan scan = codec.scan(journal, files.id());
            SnapshotCodec.Snapshot previous = reader.previous(files, scan);
            long seq = Math.max(scan.lastSeq(), previous == null ? 0 : previous.journalSeq());
            // a history edit or re-import keeps the Idempotency-Key records: those turns did run
            List<KeyedTurn> keyed = previous == null ? List.of() : previous.state().pruneKeyedTurns(Instant.now());
            checkpointer.write(files, session, keyed, seq, journal, scan);
        });
    }

    @Override
    public Session load(String id) {
        SessionFiles files = files(id);
        return metrics.time(StoreMetrics.Op.LOAD, () -> kept(files).orElseGet(() -> {
            SessionReader.Loaded loaded = reader.read(files, true);
            Session session = loaded.state().toSession();
            if (loaded.untorn()) { // a prompt loads, then opens a writer: the writer takes this instead of reading again
                open.putRead(files.id(), loaded);
            }
            return session;
        }));
    }

    @Override
    public boolean exists(String id) {
        return Files.exists(files(id).snapshot());
    }

    @Override
    public void delete(String id) {
        SessionFiles files = files(id);
        changeLocked(StoreMetrics.Op.DELETE, files, true, () -> {
            open.remove(files.id());
            // Snapshot first: once it is gone the session is gone; create removes a leftover journal.
            Files.deleteIfExists(files.snapshot());
            Files.deleteIfExists(files.journal());
            Files.deleteIfExists(files.lock());
            AtomicFiles.syncDirectory(sessionsDir);
            listing.removed(files.id());
        });
    }

    @Override
    public SessionPage list(ListQuery query) {
        SessionPage.validate(query);
        return metrics.time(StoreMetrics.Op.LIST, () -> {
            DirectoryMatch match = query.directory().filter(d -> !d.isBlank()).map(DirectoryMatch::new).orElse(null);
            return listing.page(match, query);
        });
    }

    @Override
    public List<SessionSummary> listAll() {
        return metrics.time(StoreMetrics.Op.LIST, listing::sorted);
    }

    @Override
    public int count() {
        return listing.count();
    }

    @Override
    public SessionWriter openWriter(String id) {
        SessionFiles files = files(id);
        listing.ensureOpen();
        SessionLocks.Held[] held = new SessionLocks.Held[1];
        try {
            listing.ownDirChange(() -> held[0] = lockExisting(files)); // may create the lock file
        } catch (IOException e) {
            throw IoErrors.store("Cannot lock session " + files.id(), e);
        }
        SessionLocks.Held lock = held[0];
        try {
            OpenSessions.Entry kept = open.take(files);
            if (kept != null) {
                return new FileSessionWriter(writerDeps, files, lock, kept.state(), kept.lastSeq(), kept.pending());
            }
            SessionReader.Loaded loaded = metrics.time(StoreMetrics.Op.LOAD, () -> reader.read(files, true));
            if (!loaded.untorn()) {
                SessionReader.truncate(files.journal(), loaded.validEnd()); // drop a torn tail before appending
            }
            return new FileSessionWriter(writerDeps, files, lock, loaded.state(), loaded.lastSeq(), loaded.pending());
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
        return reader.eventsAfter(files(id), afterSeq);
    }

    @Override
    public Optional<KeyedTurn> keyedTurn(String id, String key, Instant now) {
        SessionFiles files = files(id);
        KeyedTurn turn = reader.read(files, false).state().keyedTurns.get(key);
        return turn == null || turn.expiredAt(now) ? Optional.empty() : Optional.of(turn);
    }

    /**
     * Changes a session's files under its lock ({@code existing}: of a stored session), as a change of our own to
     * the directory (the listing does not re-read it), timed as {@code op}.
     */
    private void changeLocked(StoreMetrics.Op op, SessionFiles files, boolean existing, StoreListing.IoStep change) {
        metrics.time(op, () -> {
            listing.ensureOpen();
            try {
                listing.ownDirChange(() -> {
                    try (SessionLocks.Held lock = existing ? lockExisting(files) : locks.acquire(files)) {
                        change.run();
                    }
                });
            } catch (IOException e) {
                throw IoErrors.store("Cannot " + op + " session " + files.id(), e);
            }
        });
    }

    /** The session as an open session in memory holds it, when its files are unchanged since. */
    private Optional<Session> kept(SessionFiles files) {
        try {
            return open.session(files);
        } catch (IOException e) {
            return Optional.empty();
        }
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

    private SessionFiles files(String id) {
        return SessionFiles.of(sessionsDir, SessionIds.require(id));
    }
}

package dev.tether.session.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.session.SessionSummary;
import dev.tether.session.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The listing of the file store: the {@link ListingIndex} in memory, updated by every write of this process and
 * persisted at most about once a second, and the scans that bring it in line with changes other processes made.
 *
 * <p>Two stages of readiness: {@link #ensureOpen()} (sessions directory created, leftover temp files removed, index
 * file loaded) is what writes need; {@link #ensureScanned()} (the index checked against every file) is what a
 * listing needs. The service runs both in the background once its HTTP server listens, so start-up neither waits for
 * nor shares its cores with a scan.
 */
final class StoreListing {

    private static final Logger LOG = Logger.getLogger(StoreListing.class);
    /** Index persistence is deferred so that writes stay cheap; the scan repairs what a crash leaves stale. */
    private static final long FLUSH_INTERVAL_NANOS = 1_000_000_000L;

    private final Path sessionsDir;
    private final Duration refresh;
    private final SessionLocks locks;
    private final SessionReader reader;
    private final ListingIndex index;
    private final Object opening = new Object();
    private final Object scanning = new Object();
    private volatile boolean open;
    private volatile boolean scanned;
    private volatile long lastScanNanos;
    private volatile long knownDirStamp = Long.MIN_VALUE + 1;
    private volatile long lastFlushNanos;

    StoreListing(Path sessionsDir, Duration refresh, SessionLocks locks, SessionReader reader, ObjectMapper mapper) {
        this.sessionsDir = sessionsDir;
        this.refresh = refresh;
        this.locks = locks;
        this.reader = reader;
        this.index = new ListingIndex(sessionsDir, mapper);
        this.lastFlushNanos = System.nanoTime() - FLUSH_INTERVAL_NANOS;
    }

    /** Stored sessions (the gauge), once the index was checked against the files. */
    int count() {
        ensureScanned();
        return index.size();
    }

    /** Every summary, newest first (a copy), once {@link #current() current}. */
    List<SessionSummary> sorted() {
        current();
        return index.sorted();
    }

    /** A page in listing order (spec §9) of the sessions {@code match} accepts (none: all), once current. */
    SessionPage page(DirectoryMatch match, ListQuery query) {
        current();
        ListingCursor after = query.cursor().filter(c -> !c.isEmpty()).map(ListingCursor::decode).orElse(null);
        return index.page(after, match, query.limit());
    }

    /** The index after the first scan, re-checked against the files at most every {@code refresh}. */
    private void current() {
        ensureScanned();
        if (System.nanoTime() - lastScanNanos >= refresh.toNanos()) {
            lastScanNanos = System.nanoTime();
            // Other processes create, checkpoint (rename) and delete sessions through directory entries: an
            // unchanged directory needs no per-file scan. Their plain journal appends show at their next checkpoint.
            if (dirStamp() != knownDirStamp) {
                scan();
            }
        }
    }

    /** Records in the index what this process just wrote (snapshot and journal stamps read now). */
    void written(SessionFiles files, SessionSummary summary) throws IOException {
        index.put(new ListingIndex.Entry(summary, FileStamp.of(files.snapshot()),
                FileStamp.of(files.journal())));
        maybeFlush();
    }

    /** After a commit: new summary and journal stamp, snapshot stamp unchanged. Not persisted now (O(record)). */
    void appended(SessionFiles files, SessionSummary summary, FileStamp journal) throws IOException {
        ListingIndex.Entry old = index.get(files.id());
        FileStamp snap = old != null ? old.snapshot() : FileStamp.of(files.snapshot());
        index.put(new ListingIndex.Entry(summary, snap, journal));
    }

    void removed(String id) {
        index.remove(id);
        maybeFlush();
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

    /** Persists the index now if it changed since it was last written. */
    void flush() {
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

    void maybeFlush() {
        if (index.dirty() && System.nanoTime() - lastFlushNanos >= FLUSH_INTERVAL_NANOS) {
            try {
                flush();
            } catch (StoreException e) {
                // The index is only a cache of the files; the next start rebuilds what is missing.
                LOG.warnf("listing index not saved: %s", e.getMessage());
            }
        }
    }

    /** Re-checks the index against the files now. */
    void refresh() {
        ensureScanned();
        scan();
    }

    boolean isOpen() {
        return open;
    }

    /** Sessions directory, leftover temp files, index file: what every write needs. */
    void ensureOpen() {
        if (open) {
            return;
        }
        synchronized (opening) {
            if (open) {
                return;
            }
            try {
                Files.createDirectories(sessionsDir);
            } catch (IOException e) {
                throw IoErrors.store("Cannot create the sessions directory", e);
            }
            removeLeftoverTempFiles();
            index.load();
            open = true;
        }
    }

    /** The index checked against every file once (re-reading only sessions changed behind its back). */
    void ensureScanned() {
        ensureOpen();
        if (scanned) {
            return;
        }
        synchronized (scanning) {
            if (!scanned) {
                scan();
                scanned = true;
                maybeFlush();
            }
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
            index.scan(id -> reader.read(SessionFiles.of(sessionsDir, id), false).state().summary());
            lastScanNanos = System.nanoTime();
        } catch (IOException e) {
            throw IoErrors.store("Cannot list the sessions directory", e);
        }
    }

    private long dirStamp() {
        try {
            return Files.getLastModifiedTime(sessionsDir).to(TimeUnit.NANOSECONDS);
        } catch (IOException e) {
            return Long.MIN_VALUE;
        }
    }
}

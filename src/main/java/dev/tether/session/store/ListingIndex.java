package dev.tether.session.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.session.CorruptSessionException;
import dev.tether.session.SessionIds;
import dev.tether.session.SessionNotFoundException;
import dev.tether.session.SessionSummary;
import dev.tether.session.StoreException;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The listing index ({@code sessions/.index.json}): a {@link SessionSummary} per session plus the stamps of its
 * snapshot and journal, so that listing never parses transcripts. Kept in memory and updated by every write of this
 * process; persisted atomically now and then. A scan (directory listing + file attributes) finds sessions changed
 * behind its back (crash, other process, missing or unreadable index file) and re-reads only those.
 */
final class ListingIndex {

    static final String FILE_NAME = ".index.json";
    /** Held while the index file is replaced, so that no process takes another's temp file for a leftover. */
    static final String LOCK_NAME = ".index.lock";
    private static final int VERSION = 1;
    private static final Logger LOG = Logger.getLogger(ListingIndex.class);

    /** One indexed session. */
    @RegisterForReflection
    record Entry(SessionSummary summary, FileStamp snapshot, FileStamp journal) {
    }

    /** The persisted form. */
    @RegisterForReflection
    record IndexFile(int version, List<Entry> entries) {
    }

    /** Reads a session's summary from its files (a transcript read). */
    @FunctionalInterface
    interface SummaryReader {
        SessionSummary read(String id) throws IOException;
    }

    private record Stamps(FileStamp snapshot, FileStamp journal) {
    }

    private final Path dir;
    private final Path file;
    private final Path lockFile;
    private final ObjectMapper mapper;
    private final IndexEntries entries = new IndexEntries();
    /** Sessions whose files are unreadable, with the stamps seen, so they are not re-read until they change. */
    private final ConcurrentHashMap<String, Stamps> unreadable = new ConcurrentHashMap<>();
    private volatile boolean dirty;

    ListingIndex(Path sessionsDir, ObjectMapper mapper) {
        this.dir = sessionsDir;
        this.file = sessionsDir.resolve(FILE_NAME);
        this.lockFile = sessionsDir.resolve(LOCK_NAME);
        this.mapper = mapper;
    }

    int size() {
        return entries.size();
    }

    Entry get(String id) {
        return entries.get(id);
    }

    void put(Entry entry) {
        entries.put(entry);
        unreadable.remove(entry.summary().id());
        dirty = true;
    }

    void remove(String id) {
        entries.remove(id, null);
        unreadable.remove(id);
        dirty = true;
    }

    boolean dirty() {
        return dirty;
    }

    /** Every summary in listing order (a copy). */
    List<SessionSummary> sorted() {
        return entries.sorted();
    }

    /** A page in listing order, after {@code after} (none: from the start), of the sessions {@code match} accepts. */
    SessionPage page(ListingCursor after, DirectoryMatch match, int limit) {
        return entries.page(after, match, limit);
    }

    /** Loads the persisted index; a missing or unreadable file just leaves the index empty for the scan to fill. */
    synchronized void load() {
        if (!Files.exists(file)) {
            return;
        }
        try {
            IndexFile f = mapper.readValue(file.toFile(), IndexFile.class);
            if (f.version() != VERSION || f.entries() == null) {
                LOG.warnf("listing index has unknown version %d; rebuilding it", f.version());
                return;
            }
            for (Entry e : f.entries()) {
                if (e != null && e.summary() != null && SessionIds.isValid(e.summary().id())
                        && e.summary().updatedAt() != null && e.snapshot() != null && e.journal() != null) {
                    entries.put(e);
                }
            }
        } catch (IOException e) {
            LOG.warnf("listing index is unreadable (%s); rebuilding it", IoErrors.reason(e));
        }
    }

    /** Writes the index atomically; when another process is writing it right now, this one stays dirty. */
    synchronized void persist() throws IOException {
        try (OsFileLock lock = OsFileLock.tryAcquire(lockFile)) {
            if (lock == null) {
                return;
            }
            dirty = false;
            List<Entry> list = new ArrayList<>(entries.copy().values());
            try {
                AtomicFiles.write(file, mapper.writeValueAsBytes(new IndexFile(VERSION, list)));
            } catch (IOException e) {
                dirty = true;
                throw e;
            }
        }
    }

    /**
     * Deletes temp files that interrupted index writes left behind, under the index lock (so never one that another
     * process is writing); none when that lock is held elsewhere. Returns how many it deleted.
     */
    synchronized int removeTemps(List<Path> temps) throws IOException {
        if (temps.isEmpty()) {
            return 0;
        }
        try (OsFileLock lock = OsFileLock.tryAcquire(lockFile)) {
            if (lock == null) {
                return 0;
            }
            int removed = 0;
            for (Path temp : temps) {
                if (Files.deleteIfExists(temp)) {
                    removed++;
                }
            }
            return removed;
        }
    }

    /**
     * Brings the index in line with the files: sessions whose snapshot or journal stamps differ from the entry (or
     * that have no entry) are re-read; entries whose snapshot is gone are dropped. Returns whether anything changed.
     */
    synchronized boolean scan(SummaryReader reader) throws IOException {
        Map<String, Entry> before = entries.copy();
        Set<String> names = new HashSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                names.add(p.getFileName().toString());
            }
        }
        boolean changed = false;
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            if (name.startsWith(".") || !name.endsWith(SessionFiles.SNAPSHOT_SUFFIX)) {
                continue;
            }
            String id = name.substring(0, name.length() - SessionFiles.SNAPSHOT_SUFFIX.length());
            if (!SessionIds.isValid(id)) {
                continue;
            }
            FileStamp snap = FileStamp.of(dir.resolve(name));
            if (!snap.exists()) {
                continue;
            }
            seen.add(id);
            FileStamp journal = names.contains(id + SessionFiles.JOURNAL_SUFFIX)
                    ? FileStamp.of(dir.resolve(id + SessionFiles.JOURNAL_SUFFIX)) : FileStamp.ABSENT;
            Entry old = before.get(id);
            if (old != null && old.snapshot().equals(snap) && old.journal().equals(journal)) {
                continue;
            }
            Stamps stamps = new Stamps(snap, journal);
            if (old == null && stamps.equals(unreadable.get(id))) {
                continue;
            }
            try {
                Entry fresh = new Entry(reader.read(id), snap, journal);
                // Only replace what the scan saw: a write of this process meanwhile has newer data.
                changed |= entries.replace(old, fresh);
                unreadable.remove(id);
            } catch (CorruptSessionException e) {
                LOG.warnf("listing skips session %s: %s", id, e.getMessage());
                unreadable.put(id, stamps);
                if (old != null) {
                    changed |= entries.remove(id, old);
                }
            } catch (SessionNotFoundException | NoSuchFileException e) {
                // deleted while scanning
            } catch (StoreException e) {
                // unreadable right now (e.g. permissions): skipped this time, tried again by the next scan
                LOG.warnf("listing skips session %s: %s", id, e.getMessage());
            }
        }
        for (Map.Entry<String, Entry> e : before.entrySet()) {
            if (!seen.contains(e.getKey())) {
                changed |= entries.remove(e.getKey(), e.getValue());
            }
        }
        unreadable.keySet().retainAll(seen);
        if (changed) {
            dirty = true;
        }
        return changed;
    }
}

package dev.tether.session.store;

import dev.tether.session.Session;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sessions kept in memory between writers, so that a prompt on a session that is in use neither reloads its snapshot
 * nor replays its journal. Bounded in number ({@code tether.store.open-sessions}, least recently used dropped first)
 * and in time ({@code tether.store.open-session-idle}).
 *
 * <p>An entry is the state a writer of this process left when it closed, with the stamps (size, modification time,
 * inode) its snapshot and journal had then. It is used only while both stamps are unchanged: any write by another
 * process (which must hold the session's OS lock) appends to the journal or renames a file, so a session changed
 * elsewhere is re-read, never served stale. An entry is never shared with a writer: a writer takes it out and puts
 * its state back when it closes.
 */
final class OpenSessions {

    /** A session at rest: its state, last sequence, records the snapshot lacks, and the stamps it was left with. */
    record Entry(SessionState state, long lastSeq, int pending, FileStamp snapshot, FileStamp journal,
                 long lastUsedNanos) {
    }

    private final int capacity;
    private final long idleNanos;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);

    OpenSessions(int capacity, Duration idle) {
        this.capacity = capacity;
        this.idleNanos = idle.toNanos();
    }

    /** Removes and returns the session when its files are as it was left; drops a stale entry. */
    synchronized Entry take(SessionFiles files) throws IOException {
        Entry e = entries.remove(files.id());
        return e != null && unchanged(e, files) ? e : null;
    }

    /** A copy of the session when it is held and its files are as it was left. */
    synchronized Optional<Session> session(SessionFiles files) throws IOException {
        Entry e = entries.get(files.id());
        if (e == null) {
            return Optional.empty();
        }
        if (!unchanged(e, files)) {
            entries.remove(files.id());
            return Optional.empty();
        }
        return Optional.of(e.state().toSession());
    }

    /** Keeps a session a writer (or the checkpointer) leaves, stamped with its files as they are now. */
    synchronized void put(SessionFiles files, SessionState state, long lastSeq, int pending) throws IOException {
        if (capacity == 0 || !state.keepContent) {
            return;
        }
        keep(files.id(), new Entry(state, lastSeq, pending, FileStamp.of(files.snapshot()),
                FileStamp.of(files.journal()), System.nanoTime()));
    }

    /**
     * Keeps a session a reader loaded without holding its lock, stamped as its files were before they were read: a
     * write meanwhile changed them, so such an entry is dropped on use, never served. An entry a writer left wins.
     */
    synchronized void putRead(String id, SessionReader.Loaded loaded) {
        if (capacity == 0 || !loaded.state().keepContent || entries.containsKey(id)) {
            return;
        }
        keep(id, new Entry(loaded.state(), loaded.lastSeq(), loaded.pending(), loaded.snapshot(), loaded.journal(),
                System.nanoTime()));
    }

    private void keep(String id, Entry entry) {
        entries.put(id, entry);
        if (entries.size() > capacity) {
            Iterator<String> eldest = entries.keySet().iterator();
            eldest.next();
            eldest.remove();
        }
    }

    synchronized void remove(String id) {
        entries.remove(id);
    }

    synchronized int size() {
        return entries.size();
    }

    /** Removes and returns the sessions unused for the idle time, by id. */
    synchronized List<Map.Entry<String, Entry>> evictIdle() {
        long now = System.nanoTime();
        List<Map.Entry<String, Entry>> evicted = new ArrayList<>();
        Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Entry> e = it.next();
            if (now - e.getValue().lastUsedNanos() >= idleNanos) {
                evicted.add(Map.entry(e.getKey(), e.getValue()));
                it.remove();
            }
        }
        return evicted;
    }

    private static boolean unchanged(Entry e, SessionFiles files) throws IOException {
        return e.snapshot().equals(FileStamp.of(files.snapshot())) && e.journal().equals(FileStamp.of(files.journal()));
    }
}

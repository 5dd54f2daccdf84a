package dev.tether.session.store;

import dev.tether.session.SessionSummary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The listing index's entries in memory: by id, and in listing order (spec §9), kept sorted on every change. A page
 * then costs its own size (plus a lookup of the cursor), never a sort or copy of every session, however often the
 * sessions change between listings. Directory and agent strings, which thousands of sessions share, are held once.
 */
final class IndexEntries {

    /** Distinct directory/agent strings held once; beyond that many, new ones are kept as they come. */
    private static final int MAX_SHARED = 4096;

    private final Map<String, ListingIndex.Entry> byId = new HashMap<>();
    private final TreeSet<SessionSummary> order = new TreeSet<>(SessionSummary.NEWEST_FIRST);
    private final Map<String, String> shared = new HashMap<>();
    private final ReadWriteLock lock = new ReentrantReadWriteLock();

    int size() {
        lock.readLock().lock();
        try {
            return byId.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    ListingIndex.Entry get(String id) {
        lock.readLock().lock();
        try {
            return byId.get(id);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** A copy of every entry by id. */
    Map<String, ListingIndex.Entry> copy() {
        lock.readLock().lock();
        try {
            return new HashMap<>(byId);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Every summary in listing order (a copy). */
    List<SessionSummary> sorted() {
        lock.readLock().lock();
        try {
            return List.copyOf(order);
        } finally {
            lock.readLock().unlock();
        }
    }

    void put(ListingIndex.Entry entry) {
        lock.writeLock().lock();
        try {
            store(entry);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Stores {@code fresh} when the entry of its id is still {@code expected} ({@code null}: when it has none). */
    boolean replace(ListingIndex.Entry expected, ListingIndex.Entry fresh) {
        lock.writeLock().lock();
        try {
            if (!Objects.equals(byId.get(fresh.summary().id()), expected)) {
                return false;
            }
            store(fresh);
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Removes the entry of {@code id} when it is {@code expected} ({@code null}: whatever it is). */
    boolean remove(String id, ListingIndex.Entry expected) {
        lock.writeLock().lock();
        try {
            ListingIndex.Entry old = byId.get(id);
            if (old == null || expected != null && !old.equals(expected)) {
                return false;
            }
            byId.remove(id);
            order.remove(old.summary());
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * The page that starts strictly after {@code after} (none: at the start), of the sessions whose directory
     * {@code match} accepts (none: every session). Unfiltered, only the page is read under the lock; filtered, the
     * rest of the order is copied (references only) and matched outside it, since matching may touch the file system.
     */
    SessionPage page(ListingCursor after, DirectoryMatch match, int limit) {
        List<SessionSummary> candidates;
        lock.readLock().lock();
        try {
            NavigableSet<SessionSummary> rest = after == null ? order : order.tailSet(after.position(), false);
            if (match == null) {
                candidates = new ArrayList<>(Math.min(limit + 1, rest.size()));
                Iterator<SessionSummary> it = rest.iterator();
                while (candidates.size() <= limit && it.hasNext()) {
                    candidates.add(it.next());
                }
            } else {
                candidates = new ArrayList<>(rest);
            }
        } finally {
            lock.readLock().unlock();
        }
        Iterator<SessionSummary> inOrder = match == null ? candidates.iterator()
                : candidates.stream().filter(s -> match.matches(s.directory())).iterator();
        return SessionPage.first(inOrder, limit);
    }

    private void store(ListingIndex.Entry entry) {
        SessionSummary s = entry.summary();
        String agent = share(s.agent());
        String directory = share(s.directory());
        if (agent != s.agent() || directory != s.directory()) {
            s = new SessionSummary(s.id(), s.title(), s.createdAt(), s.updatedAt(), s.messageCount(), agent, directory);
            entry = new ListingIndex.Entry(s, entry.snapshot(), entry.journal());
        }
        ListingIndex.Entry old = byId.put(s.id(), entry);
        if (old != null) {
            order.remove(old.summary());
        }
        order.add(s);
    }

    private String share(String value) {
        if (value == null) {
            return null;
        }
        String held = shared.get(value);
        if (held != null) {
            return held;
        }
        if (shared.size() < MAX_SHARED) {
            shared.put(value, value);
        }
        return value;
    }
}

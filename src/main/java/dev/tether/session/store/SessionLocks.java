package dev.tether.session.store;

import dev.tether.session.SessionBusyException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One writer per session: an in-process claim (so threads of this store fail fast) plus an OS lock on
 * {@code <id>.lock} (so another process, e.g. a second replica on a shared volume, fails too). Never waits for a
 * writer. A background claim ({@link #acquireBackground}, a checkpoint of an idle session) is different: it is taken
 * only when nothing holds the session, and {@link #acquire} waits for it to end instead of failing, so housekeeping
 * never turns a prompt away as busy.
 */
final class SessionLocks {

    private static final Boolean WRITER = Boolean.TRUE;
    private static final Boolean BACKGROUND = Boolean.FALSE;
    /** A background checkpoint of one session takes milliseconds; this bound only guards against a hung disk. */
    private static final long BACKGROUND_WAIT_MILLIS = 30_000;

    private final ConcurrentHashMap<String, Boolean> held = new ConcurrentHashMap<>();

    /** A held lock; closing releases the OS lock, then the in-process claim. */
    final class Held implements AutoCloseable {
        private final String id;
        private final FileChannel channel;
        private boolean released;

        private Held(String id, FileChannel channel) {
            this.id = id;
            this.channel = channel;
        }

        @Override
        public synchronized void close() {
            if (released) {
                return;
            }
            released = true;
            try {
                channel.close(); // releases the file lock
            } catch (IOException e) {
                // the OS drops the lock with the descriptor anyway
            } finally {
                release(id);
            }
        }
    }

    Held acquire(SessionFiles files) throws IOException {
        claim(files.id());
        return lockFile(files);
    }

    /** The lock for background work, or {@code null} when anything (here or in another process) holds it. */
    Held acquireBackground(SessionFiles files) throws IOException {
        synchronized (this) {
            if (held.putIfAbsent(files.id(), BACKGROUND) != null) {
                return null;
            }
        }
        try {
            return lockFile(files);
        } catch (SessionBusyException e) {
            return null;
        }
    }

    private synchronized void claim(String id) {
        long deadline = System.currentTimeMillis() + BACKGROUND_WAIT_MILLIS;
        while (BACKGROUND.equals(held.get(id))) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                throw busy(id);
            }
            try {
                wait(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw busy(id);
            }
        }
        if (held.putIfAbsent(id, WRITER) != null) {
            throw busy(id);
        }
    }

    private synchronized void release(String id) {
        held.remove(id);
        notifyAll();
    }

    /** The OS lock of a session claimed in process; releases the claim when it cannot be had. */
    private Held lockFile(SessionFiles files) throws IOException {
        String id = files.id();
        FileChannel channel = null;
        boolean acquired = false;
        try {
            channel = FileChannel.open(files.lock(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // another store instance of this JVM holds it
            }
            if (lock == null) {
                throw busy(id);
            }
            Held h = new Held(id, channel);
            acquired = true;
            return h;
        } finally {
            if (!acquired) {
                if (channel != null) {
                    closeQuietly(channel);
                }
                release(id);
            }
        }
    }

    boolean heldHere(String id) {
        return held.containsKey(id);
    }

    private static SessionBusyException busy(String id) {
        return new SessionBusyException("Session " + id + " is busy: another writer holds it");
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // nothing to do
        }
    }
}

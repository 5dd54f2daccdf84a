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
 * {@code <id>.lock} (so another process, e.g. a second replica on a shared volume, fails too). Never waits.
 */
final class SessionLocks {

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
                held.remove(id);
            }
        }
    }

    Held acquire(SessionFiles files) throws IOException {
        String id = files.id();
        if (held.putIfAbsent(id, Boolean.TRUE) != null) {
            throw busy(id);
        }
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
                held.remove(id);
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

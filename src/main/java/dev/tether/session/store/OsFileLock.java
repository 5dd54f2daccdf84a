package dev.tether.session.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A non-blocking OS lock on one file (created when absent), for work that another process sharing the volume must
 * not do at the same time. Taken whatever the calling thread's interrupt status: writes run on tool threads that
 * cancellation interrupts, and a pending interrupt would close the channel mid-call.
 */
final class OsFileLock implements AutoCloseable {

    private final FileChannel channel;

    private OsFileLock(FileChannel channel) {
        this.channel = channel;
    }

    /** The lock, or {@code null} when another process (or another store of this JVM) holds it. */
    static OsFileLock tryAcquire(Path file) throws IOException {
        boolean interrupted = Thread.interrupted();
        try {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                FileLock lock;
                try {
                    lock = ch.tryLock();
                } catch (OverlappingFileLockException e) {
                    lock = null;
                }
                if (lock == null) {
                    ch.close();
                    return null;
                }
                return new OsFileLock(ch);
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Releases the lock (closing the channel drops it). */
    @Override
    public void close() throws IOException {
        channel.close();
    }
}

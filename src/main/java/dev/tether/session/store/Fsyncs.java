package dev.tether.session.store;

import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every fsync the store makes goes through here, so that {@code tether.store.fsyncs} counts them (the cost that
 * dominates a write on most disks). Process-wide: syncs are a property of the process's disk traffic, whichever
 * store instance asked for them.
 */
final class Fsyncs {

    private static final LongAdder COUNT = new LongAdder();

    private Fsyncs() {
    }

    /** Flushes a file's data and metadata to the device. */
    static void sync(FileDescriptor fd) throws IOException {
        fd.sync();
        COUNT.increment();
    }

    /** Flushes a channel's file (or directory) to the device. */
    static void force(FileChannel channel) throws IOException {
        channel.force(true);
        COUNT.increment();
    }

    /** Fsyncs made by this process so far. */
    static long count() {
        return COUNT.sum();
    }
}

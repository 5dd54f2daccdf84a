package dev.tether.bench;

import dev.tether.session.Session;
import dev.tether.session.SessionMetadata;
import dev.tether.session.store.FileSessionStore;
import dev.tether.testing.StoreDefaults;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Writes sessions into a data directory through the store itself ({@link FileSessionStore#create}: snapshot, fsync,
 * rename, directory fsync), as the app would have written them, in 50 workspace directories: the data the listing and
 * start-up benchmarks start the app on.
 *
 * <p>Usage: {@code SessionsOnDisk <sessions> <data dir>}.
 */
public final class SessionsOnDisk {

    private SessionsOnDisk() {
    }

    public static void main(String[] args) {
        write(Integer.parseInt(args[0]), Path.of(args[1]));
    }

    /**
     * Writes {@code count} titled sessions into {@code dataDir} (their files under {@code dataDir/sessions}) and says
     * how long that took.
     */
    public static void write(int count, Path dataDir) {
        long t0 = System.nanoTime();
        try (FileSessionStore store = new FileSessionStore(dataDir, StoreDefaults.settings(), new SimpleMeterRegistry())) {
            Instant start = Instant.parse("2026-11-02T10:00:00Z");
            for (int i = 0; i < count; i++) {
                store.create(Session.create("Session number " + i, null,
                        SessionMetadata.DEFAULT.withDirectory("/work/project-" + (i % 50)), start.plusSeconds(i)));
            }
        }
        System.out.printf("wrote %,d sessions in %.1f s%n", count, (System.nanoTime() - t0) / 1e9);
    }
}

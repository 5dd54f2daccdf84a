package dev.tether.session.store;

import dev.tether.config.TetherConfig;
import java.time.Duration;

/**
 * Tuning of {@link FileSessionStore}: when the journal is checkpointed, how large a session may be, how many durable
 * events survive a journal roll, and how often listings re-check the files for changes made by other processes.
 */
public record StoreSettings(int snapshotEvery, long maxSessionBytes, int eventRetention, Duration indexRefresh) {

    /** Listings re-check file attributes at most this often; this process's own writes are visible at once. */
    public static final Duration DEFAULT_INDEX_REFRESH = Duration.ofSeconds(2);

    public StoreSettings {
        if (snapshotEvery < 1 || maxSessionBytes < 1 || eventRetention < 0) {
            throw new IllegalArgumentException("invalid store settings");
        }
        indexRefresh = indexRefresh == null ? DEFAULT_INDEX_REFRESH : indexRefresh;
    }

    /** The defaults of {@code tether.store.*}. */
    public static StoreSettings defaults() {
        return new StoreSettings(2000, 512L * 1024 * 1024, 10_000, DEFAULT_INDEX_REFRESH);
    }

    public static StoreSettings from(TetherConfig.Store store) {
        return new StoreSettings(store.snapshotEvery(), store.maxSessionBytes(), store.eventRetention(),
                DEFAULT_INDEX_REFRESH);
    }

    public StoreSettings withSnapshotEvery(int n) {
        return new StoreSettings(n, maxSessionBytes, eventRetention, indexRefresh);
    }

    public StoreSettings withMaxSessionBytes(long n) {
        return new StoreSettings(snapshotEvery, n, eventRetention, indexRefresh);
    }

    public StoreSettings withEventRetention(int n) {
        return new StoreSettings(snapshotEvery, maxSessionBytes, n, indexRefresh);
    }
}

package dev.tether.session.store;

import dev.tether.config.TetherConfig;
import java.time.Duration;

/**
 * Tuning of {@link FileSessionStore}, taken from {@code tether.store.*} (the defaults live only in
 * {@link TetherConfig.Store}): when the journal is checkpointed, how large a session may be, how many durable events
 * survive a journal roll, how many sessions stay open in memory and for how long, and how often listings re-check the
 * files for changes made by other processes.
 */
public record StoreSettings(int snapshotEvery, long maxSessionBytes, int eventRetention, int openSessions,
                            Duration openSessionIdle, Duration indexRefresh) {

    /** Listings re-check file attributes at most this often; this process's own writes are visible at once. */
    public static final Duration INDEX_REFRESH = Duration.ofSeconds(2);

    public StoreSettings {
        if (snapshotEvery < 1 || maxSessionBytes < 1 || eventRetention < 0 || openSessions < 0
                || openSessionIdle.isNegative() || indexRefresh.isNegative()) {
            throw new IllegalArgumentException("invalid store settings");
        }
    }

    public static StoreSettings from(TetherConfig.Store store) {
        return new StoreSettings(store.snapshotEvery(), store.maxSessionBytes(), store.eventRetention(),
                store.openSessions(), store.openSessionIdle(), INDEX_REFRESH);
    }

    public StoreSettings withSnapshotEvery(int n) {
        return new StoreSettings(n, maxSessionBytes, eventRetention, openSessions, openSessionIdle, indexRefresh);
    }

    public StoreSettings withMaxSessionBytes(long n) {
        return new StoreSettings(snapshotEvery, n, eventRetention, openSessions, openSessionIdle, indexRefresh);
    }

    public StoreSettings withEventRetention(int n) {
        return new StoreSettings(snapshotEvery, maxSessionBytes, n, openSessions, openSessionIdle, indexRefresh);
    }

    public StoreSettings withOpenSessions(int n) {
        return new StoreSettings(snapshotEvery, maxSessionBytes, eventRetention, n, openSessionIdle, indexRefresh);
    }
}

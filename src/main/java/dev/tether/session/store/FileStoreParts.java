package dev.tether.session.store;

/**
 * The parts of one {@link FileSessionStore} that its collaborators share, built once by the store: settings, the
 * codecs, the reader, the listing, the locks, the sessions kept open and the meters.
 */
record FileStoreParts(StoreSettings settings, JournalCodec codec, SnapshotCodec snapshots, SessionReader reader,
                      StoreListing listing, SessionLocks locks, OpenSessions open, StoreMetrics metrics) {
}

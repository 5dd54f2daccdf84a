package dev.tether.importer;

import dev.tether.session.Session;
import java.time.Instant;

/**
 * What listing and directory import need of a rollout without its transcript: id, directory, times, the number of
 * messages the import produces, the heuristic title and the read counts. Cached per file by size and mtime.
 */
record RolloutInfo(String id, String directory, Instant createdAt, Instant updatedAt, int messageCount,
                   String heuristicTitle, RolloutStats stats, String error, long size, long mtimeMillis) {

    static RolloutInfo of(Rollout r, long size, long mtimeMillis) {
        Session s = r.session();
        if (s == null) {
            return new RolloutInfo(null, r.directory(), null, null, 0, r.heuristicTitle(), r.stats(), r.error(), size,
                    mtimeMillis);
        }
        return new RolloutInfo(s.id(), s.metadata().directory(), s.createdAt(), s.updatedAt(), s.messages().size(),
                r.heuristicTitle(), r.stats(), null, size, mtimeMillis);
    }

    boolean ok() {
        return id != null;
    }
}

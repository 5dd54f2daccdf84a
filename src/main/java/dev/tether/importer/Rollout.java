package dev.tether.importer;

import dev.tether.session.Session;
import java.nio.file.Path;

/**
 * One rollout file mapped into a session (spec §10.4). {@code session} is {@code null} exactly when the file failed as
 * a whole ({@code error} says why: no usable session id, or it could not be read). {@code heuristicTitle} is the
 * title the transcript alone gives (§8.2), independent of the thread-name index, or {@code null}; {@code directory}
 * the stored form of the rollout's {@code cwd} (also known for some failed files), or {@code null}.
 */
public record Rollout(Path path, Session session, String heuristicTitle, String directory, RolloutStats stats,
                      String error) {

    /** Whether the file produced a session. */
    public boolean ok() {
        return session != null;
    }
}

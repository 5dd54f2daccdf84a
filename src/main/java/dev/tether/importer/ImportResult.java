package dev.tether.importer;

import dev.tether.session.Session;

/**
 * The result of importing one rollout by id: the stored session (the fresh import, or the existing copy when
 * {@code unchanged}; {@code null} when the file failed) and the one-file report.
 */
public record ImportResult(Session session, ImportReport report) {
}

package dev.tether.session.store;

import dev.tether.session.SessionIds;
import java.nio.file.Path;

/** The files of one session under {@code sessions/}; built only from a validated id. */
record SessionFiles(String id, Path snapshot, Path journal, Path lock) {

    static final String SNAPSHOT_SUFFIX = ".json";
    static final String JOURNAL_SUFFIX = ".journal.jsonl";
    static final String LOCK_SUFFIX = ".lock";

    static SessionFiles of(Path sessionsDir, String id) {
        String valid = SessionIds.require(id);
        return new SessionFiles(valid, sessionsDir.resolve(valid + SNAPSHOT_SUFFIX),
                sessionsDir.resolve(valid + JOURNAL_SUFFIX), sessionsDir.resolve(valid + LOCK_SUFFIX));
    }
}

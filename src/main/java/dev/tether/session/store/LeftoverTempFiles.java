package dev.tether.session.store;

import dev.tether.session.SessionBusyException;
import dev.tether.session.SessionIds;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Start-up housekeeping: removes the temp files that atomic writes ({@link AtomicFiles}) interrupted by a crash left in
 * the sessions directory. Only a name that {@link AtomicFiles#targetOfTemp} recognises as the temp file of a session's
 * snapshot or journal, or of the listing index, is considered, and only while no writer can be using it: a session's
 * temp file under that session's lock (every atomic write of a session runs under it, in any process), the index's
 * under the index lock. Snapshots, journals, locks, the index itself and unknown names are never touched.
 */
final class LeftoverTempFiles {

    private static final Logger LOG = Logger.getLogger(LeftoverTempFiles.class);

    private LeftoverTempFiles() {
    }

    /** Removes the leftovers it can prove dead; returns how many it removed. */
    static int remove(Path sessionsDir, SessionLocks locks, ListingIndex index) throws IOException {
        List<Path> indexTemps = new ArrayList<>();
        List<Path> sessionTemps = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(sessionsDir, ".*" + AtomicFiles.TEMP_SUFFIX)) {
            for (Path p : ds) {
                Optional<String> target = AtomicFiles.targetOfTemp(p.getFileName().toString());
                if (target.isEmpty()) {
                    continue;
                }
                if (target.get().equals(ListingIndex.FILE_NAME)) {
                    indexTemps.add(p);
                } else if (sessionOf(target.get()) != null) {
                    sessionTemps.add(p);
                }
            }
        }
        int removed = index.removeTemps(indexTemps);
        for (Path temp : sessionTemps) {
            String target = AtomicFiles.targetOfTemp(temp.getFileName().toString()).orElseThrow();
            if (removeUnderLock(SessionFiles.of(sessionsDir, sessionOf(target)), temp, locks)) {
                removed++;
            }
        }
        if (removed > 0) {
            AtomicFiles.syncDirectory(sessionsDir);
        }
        return removed;
    }

    /** The session id of a snapshot or journal file name; {@code null} for any other name. */
    private static String sessionOf(String fileName) {
        String id = null;
        if (fileName.endsWith(SessionFiles.JOURNAL_SUFFIX)) {
            id = fileName.substring(0, fileName.length() - SessionFiles.JOURNAL_SUFFIX.length());
        } else if (fileName.endsWith(SessionFiles.SNAPSHOT_SUFFIX)) {
            id = fileName.substring(0, fileName.length() - SessionFiles.SNAPSHOT_SUFFIX.length());
        }
        return id != null && SessionIds.isValid(id) ? id : null;
    }

    private static boolean removeUnderLock(SessionFiles files, Path temp, SessionLocks locks) throws IOException {
        // Every writer creates the lock file before its temp file: without one, nobody can be writing this temp.
        if (!Files.exists(files.lock())) {
            return Files.deleteIfExists(temp);
        }
        try (SessionLocks.Held held = locks.acquire(files)) {
            return Files.deleteIfExists(temp);
        } catch (SessionBusyException e) {
            LOG.debugf("session %s is being written; its temp file %s stays", files.id(), temp.getFileName());
            return false;
        }
    }
}

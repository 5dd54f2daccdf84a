package dev.tether.importer;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The rollouts under a Codex home {@code H} (spec §10.5): discovery (a recursive walk of {@code H/sessions} for
 * {@code *.jsonl} and {@code *.jsonl.zst}), lookup by session id, full reads, and per-file summaries cached while a
 * file's size and mtime are unchanged, so listings re-read only new files. Blocks on file I/O.
 */
final class CodexRollouts {

    private static final Logger LOG = Logger.getLogger(CodexRollouts.class);

    private final Path home;
    private final RolloutReader reader;
    private final ObjectMapper json;
    private final ConcurrentMap<Path, RolloutInfo> infoCache = new ConcurrentHashMap<>();

    CodexRollouts(Path home, RolloutReader reader, ObjectMapper json) {
        this.home = home;
        this.reader = reader;
        this.json = json;
    }

    /** The thread names of {@code H/session_index.jsonl}, read now. */
    ThreadNames threadNames() {
        return ThreadNames.load(home, json);
    }

    /** Every rollout file under {@code H/sessions}, sorted by path; none when the folder is absent. */
    List<Path> discover() {
        Path sessions = home.resolve("sessions");
        if (!Files.isDirectory(sessions)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(sessions)) {
            return walk.filter(RolloutReader::isRolloutFile).filter(Files::isRegularFile).sorted().toList();
        } catch (IOException | UncheckedIOException e) {
            LOG.warnf("cannot walk Codex sessions under %s: %s", sessions, e.getMessage());
            return List.of();
        }
    }

    /** The rollout whose session id is {@code id}, reading only each file's first lines. */
    Optional<Path> findById(String id) {
        // several files may claim one id (copies): the most recently modified wins
        return discover().stream().filter(p -> reader.peekId(p).filter(id::equals).isPresent())
                .max(Comparator.comparing(CodexRollouts::mtimeMillis));
    }

    /** Reads a whole file and caches its summary, so a following listing need not read it again. */
    Rollout read(Path file, ThreadNames names) {
        Rollout rollout = reader.read(file, names);
        try {
            BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
            infoCache.put(file, RolloutInfo.of(rollout, attrs.size(), attrs.lastModifiedTime().toMillis()));
        } catch (IOException e) {
            infoCache.remove(file);
        }
        return rollout;
    }

    /** The summary of a file: cached while size and mtime are unchanged, else read now. */
    RolloutInfo info(Path file) {
        long size;
        long mtime;
        try {
            BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
            size = attrs.size();
            mtime = attrs.lastModifiedTime().toMillis();
        } catch (NoSuchFileException e) {
            infoCache.remove(file);
            return unreadable("file vanished");
        } catch (IOException e) {
            return unreadable(message(e));
        }
        RolloutInfo cached = infoCache.get(file);
        if (cached != null && cached.size() == size && cached.mtimeMillis() == mtime) {
            return cached;
        }
        RolloutInfo fresh = RolloutInfo.of(reader.read(file, ThreadNames.none()), size, mtime);
        infoCache.put(file, fresh);
        return fresh;
    }

    /** A report's text for an exception: its message, else its type. */
    static String message(Exception e) {
        return e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static RolloutInfo unreadable(String error) {
        return new RolloutInfo(null, null, null, null, 0, null, new RolloutStats(0, 0, 0), error, 0, 0);
    }

    private static long mtimeMillis(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return Long.MIN_VALUE;
        }
    }
}

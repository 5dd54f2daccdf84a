package dev.tether.importer;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.config.TetherConfig;
import dev.tether.session.InvalidRequestException;
import dev.tether.session.Session;
import dev.tether.session.SessionIds;
import dev.tether.session.SessionNotFoundException;
import dev.tether.session.SessionSummary;
import dev.tether.session.Titles;
import dev.tether.session.store.ListQuery;
import dev.tether.session.store.SessionPage;
import dev.tether.session.store.SessionStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Imports OpenAI Codex CLI rollouts into Tether sessions and lists them beside native ones (spec §10.5).
 *
 * <p>Codex home {@code H}: {@code tether.codex.home}, else {@code $CODEX_HOME}, else {@code ~/.codex}. Discovery walks
 * {@code H/sessions} recursively for {@code *.jsonl} and {@code *.jsonl.zst}. Imports go through the normal
 * {@link SessionStore} under the rollout's id unless a stored copy is at least as new (idempotent). Every method
 * blocks on file I/O: never call it on the event loop.
 */
@ApplicationScoped
public class CodexImporter {

    private static final Logger LOG = Logger.getLogger(CodexImporter.class);
    /** Title prefix of Codex entries in merged listings. */
    public static final String TITLE_PREFIX = "[Codex] ";

    private final Path home;
    private final SessionStore store;
    private final RolloutReader reader;
    private final ObjectMapper json;
    /** Per-file summaries keyed by path, valid while size and mtime are unchanged: listings re-read only new files. */
    private final ConcurrentMap<Path, RolloutInfo> infoCache = new ConcurrentHashMap<>();

    @Inject
    public CodexImporter(TetherConfig config, SessionStore store, ObjectMapper json) {
        this(resolveHome(config.codex().home(), System.getenv("CODEX_HOME"), System.getProperty("user.home")), store,
                new RolloutReader(json), json);
    }

    /** With an explicit Codex home and reader (tests, tools). */
    public CodexImporter(Path codexHome, SessionStore store, RolloutReader reader, ObjectMapper json) {
        this.home = codexHome;
        this.store = store;
        this.reader = reader;
        this.json = json;
    }

    /** {@code configured} (non-blank), else {@code $CODEX_HOME} (non-blank), else {@code <userHome>/.codex}. */
    public static Path resolveHome(Optional<String> configured, String codexHomeEnv, String userHome) {
        Optional<String> c = configured.filter(s -> !s.isBlank());
        if (c.isPresent()) {
            return Path.of(c.get());
        }
        if (codexHomeEnv != null && !codexHomeEnv.isBlank()) {
            return Path.of(codexHomeEnv);
        }
        return Path.of(userHome == null ? "." : userHome, ".codex");
    }

    /** The Codex home in use. */
    public Path codexHome() {
        return home;
    }

    /** Every rollout file under {@code H/sessions}, sorted by path; none when the folder is absent. */
    public List<Path> discover() {
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

    // ---- import ----

    /**
     * {@code import_by_id}: finds the rollout whose session id is {@code id} (reading only each file's first lines),
     * imports it under the persist rule and returns the stored session with a one-file report.
     *
     * @throws dev.tether.session.InvalidSessionIdException for an invalid id, before anything is read
     * @throws CodexSessionNotFoundException             when no rollout has that id
     */
    public ImportResult importById(String id) {
        SessionIds.require(id);
        Path file = findById(id).orElseThrow(() -> new CodexSessionNotFoundException(id));
        ThreadNames names = ThreadNames.load(home, json);
        return importFile(file, names);
    }

    /**
     * {@code import_for_directory}: imports every discovered rollout whose canonical {@code cwd} equals the canonical
     * {@code dir}. Never fails as a whole: a file that cannot be imported is reported {@code failed}.
     */
    public ImportReport importForDirectory(String dir) {
        if (dir == null || dir.isBlank()) {
            throw new InvalidRequestException("directory is required");
        }
        ThreadNames names = ThreadNames.load(home, json);
        List<FileReport> files = new ArrayList<>();
        for (Path file : discover()) {
            RolloutInfo info = info(file);
            if (!Directories.sameDirectory(info.directory(), dir)) {
                continue;
            }
            if (!info.ok()) {
                files.add(new FileReport(file.toString(), null, ImportOutcome.FAILED, info.stats().linesParsed(),
                        info.stats().linesSkipped(), info.stats().messagesDropped(), info.error()));
                continue;
            }
            try {
                Optional<Instant> stored = storedUpdatedAt(info.id());
                if (stored.isPresent() && !stored.get().isBefore(info.updatedAt())) {
                    // decided from the cached summary: an unchanged rollout is not even re-read
                    files.add(new FileReport(file.toString(), info.id(), ImportOutcome.UNCHANGED,
                            info.stats().linesParsed(), info.stats().linesSkipped(), info.stats().messagesDropped(),
                            null));
                    continue;
                }
                files.add(importFile(file, names).report().files().get(0));
            } catch (RuntimeException e) {
                LOG.warnf("Codex import of %s failed: %s", file, e.getMessage());
                files.add(new FileReport(file.toString(), info.id(), ImportOutcome.FAILED, info.stats().linesParsed(),
                        info.stats().linesSkipped(), info.stats().messagesDropped(), message(e)));
            }
        }
        return ImportReport.of(files, null);
    }

    /**
     * {@code load_or_import}: when a rollout with that id exists, imports it (re-importing when newer) and returns the
     * stored session; else the native session; else {@link SessionNotFoundException}.
     */
    public Session loadOrImport(String id) {
        return loadOrImportResult(id).session();
    }

    /**
     * {@link #loadOrImport} with its report, so that callers can tell an import that replaced the stored history
     * (outcome {@code imported}) from a plain load; the report has no file when no rollout has that id.
     */
    public ImportResult loadOrImportResult(String id) {
        SessionIds.require(id);
        Optional<Path> file = findById(id);
        if (file.isEmpty()) {
            return new ImportResult(store.load(id), ImportReport.of(List.of(), null));
        }
        ImportResult result = importFile(file.get(), ThreadNames.load(home, json));
        if (result.session() != null) {
            return result;
        }
        if (store.exists(id)) {
            // the rollout is unreadable now, but an earlier import is stored
            return new ImportResult(store.load(id), result.report());
        }
        throw new CodexImportException("Codex session " + id + " cannot be imported: "
                + result.report().files().get(0).error());
    }

    /** Reads one file and applies the persist rule; store failures propagate. */
    ImportResult importFile(Path file, ThreadNames names) {
        Rollout rollout = reader.read(file, names);
        remember(file, rollout);
        if (!rollout.ok()) {
            FileReport failed = FileReport.of(rollout, null, ImportOutcome.FAILED, rollout.error());
            return new ImportResult(null, ImportReport.of(List.of(failed), null));
        }
        Session imported = rollout.session();
        Optional<Session> stored = storedSession(imported.id());
        if (stored.isPresent() && !stored.get().updatedAt().isBefore(imported.updatedAt())) {
            FileReport unchanged = FileReport.of(rollout, imported.id(), ImportOutcome.UNCHANGED, null);
            return new ImportResult(stored.get(), ImportReport.of(List.of(unchanged), imported.id()));
        }
        store.save(imported);
        FileReport done = FileReport.of(rollout, imported.id(), ImportOutcome.IMPORTED, null);
        return new ImportResult(imported, ImportReport.of(List.of(done), imported.id()));
    }

    private Optional<Path> findById(String id) {
        // several files may claim one id (copies): the most recently modified wins
        return discover().stream().filter(p -> reader.peekId(p).filter(id::equals).isPresent())
                .max(Comparator.comparing(CodexImporter::mtimeMillis));
    }

    private Optional<Session> storedSession(String id) {
        try {
            return store.exists(id) ? Optional.of(store.load(id)) : Optional.empty();
        } catch (SessionNotFoundException e) {
            return Optional.empty();
        }
    }

    private Optional<Instant> storedUpdatedAt(String id) {
        try {
            // the header is enough: no need to materialise the stored transcript
            return store.exists(id) ? Optional.of(store.loadTail(id, 1).session().updatedAt()) : Optional.empty();
        } catch (SessionNotFoundException e) {
            return Optional.empty();
        }
    }

    // ---- listing ----

    /**
     * {@code list_all_for_directory}: native summaries for {@code dir} merged with summaries of the Codex rollouts
     * discovered for {@code dir}, without importing them; sorted as {@code list_all}. A {@code null} or blank
     * {@code dir} lists everything.
     */
    public List<SessionSummary> listAllForDirectory(String dir) {
        String d = blankToNull(dir);
        return mergeCodexSummaries(d, nativeSummaries(d));
    }

    /**
     * Merges Codex summaries for {@code dir} into native summaries the caller already has (e.g. SessionResource with
     * {@code include=codex}). On an id present in both: a native entry older than the rollout is replaced by the Codex
     * one; otherwise the native one stays, taking the Codex title only when its own is {@code null} or not a title
     * candidate. Result sorted newest first, ties by id.
     */
    public List<SessionSummary> mergeCodexSummaries(String dir, List<SessionSummary> nativeSummaries) {
        Map<String, SessionSummary> codex = new HashMap<>();
        for (SessionSummary c : codexSummaries(dir)) {
            codex.put(c.id(), c);
        }
        Map<String, SessionSummary> merged = new LinkedHashMap<>();
        for (SessionSummary n : nativeSummaries) {
            SessionSummary c = codex.remove(n.id());
            if (c == null) {
                merged.put(n.id(), n);
            } else if (n.updatedAt().isBefore(c.updatedAt())) {
                merged.put(n.id(), c);
            } else {
                merged.put(n.id(), n.title() == null || !Titles.isCandidate(n.title()) ? n.withTitle(c.title()) : n);
            }
        }
        codex.values().forEach(c -> merged.putIfAbsent(c.id(), c));
        List<SessionSummary> out = new ArrayList<>(merged.values());
        out.sort(SessionSummary.NEWEST_FIRST);
        return out;
    }

    /**
     * Summaries of the Codex rollouts whose directory matches {@code dir} (§9 directory match; {@code null} = all):
     * title {@code "[Codex] "} + thread name, else heuristic title, else id; {@code message_count} as the import would
     * produce. When several files carry one id, the newest wins. A blank directory counts as {@code null}.
     */
    public List<SessionSummary> codexSummaries(String directory) {
        String dir = blankToNull(directory);
        ThreadNames names = ThreadNames.load(home, json);
        Map<String, SessionSummary> byId = new HashMap<>();
        for (Path file : discover()) {
            RolloutInfo info = info(file);
            if (!info.ok() || (dir != null && !Directories.matches(info.directory(), dir))) {
                continue;
            }
            String title = names.lookup(info.id()).map(Titles::settable).orElse(null);
            if (title == null) {
                title = info.heuristicTitle() != null ? info.heuristicTitle() : info.id();
            }
            SessionSummary s = new SessionSummary(info.id(), TITLE_PREFIX + title, info.createdAt(), info.updatedAt(),
                    info.messageCount(), Session.DEFAULT_AGENT, info.directory());
            byId.merge(s.id(), s, (a, b) -> a.updatedAt().isBefore(b.updatedAt()) ? b : a);
        }
        List<SessionSummary> out = new ArrayList<>(byId.values());
        out.sort(SessionSummary.NEWEST_FIRST);
        return out;
    }

    private List<SessionSummary> nativeSummaries(String dir) {
        if (dir == null) {
            return store.listAll();
        }
        List<SessionSummary> all = new ArrayList<>();
        Optional<String> cursor = Optional.empty();
        do {
            SessionPage page = store.list(new ListQuery(Optional.of(dir), ListQuery.MAX_LIMIT, cursor));
            all.addAll(page.sessions());
            cursor = Optional.ofNullable(page.nextCursor());
        } while (cursor.isPresent());
        return all;
    }

    // ---- per-file summary cache ----

    private RolloutInfo info(Path file) {
        long size;
        long mtime;
        try {
            BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
            size = attrs.size();
            mtime = attrs.lastModifiedTime().toMillis();
        } catch (NoSuchFileException e) {
            infoCache.remove(file);
            return new RolloutInfo(null, null, null, null, 0, null, new RolloutStats(0, 0, 0), "file vanished", 0, 0);
        } catch (IOException e) {
            return new RolloutInfo(null, null, null, null, 0, null, new RolloutStats(0, 0, 0), message(e), 0, 0);
        }
        RolloutInfo cached = infoCache.get(file);
        if (cached != null && cached.size() == size && cached.mtimeMillis() == mtime) {
            return cached;
        }
        RolloutInfo fresh = RolloutInfo.of(reader.read(file, ThreadNames.none()), size, mtime);
        infoCache.put(file, fresh);
        return fresh;
    }

    /** Caches what a full read found, so a following listing need not read the file again. */
    private void remember(Path file, Rollout rollout) {
        try {
            BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
            infoCache.put(file, RolloutInfo.of(rollout, attrs.size(), attrs.lastModifiedTime().toMillis()));
        } catch (IOException e) {
            infoCache.remove(file);
        }
    }

    private static String blankToNull(String dir) {
        return dir == null || dir.isBlank() ? null : dir;
    }

    private static long mtimeMillis(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return Long.MIN_VALUE;
        }
    }

    private static String message(Exception e) {
        return e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
    }
}

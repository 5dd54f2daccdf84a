package dev.tether.importer;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.config.TetherConfig;
import dev.tether.session.InvalidRequestException;
import dev.tether.session.Session;
import dev.tether.session.SessionIds;
import dev.tether.session.SessionNotFoundException;
import dev.tether.session.SessionSummary;
import dev.tether.session.store.SessionStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Imports OpenAI Codex CLI rollouts into Tether sessions (spec §10.5); the listing beside native sessions is
 * {@link CodexListing}, discovery {@link CodexRollouts}.
 *
 * <p>Codex home: {@link TetherConfig.Codex#resolvedHome()} ({@code $CODEX_HOME}, else {@code ~/.codex}). Imports go through the normal
 * {@link SessionStore} under the rollout's id unless a stored copy is at least as new (idempotent). Every method
 * blocks on file I/O: never call it on the event loop.
 */
@ApplicationScoped
public class CodexImporter {

    private static final Logger LOG = Logger.getLogger(CodexImporter.class);

    private final SessionStore store;
    private final CodexRollouts rollouts;
    private final CodexListing listing;

    @Inject
    public CodexImporter(TetherConfig config, SessionStore store, ObjectMapper json) {
        this(config.codex().resolvedHome(), store, new RolloutReader(json), json);
    }

    /** With an explicit Codex home and reader (tests, tools). */
    public CodexImporter(Path codexHome, SessionStore store, RolloutReader reader, ObjectMapper json) {
        this.store = store;
        this.rollouts = new CodexRollouts(codexHome, reader, json);
        this.listing = new CodexListing(rollouts, store);
    }

    /** The listing of this Codex home's rollouts beside native sessions. */
    public CodexListing listing() {
        return listing;
    }

    /** {@link CodexListing#listAllForDirectory}. */
    public List<SessionSummary> listAllForDirectory(String dir) {
        return listing.listAllForDirectory(dir);
    }

    /**
     * {@code import_by_id}: finds the rollout whose session id is {@code id} (reading only each file's first lines),
     * imports it under the persist rule and returns the stored session with a one-file report.
     *
     * @throws dev.tether.session.InvalidSessionIdException for an invalid id, before anything is read
     * @throws CodexSessionNotFoundException             when no rollout has that id
     */
    public ImportResult importById(String id) {
        SessionIds.require(id);
        Path file = rollouts.findById(id).orElseThrow(() -> new CodexSessionNotFoundException(id));
        ThreadNames names = rollouts.threadNames();
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
        ThreadNames names = rollouts.threadNames();
        List<FileReport> files = new ArrayList<>();
        for (Path file : rollouts.discover()) {
            RolloutInfo info = rollouts.info(file);
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
                        info.stats().linesSkipped(), info.stats().messagesDropped(), CodexRollouts.message(e)));
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
        Optional<Path> file = rollouts.findById(id);
        if (file.isEmpty()) {
            return new ImportResult(store.load(id), ImportReport.of(List.of(), null));
        }
        ImportResult result = importFile(file.get(), rollouts.threadNames());
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
        Rollout rollout = rollouts.read(file, names);
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
}

package dev.tether.agent;

import dev.tether.importer.CodexImporter;
import dev.tether.importer.ImportOutcome;
import dev.tether.importer.ImportReport;
import dev.tether.session.SessionSummary;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * Codex CLI import as the API uses it (spec §10.5): every import that replaced a session's stored history then goes
 * through the context-change hook (§8.4), so caches drop and followers hear of it.
 */
@Singleton
public record CodexImports(CodexImporter importer, SessionWriting writing, ContextChangeHook contextChanges) {

    /** Imports the Codex session with this id; the report carries its {@code session_id}. */
    public ImportReport importById(String codexId) {
        return imported(importer.importById(codexId).report());
    }

    /** Imports every rollout recorded for the directory. */
    public ImportReport importForDirectory(String directory) {
        return imported(importer.importForDirectory(directory));
    }

    /** {@code load_or_import}: a rollout newer than the stored copy (or with none stored) replaces it. */
    public void refresh(String id) {
        imported(importer.loadOrImportResult(id).report());
    }

    /** Native and Codex summaries of a directory (or of all), newest first, without importing anything. */
    List<SessionSummary> summariesWithCodex(String directory) {
        return importer.listAllForDirectory(directory);
    }

    /** Runs the hook ({@code import}) as the writer of every session whose stored history the import replaced. */
    private ImportReport imported(ImportReport report) {
        report.files().stream().filter(f -> f.outcome() == ImportOutcome.IMPORTED && f.sessionId() != null)
                .forEach(f -> writing.run(f.sessionId(), (writer, bus) -> {
                    contextChanges.apply(writer, bus, ContextChange.IMPORT);
                    return null;
                }));
        return report;
    }
}

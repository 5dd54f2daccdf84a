package dev.tether.importer;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * The report of a Codex import (spec §10.5): {@code imported} counts files with outcome {@code imported},
 * {@code skipped} the others. {@code session_id} is present only for an import by id, naming the stored session.
 */
@JsonPropertyOrder({"imported", "skipped", "files", "session_id"})
@RegisterForReflection
public record ImportReport(int imported, int skipped, List<FileReport> files,
                           @JsonInclude(JsonInclude.Include.NON_NULL) String sessionId) {

    public ImportReport {
        files = files == null ? List.of() : List.copyOf(files);
    }

    /** A report over these files, counting outcomes. */
    public static ImportReport of(List<FileReport> files, String sessionId) {
        int imported = (int) files.stream().filter(f -> f.outcome() == ImportOutcome.IMPORTED).count();
        return new ImportReport(imported, files.size() - imported, files, sessionId);
    }
}

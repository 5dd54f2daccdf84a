package dev.tether.api;

import dev.tether.agent.CodexImports;
import dev.tether.importer.ImportReport;
import dev.tether.session.InvalidRequestException;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * Imports OpenAI Codex CLI rollouts (spec §10.5). {@code {"id": ...}} imports one session and answers a one-file
 * report carrying {@code session_id}; {@code {"directory": ...}} imports every rollout of that directory.
 */
@Path("/api/import/codex")
@Tag(name = "Import", description = "Import OpenAI Codex CLI sessions (spec §10)")
public class ImportResource {

    private final CodexImports imports;

    public ImportResource(CodexImports imports) {
        this.imports = imports;
    }

    /** Reads rollouts and writes the store: blocking, so it runs on a worker thread, never on the event loop. */
    @POST
    @Blocking
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "importCodex", summary = "Import Codex CLI sessions",
            description = "Imports OpenAI Codex CLI rollouts into sessions. `{\"id\": …}` imports that Codex session "
                    + "and the report carries its `session_id`; `{\"directory\": …}` imports every rollout recorded "
                    + "for that directory. A re-import replaces the stored history of the session it made before.")
    @APIResponse(responseCode = "200", description = "What was imported, skipped or failed, file by file")
    @APIResponse(responseCode = "404", description = "No Codex session with that id")
    @APIResponse(responseCode = "422", description = "The rollout cannot be imported")
    public ImportReport importCodex(CodexImportRequest request) {
        boolean hasId = request != null && request.id() != null && !request.id().isBlank();
        boolean hasDirectory = request != null && request.directory() != null && !request.directory().isBlank();
        if (hasId == hasDirectory) {
            throw new InvalidRequestException("Give exactly one of 'id' or 'directory'");
        }
        return hasId ? imports.importById(request.id().trim()) : imports.importForDirectory(request.directory());
    }
}

package dev.tether.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.agent.CreateSessionRequest;
import dev.tether.agent.SessionEditor;
import dev.tether.agent.Sessions;
import dev.tether.session.InvalidRequestException;
import dev.tether.session.Session;
import dev.tether.session.store.ListQuery;
import dev.tether.session.store.SessionPage;
import dev.tether.session.store.SessionTail;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.util.Optional;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Session CRUD (README, API). Thin: validates parameters, calls {@link Sessions} (or {@link SessionEditor}),
 * returns. Those block on file I/O, so the resource runs on worker threads ({@link Blocking}),
 * never on the event loop. Errors leave through {@link ProblemMapper}.
 */
@Path("/api/sessions")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@Tag(name = "Sessions", description = "Create, list, read and delete sessions (spec §2, §9)")
public class SessionResource {

    /** Response headers of {@code ?tail=N}: how much of the session was left out. */
    public static final String DROPPED_MESSAGES = "Tether-Dropped-Messages";
    public static final String DROPPED_TOOL_USES = "Tether-Dropped-Tool-Uses";

    private final Sessions sessions;
    private final SessionEditor editor;
    private final ObjectMapper json;

    public SessionResource(Sessions sessions, SessionEditor editor, ObjectMapper json) {
        this.sessions = sessions;
        this.editor = editor;
        this.json = json;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createSession", summary = "Create a session",
            description = "Creates an empty session. Every field is optional: `directory` defaults to the workspace "
                    + "root and must lie inside it; `model` (`provider/model`) must resolve to a configured provider "
                    + "and is stored in its canonical form. Answers 201 with the session and its `Location`.")
    @APIResponse(responseCode = "201", description = "The new session", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Session.class)))
    public RestResponse<Session> create(CreateSessionRequest body, UriInfo uri) {
        Session session = sessions.create(body);
        return RestResponse.ResponseBuilder.<Session>create(RestResponse.Status.CREATED)
                .location(uri.getAbsolutePathBuilder().path(session.id()).build()).entity(session).build();
    }

    @GET
    @Operation(operationId = "listSessions", summary = "List sessions",
            description = "Lists session summaries, most recently updated first, one page at a time: `limit` per page, "
                    + "`cursor` from the previous page's `next_cursor`. `directory` keeps the sessions of that "
                    + "workspace directory (canonical forms compared); `include=codex` merges in summaries of the "
                    + "Codex CLI rollouts found for it, without importing them.")
    public SessionListResponse list(@RestQuery String directory, @RestQuery String limit, @RestQuery String cursor,
                                    @RestQuery String include) {
        ListQuery query = new ListQuery(Optional.ofNullable(directory).filter(d -> !d.isBlank()),
                intParam("limit", limit, ListQuery.DEFAULT_LIMIT), Optional.ofNullable(cursor).filter(c -> !c.isBlank()));
        boolean withCodex = include != null && !include.isBlank();
        if (withCodex && !"codex".equals(include.trim())) {
            throw new InvalidRequestException("include must be 'codex'");
        }
        SessionPage page = sessions.list(query, withCodex);
        return new SessionListResponse(page.sessions(), page.nextCursor());
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getSession", summary = "Read a session",
            description = "The whole session: metadata, transcript, tool uses and usage. `tail=N` keeps only the last N "
                    + "messages (and their tool uses); the response headers `Tether-Dropped-Messages` and "
                    + "`Tether-Dropped-Tool-Uses` say how much was left out. `import=codex` first imports the Codex "
                    + "rollout with this id when no native session exists or the rollout is newer than the stored copy.")
    public RestResponse<Session> get(@RestPath String id, @RestQuery String tail,
                                     @RestQuery("import") String importFrom) {
        if (importFrom != null) {
            if (!"codex".equals(importFrom.trim())) {
                throw new InvalidRequestException("import must be 'codex'");
            }
            // load_or_import (§10.5): a rollout newer than the stored copy replaces it; then the read below
            sessions.refreshFromCodex(id);
        }
        if (tail == null) {
            return RestResponse.ok(sessions.read(id));
        }
        int n = intParam("tail", tail, 0);
        if (n < 0) {
            throw new InvalidRequestException("tail must be 0 or more");
        }
        SessionTail t = sessions.readTail(id, n);
        return RestResponse.ResponseBuilder.ok(t.session()).header(DROPPED_MESSAGES, t.droppedMessages())
                .header(DROPPED_TOOL_USES, t.droppedToolUses()).build();
    }

    /**
     * Changes the title, {@code max_steps} or directory (merge-patch semantics: absent fields stay, {@code null}
     * clears). The body is read as text so that both JSON media types parse the same way, through the one mapper.
     */
    @PATCH
    @Path("{id}")
    @Consumes({MediaType.APPLICATION_JSON, SessionPatch.MERGE_PATCH_JSON})
    @Operation(operationId = "patchSession", summary = "Change a session",
            description = "Sets or clears the title (`null` clears it and a heuristic title is derived), sets "
                    + "`max_steps` or moves the session to another directory inside the workspace root. Absent fields "
                    + "stay as they are. Refused while a turn runs on it.")
    @APIResponse(responseCode = "200", description = "The changed session")
    @APIResponse(responseCode = "409", description = "A turn is running on the session")
    public Session patch(@RestPath String id, String body) throws JsonProcessingException {
        if (body == null || body.isBlank()) {
            throw new InvalidRequestException("The body must be a JSON object");
        }
        return editor.edit(id, SessionPatch.parse(json.readTree(body)));
    }

    @DELETE
    @Path("{id}")
    @Operation(operationId = "deleteSession", summary = "Delete a session",
            description = "Deletes the session with its journal and events; followers of its events see their stream "
                    + "end. Refused while a turn runs on it.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "409", description = "A turn is running on the session; abort it first")
    public void delete(@RestPath String id) {
        sessions.delete(id);
    }

    private static int intParam(String name, String value, int absent) {
        if (value == null || value.isBlank()) {
            return absent;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new InvalidRequestException(name + " must be an integer");
        }
    }
}

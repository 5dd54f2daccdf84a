package dev.tether.api;

import dev.tether.agent.AgentService;
import dev.tether.session.InvalidRequestException;
import dev.tether.session.SessionIds;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestStreamElementType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /api/sessions/{id}/events}: follows a session live as SSE. With {@code Last-Event-ID} (or
 * {@code ?after=N}) the durable events recorded after N are replayed from the journal first, then the stream goes on
 * live with no gap and no duplicate, also after a restart. The stream does not end by itself, except with a
 * {@code lagged} frame (reconnect with {@code Last-Event-ID}) or when the session is deleted.
 */
@Path("/api/sessions/{id}/events")
@Tag(name = "Events", description = "Follow a session's events live, with replay from the journal (spec §5)")
public class EventsResource {

    private final AgentService agent;
    private final SseFrames frames;

    public EventsResource(AgentService agent, SseFrames frames) {
        this.agent = agent;
        this.frames = frames;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Blocking // the existence check reads the store
    @Operation(operationId = "followEvents", summary = "Follow a session's events",
            description = "Streams the session's events as they are emitted, whichever client runs the turn. With "
                    + "`Last-Event-ID: N` (or `?after=N`) the durable events recorded after sequence N are replayed "
                    + "from the journal first, then the stream goes on live with no gap and no duplicate, also after a "
                    + "restart of the service. The stream does not end by itself: it ends when the session is deleted, "
                    + "or with a last `lagged` frame (`{\"type\":\"lagged\",\"resume_after\":N}`) when the client "
                    + "fell too far behind; reconnect with `Last-Event-ID: N` then.")
    public Multi<OutboundSseEvent> follow(@RestPath String id, @RestHeader("Last-Event-ID") String lastEventId,
                                          @RestQuery String after, @Context Sse sse) {
        SessionIds.require(id);
        // The header wins: a reconnecting EventSource sends it along with the original URL.
        Long resumeAfter = parse(lastEventId, "Last-Event-ID");
        if (resumeAfter == null) {
            resumeAfter = parse(after, "after");
        }
        return frames.stream(agent.events(id, resumeAfter), sse);
    }

    private static Long parse(String value, String name) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            long n = Long.parseLong(value.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidRequestException(name + " must be a non-negative event sequence number");
    }
}

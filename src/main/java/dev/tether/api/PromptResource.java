package dev.tether.api;

import dev.tether.agent.AgentService;
import dev.tether.agent.PromptRequest;
import dev.tether.event.BusEvent;
import dev.tether.event.BusEvents;
import dev.tether.session.InvalidRequestException;
import dev.tether.session.SessionResult;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.concurrent.CompletableFuture;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * Runs prompts (README, API). {@code Accept: application/json} answers the {@code SessionResult} when the turn
 * ends; {@code Accept: text/event-stream} streams the turn's events and ends after {@code done} or {@code error}.
 * The preconditions are checked before anything starts, so a rejected prompt is a plain problem response. A client
 * that disconnects from the stream does not cancel the turn unless it asked for that ({@code
 * ?cancel_on_disconnect=true}).
 */
@Path("/api/sessions/{id}")
public class PromptResource {

    private final AgentService agent;
    private final SseFrames frames;

    public PromptResource(AgentService agent, SseFrames frames) {
        this.agent = agent;
        this.frames = frames;
    }

    @POST
    @Path("prompt")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Blocking // the preconditions read the store; the turn itself runs on a turn thread
    public Uni<SessionResult> prompt(@RestPath String id, PromptRequest body) {
        CompletableFuture<SessionResult> result = agent.start(id, require(body), bus -> {
        });
        return Uni.createFrom().completionStage(result);
    }

    @POST
    @Path("prompt")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Blocking
    public Multi<OutboundSseEvent> promptStream(@RestPath String id, PromptRequest body,
                                                @RestQuery("cancel_on_disconnect") boolean cancelOnDisconnect,
                                                @Context Sse sse) {
        // Subscribe when this prompt's turn begins (a queued prompt must not see the running turn's events), before
        // it emits anything.
        CompletableFuture<Multi<BusEvent>> subscription = new CompletableFuture<>();
        CompletableFuture<SessionResult> result = agent.start(id, require(body),
                bus -> subscription.complete(BusEvents.untilTerminal(bus.subscribe())));
        result.whenComplete((r, failure) -> {
            if (failure != null) {
                subscription.completeExceptionally(failure);
            }
        });
        Multi<BusEvent> events = Multi.createFrom().completionStage(subscription)
                .onItem().transformToMultiAndConcatenate(m -> m);
        Multi<OutboundSseEvent> stream = frames.stream(events, sse);
        return cancelOnDisconnect ? stream.onCancellation().invoke(() -> agent.abort(id)) : stream;
    }

    @POST
    @Path("abort")
    @Produces(MediaType.APPLICATION_JSON)
    @Blocking
    public AbortResponse abort(@RestPath String id) {
        return new AbortResponse(agent.abort(id));
    }

    /** Whether a running turn was cancelled. */
    public record AbortResponse(boolean aborted) {
    }

    private static PromptRequest require(PromptRequest body) {
        if (body == null) {
            throw new InvalidRequestException("A JSON body {\"message\": ...} is required");
        }
        return body;
    }
}

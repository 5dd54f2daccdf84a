package dev.tether.api;

import dev.tether.agent.AgentService;
import dev.tether.agent.IdempotentPrompts;
import dev.tether.agent.PromptRequest;
import dev.tether.event.BusEvent;
import dev.tether.event.BusEvents;
import dev.tether.event.SessionBus;
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
import java.util.function.Consumer;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * Runs prompts (README, API). {@code Accept: application/json} answers the {@code SessionResult} when the turn
 * ends; {@code Accept: text/event-stream} streams the turn's events and ends after {@code done} or {@code error}.
 * The preconditions are checked before anything starts, so a rejected prompt is a plain problem response. A client
 * that disconnects from the stream does not cancel the turn unless it asked for that ({@code
 * ?cancel_on_disconnect=true}). With an {@code Idempotency-Key} header a retry never runs the prompt twice: it gets
 * the first turn's result or events ({@link IdempotentPrompts}).
 */
@Path("/api/sessions/{id}")
public class PromptResource {

    /** Header making a prompt safe to retry (spec §3.1.1). */
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final AgentService agent;
    private final IdempotentPrompts prompts;
    private final SseFrames frames;

    public PromptResource(AgentService agent, IdempotentPrompts prompts, SseFrames frames) {
        this.agent = agent;
        this.prompts = prompts;
        this.frames = frames;
    }

    @POST
    @Path("prompt")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Blocking // the preconditions read the store; the turn itself runs on a turn thread
    public Uni<SessionResult> prompt(@RestPath String id, @RestHeader(IDEMPOTENCY_KEY) String idempotencyKey,
                                     PromptRequest body) {
        Consumer<SessionBus> noSubscriber = bus -> {
        };
        CompletableFuture<SessionResult> result = idempotencyKey == null ? agent.start(id, require(body), noSubscriber)
                : prompts.start(id, require(body), idempotencyKey, noSubscriber, events -> {
                });
        return Uni.createFrom().completionStage(result);
    }

    @POST
    @Path("prompt")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Blocking
    public Multi<OutboundSseEvent> promptStream(@RestPath String id, @RestHeader(IDEMPOTENCY_KEY) String idempotencyKey,
                                                PromptRequest body,
                                                @RestQuery("cancel_on_disconnect") boolean cancelOnDisconnect,
                                                @Context Sse sse) {
        // Subscribe when this prompt's turn begins (a queued prompt must not see the running turn's events), before
        // it emits anything. A retry of a keyed prompt gets the events of the turn its key started instead.
        CompletableFuture<Multi<BusEvent>> subscription = new CompletableFuture<>();
        Consumer<SessionBus> beforeTurn = bus -> subscription.complete(BusEvents.untilTerminal(bus.subscribe()));
        CompletableFuture<SessionResult> result = idempotencyKey == null ? agent.start(id, require(body), beforeTurn)
                : prompts.start(id, require(body), idempotencyKey, beforeTurn, subscription::complete);
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

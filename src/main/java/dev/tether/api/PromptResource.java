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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * Runs prompts (README, API). {@code Accept: application/json} answers the {@code SessionResult} when the turn
 * ends; {@code Accept: text/event-stream} streams the turn's events and ends after {@code done} or {@code error}.
 * The preconditions are checked before anything starts, so a rejected prompt is a plain problem response. A client
 * that disconnects from the stream does not cancel the turn unless it asked for that ({@code
 * ?cancel_on_disconnect=true}). With an {@code Idempotency-Key} header a retry never runs the prompt twice: it gets
 * the first turn's result or events ({@link IdempotentPrompts}).
 */
@Path("/api/sessions/{id}")
@Tag(name = "Prompts", description = "Run turns of the agentic loop on a session and abort them (spec §3)")
public class PromptResource {

    private static final String PROMPT_DESCRIPTION = "Runs one turn of the agentic loop on the session: appends the "
            + "user message (text and image attachments), names the session if it has no title, then calls the model "
            + "and runs tools until it answers without a tool call, `max_steps` is reached, the turn is aborted or an "
            + "error ends it. The preconditions (session, message, images, `max_steps`, model) are checked first: a "
            + "rejected prompt changes nothing and emits no event. With `Accept: application/json` the answer is the "
            + "`SessionResult` once the turn ends (errors after the preconditions are a `SessionResult` with "
            + "`terminal_reason: error`, not an HTTP error). With `Accept: text/event-stream` the turn's events are "
            + "streamed and the stream ends after `done` or `error`; leaving the stream does not cancel the turn "
            + "unless `cancel_on_disconnect=true`.";

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
    @Blocking // the preconditions read the store; the turn itself runs on a turn thread, this one waits for it
    @Operation(operationId = "prompt", summary = "Run a turn", description = PROMPT_DESCRIPTION)
    @APIResponse(responseCode = "200", description = "The SessionResult of the turn, once it ended")
    @APIResponse(responseCode = "409", description = "A turn is already running on the session (and `if_busy` is "
            + "not `queue`)")
    @APIResponse(responseCode = "422", description = "The `Idempotency-Key` was used before with another request body")
    @APIResponse(responseCode = "503", description = "The session store is unavailable, or the model's provider has "
            + "no credentials configured")
    public SessionResult prompt(@RestPath String id, @RestHeader(IDEMPOTENCY_KEY) String idempotencyKey,
                                PromptRequest body) {
        Consumer<SessionBus> noSubscriber = bus -> {
        };
        CompletableFuture<SessionResult> result = idempotencyKey == null ? agent.start(id, require(body), noSubscriber)
                : prompts.start(id, require(body), idempotencyKey, noSubscriber, events -> {
                });
        // Waits here instead of returning a Uni: a suspended @Blocking request whose turn completed while its worker was
        // still leaving the handler chain resumed on a second worker, and the first one's deactivation of the request
        // context (shared through the request's Vert.x context) removed it under the second: a
        // ContextNotActiveException and a 500, about once in 2,000 fast prompts under a profiler. Admission bounds the
        // threads waiting here (ARCHITECTURE.md, "Threads").
        return Uni.createFrom().completionStage(result).await().indefinitely(); // rethrows the turn's own failure
    }

    @POST
    @Path("prompt")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Blocking
    // no operationId: the scanner merges this method into the JSON one's POST operation ("prompt"); repeating the id
    // only made the build warn of a duplicate (SROAP07903)
    @Operation(summary = "Run a turn", description = PROMPT_DESCRIPTION)
    public Multi<OutboundSseEvent> promptStream(@RestPath String id,
                                                @RestHeader(IDEMPOTENCY_KEY) String idempotencyKey, PromptRequest body,
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
    @Operation(operationId = "abortTurn", summary = "Abort the running turn",
            description = "Cancels the turn running on the session, if any: the partial response is discarded, "
                    + "running tools are stopped (`bash` kills its process tree), every tool call gets a result and "
                    + "the turn ends with `done` / `aborted`. `aborted` is false when no turn was running.")
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

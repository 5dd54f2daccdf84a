package dev.tether.context;

import dev.tether.event.EventEmitter;
import dev.tether.provider.ToolDefinition;
import dev.tether.session.Cancellation;
import dev.tether.session.Message;
import dev.tether.session.SessionMetadata;
import java.util.List;

/**
 * Input of a derivation (spec §6.3) and of the other {@link ContextManager} operations.
 *
 * @param sessionId     key of the compaction cache
 * @param transcript    the stored transcript; never modified
 * @param systemPrompt  the system prompt of the request (counted in estimates, not part of the derived list)
 * @param tools         tool definitions of the request (counted in estimates)
 * @param model         the session model's selector ({@code provider/model}), as resolved for this turn
 * @param metadata      the session's metadata ({@code context_policy}, {@code rlm})
 * @param budgetHalved  whether a prompt-too-long error halved the budget for the rest of this turn
 * @param reason        reason reported if a compaction runs ({@code context_budget}, or {@code prompt_too_long}
 *                      during the prompt-too-long plan, {@code manual} for the API)
 * @param emitter       where compaction, RLM and token events go
 * @param cancellation  the turn's cancellation; a cancelled summary run ends the derivation with
 *                      {@link Cancellation.CancelledException}
 * @param usageSink     receives the usage of every summary call as it completes
 */
public record DeriveRequest(String sessionId, List<Message> transcript, String systemPrompt,
                            List<ToolDefinition> tools, String model, SessionMetadata metadata, boolean budgetHalved,
                            CompactionReason reason, EventEmitter emitter, Cancellation cancellation,
                            UsageSink usageSink) {

    public DeriveRequest {
        transcript = List.copyOf(transcript);
        tools = tools == null ? List.of() : List.copyOf(tools);
        metadata = metadata == null ? SessionMetadata.DEFAULT : metadata;
        reason = reason == null ? CompactionReason.CONTEXT_BUDGET : reason;
        emitter = emitter == null ? EventEmitter.NONE : emitter;
        cancellation = cancellation == null ? new Cancellation() : cancellation;
        usageSink = usageSink == null ? UsageSink.NONE : usageSink;
    }

    /** A request for a read-only operation (estimate, dry run): no events, no cancellation, no usage. */
    public static DeriveRequest readOnly(String sessionId, List<Message> transcript, String systemPrompt,
                                         List<ToolDefinition> tools, String model, SessionMetadata metadata) {
        return new DeriveRequest(sessionId, transcript, systemPrompt, tools, model, metadata, false,
                CompactionReason.MANUAL, EventEmitter.NONE, new Cancellation(), UsageSink.NONE);
    }

    public DeriveRequest withReason(CompactionReason newReason) {
        return new DeriveRequest(sessionId, transcript, systemPrompt, tools, model, metadata, budgetHalved, newReason,
                emitter, cancellation, usageSink);
    }
}

package dev.tether.event;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tether.session.SessionResult;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Everything a turn tells its observers (spec §5.2), as {@code {"type": "<snake_case>", ...}}. Durable events are
 * recorded before they are delivered; ephemeral ones may be lost. New fields must be optional so that old journals
 * still load.
 */
// Journals written by a newer version may carry fields this one does not know: they are ignored, never fatal.
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = SessionEvent.Thinking.class, name = "thinking"),
        @JsonSubTypes.Type(value = SessionEvent.TextChunk.class, name = "text_chunk"),
        @JsonSubTypes.Type(value = SessionEvent.TextComplete.class, name = "text_complete"),
        @JsonSubTypes.Type(value = SessionEvent.ThinkingComplete.class, name = "thinking_complete"),
        @JsonSubTypes.Type(value = SessionEvent.TokenEstimate.class, name = "token_estimate"),
        @JsonSubTypes.Type(value = SessionEvent.TokenUsage.class, name = "token_usage"),
        @JsonSubTypes.Type(value = SessionEvent.UsageReport.class, name = "usage_report"),
        @JsonSubTypes.Type(value = SessionEvent.PlayBreak.class, name = "play_break"),
        @JsonSubTypes.Type(value = SessionEvent.StreamRetry.class, name = "stream_retry"),
        @JsonSubTypes.Type(value = SessionEvent.ToolCallStart.class, name = "tool_call_start"),
        @JsonSubTypes.Type(value = SessionEvent.ToolHeartbeat.class, name = "tool_heartbeat"),
        @JsonSubTypes.Type(value = SessionEvent.ToolOutputChunk.class, name = "tool_output_chunk"),
        @JsonSubTypes.Type(value = SessionEvent.ToolCallMetadata.class, name = "tool_call_metadata"),
        @JsonSubTypes.Type(value = SessionEvent.ToolCallComplete.class, name = "tool_call_complete"),
        @JsonSubTypes.Type(value = SessionEvent.CompactionStarted.class, name = "compaction_started"),
        @JsonSubTypes.Type(value = SessionEvent.CompactionCompleted.class, name = "compaction_completed"),
        @JsonSubTypes.Type(value = SessionEvent.CompactionFailed.class, name = "compaction_failed"),
        @JsonSubTypes.Type(value = SessionEvent.ContextTruncated.class, name = "context_truncated"),
        @JsonSubTypes.Type(value = SessionEvent.RlmProgress.class, name = "rlm_progress"),
        @JsonSubTypes.Type(value = SessionEvent.RlmComplete.class, name = "rlm_complete"),
        @JsonSubTypes.Type(value = SessionEvent.RlmSubcallFallback.class, name = "rlm_subcall_fallback"),
        @JsonSubTypes.Type(value = SessionEvent.ContextChanged.class, name = "context_changed"),
        @JsonSubTypes.Type(value = SessionEvent.Done.class, name = "done"),
        @JsonSubTypes.Type(value = SessionEvent.Error.class, name = "error")
})
@RegisterForReflection(targets = {SessionEvent.class, SessionEvent.Thinking.class, SessionEvent.TextChunk.class,
        SessionEvent.TextComplete.class, SessionEvent.ThinkingComplete.class, SessionEvent.TokenEstimate.class,
        SessionEvent.TokenUsage.class, SessionEvent.UsageReport.class, SessionEvent.PlayBreak.class,
        SessionEvent.StreamRetry.class, SessionEvent.ToolCallStart.class, SessionEvent.ToolHeartbeat.class,
        SessionEvent.ToolOutputChunk.class, SessionEvent.ToolCallMetadata.class, SessionEvent.ToolCallComplete.class,
        SessionEvent.CompactionStarted.class, SessionEvent.CompactionCompleted.class,
        SessionEvent.CompactionFailed.class, SessionEvent.ContextTruncated.class, SessionEvent.RlmProgress.class,
        SessionEvent.RlmComplete.class, SessionEvent.RlmSubcallFallback.class, SessionEvent.ContextChanged.class,
        SessionEvent.Done.class, SessionEvent.Error.class})
public sealed interface SessionEvent {

    /** Whether the event is {@link Durable}. */
    @JsonIgnore
    default boolean isDurable() {
        return this instanceof Durable;
    }

    /** Durable events are written to the {@link DurableSink} before delivery and are never dropped. */
    sealed interface Durable extends SessionEvent {
    }

    /** The spec's snake_case type name. */
    @JsonIgnore
    default String type() {
        return EventTypes.nameOf(getClass());
    }

    /** A step started, or a reasoning delta arrived. */
    record Thinking() implements SessionEvent {}

    /** The whole text of the current attempt so far (a snapshot, not a delta). */
    record TextChunk(String text) implements SessionEvent {}

    /** A step's non-blank text, once. */
    record TextComplete(String text) implements Durable {}

    /** A step's reasoning, once. */
    record ThinkingComplete(String text) implements Durable {}

    /** Before every provider request: its estimated size against the effective budget. */
    @JsonPropertyOrder({"source", "model", "request_tokens", "budget"})
    record TokenEstimate(TokenSource source, String model, long requestTokens, long budget) implements SessionEvent {

        /** {@code requestTokens / budget}, 0 when the budget is 0. */
        public double fraction() {
            return budget == 0 ? 0 : (double) requestTokens / budget;
        }

        @JsonIgnore
        public boolean isOverBudget() {
            return requestTokens > budget;
        }
    }

    /** After every successful provider call, of any source. */
    @JsonPropertyOrder({"source", "model", "prompt_tokens", "completion_tokens", "cache_read_tokens",
            "cache_write_tokens", "duration_ms"})
    record TokenUsage(TokenSource source, String model, long promptTokens, long completionTokens, Long cacheReadTokens,
                      Long cacheWriteTokens, long durationMs) implements Durable {

        /** {@code prompt + completion}, saturating. */
        public long total() {
            long r = promptTokens + completionTokens;
            return r < 0 ? Long.MAX_VALUE : r;
        }
    }

    /** Once per step after its completion succeeded; the duration includes retries and restarts. */
    @JsonPropertyOrder({"prompt_tokens", "completion_tokens", "duration_ms", "model"})
    record UsageReport(long promptTokens, long completionTokens, long durationMs, String model) implements Durable {}

    /** Brackets a retry wait: {@code active=true} with the delay and reason, then {@code active=false}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"active", "delay_ms", "reason"})
    record PlayBreak(boolean active, Long delayMs, String reason) implements SessionEvent {}

    /** A stream restart; clients reset any partial text they display. */
    @JsonPropertyOrder({"attempt", "max_restarts", "reason"})
    record StreamRetry(int attempt, int maxRestarts, String reason) implements SessionEvent {}

    /** A tool call is about to run (arguments capped at 4096 bytes). */
    @JsonPropertyOrder({"tool_call_id", "name", "arguments"})
    record ToolCallStart(String toolCallId, String name, String arguments) implements Durable {}

    /** Every 10 s while a tool runs. */
    @JsonPropertyOrder({"tool_call_id", "name", "elapsed_secs"})
    record ToolHeartbeat(String toolCallId, String name, long elapsedSecs) implements SessionEvent {}

    /** Live output of a streaming tool. */
    @JsonPropertyOrder({"tool_call_id", "name", "stream", "chunk"})
    record ToolOutputChunk(String toolCallId, String name, String stream, String chunk) implements SessionEvent {}

    /** A tool returned non-empty metadata. */
    @JsonPropertyOrder({"tool_call_id", "name", "metadata"})
    record ToolCallMetadata(String toolCallId, String name, JsonNode metadata) implements Durable {}

    /** A tool call finished (raw output capped at 8192 bytes). */
    @JsonPropertyOrder({"tool_call_id", "name", "output", "success", "duration_ms"})
    record ToolCallComplete(String toolCallId, String name, String output, boolean success, long durationMs)
            implements Durable {}

    /** Start of a compaction; reason is {@code context_budget}, {@code prompt_too_long} or {@code manual}. */
    @JsonPropertyOrder({"trace_id", "reason", "before_tokens", "budget"})
    record CompactionStarted(String traceId, String reason, long beforeTokens, long budget) implements Durable {}

    /** A compaction produced a context that fits (or a forced one finished). */
    @JsonPropertyOrder({"trace_id", "strategy", "before_tokens", "after_tokens", "kept_messages"})
    record CompactionCompleted(String traceId, String strategy, long beforeTokens, long afterTokens, int keptMessages)
            implements Durable {

        /** {@code clamp(1 − after/before, 0, 1)}, 0 when before is 0. */
        public double reduction() {
            if (beforeTokens == 0) {
                return 0;
            }
            return Math.max(0, Math.min(1, 1 - (double) afterTokens / beforeTokens));
        }
    }

    /** The model summary failed ({@code fellBackTo = chunk_compress}) or nothing fits ({@code fellBackTo = null}). */
    @JsonPropertyOrder({"trace_id", "fell_back_to", "reason", "after_tokens", "budget"})
    record CompactionFailed(String traceId, @JsonInclude(JsonInclude.Include.ALWAYS) String fellBackTo, String reason,
                            long afterTokens, long budget) implements Durable {}

    /** Terminal truncation ran. {@code archiveRef} is always null here. */
    @JsonPropertyOrder({"trace_id", "dropped_tokens", "kept_messages", "archive_ref"})
    record ContextTruncated(String traceId, long droppedTokens, int keptMessages,
                            @JsonInclude(JsonInclude.Include.ALWAYS) String archiveRef) implements Durable {}

    /** RLM progress: status {@code started}, {@code iterating}, {@code subcall} or {@code finalizing}. */
    @JsonPropertyOrder({"trace_id", "iteration", "max_iterations", "status"})
    record RlmProgress(String traceId, int iteration, int maxIterations, String status) implements SessionEvent {}

    /** An RLM run ended: outcome {@code converged}, {@code exhausted}, {@code failed} or {@code aborted}. */
    @JsonPropertyOrder({"trace_id", "outcome", "iterations", "subcalls", "input_tokens", "output_tokens", "elapsed_ms",
            "reason", "root_model", "subcall_model_used"})
    record RlmComplete(String traceId, String outcome, int iterations, int subcalls, long inputTokens,
                       long outputTokens, long elapsedMs, @JsonInclude(JsonInclude.Include.ALWAYS) String reason,
                       String rootModel,
                       @JsonInclude(JsonInclude.Include.NON_NULL) String subcallModelUsed) implements Durable {}

    /** The requested sub-call model could not be resolved; the root model is used. */
    @JsonPropertyOrder({"requested_model", "fallback_model", "reason"})
    record RlmSubcallFallback(String requestedModel, String fallbackModel, String reason) implements Durable {}

    /**
     * The context-change hook ran (§8.4): {@code reason} is {@code import}, {@code compaction}, {@code directory} or
     * {@code title_cleared}; {@code title} (may be null) and {@code updated_at} are the session's values after it, so
     * followers can refresh a listing without reloading the session.
     */
    @JsonPropertyOrder({"reason", "title", "updated_at"})
    record ContextChanged(String reason, @JsonInclude(JsonInclude.Include.ALWAYS) String title, String updatedAt)
            implements Durable {}

    /** Terminal event for {@code completed}, {@code max_steps} and {@code aborted}. */
    record Done(SessionResult result) implements Durable {}

    /** Terminal event for {@code error}. */
    @JsonPropertyOrder({"message", "result"})
    record Error(String message, SessionResult result) implements Durable {}

    /** Whether this event ends a turn. */
    @JsonIgnore
    default boolean isTerminal() {
        return this instanceof Done || this instanceof Error;
    }
}

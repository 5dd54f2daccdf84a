package dev.tether.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tether.config.Json;
import dev.tether.session.SessionResult;
import dev.tether.session.TerminalReason;
import dev.tether.session.Usage;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Golden JSON of every event (spec §5.2, §5.3): exact text, key order included. The §5.3 sample lines are compared
 * verbatim. Each is checked with the store's view of the mapper and with the service's mapper ({@link Json}).
 */
class SessionEventJsonTest {

    /** The store's view (journal lines). */
    private static final ObjectMapper PLAIN = Json.internal(Json.mapper());
    /** The service's mapper (SSE frames). */
    private static final ObjectMapper SERVICE = Json.mapper();

    private static final SessionResult RESULT = new SessionResult("Fixed.", "s1", TerminalReason.COMPLETED, 2,
            Usage.of(10, 5, null, null), null);
    private static final String RESULT_JSON = "{\"text\":\"Fixed.\",\"session_id\":\"s1\",\"terminal_reason\":\"completed\","
            + "\"steps\":2,\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5,\"total_tokens\":15,"
            + "\"cache_read_tokens\":null,\"cache_write_tokens\":null},\"error\":null}";

    /** Every event type with its exact JSON; the first eight lines are the spec's §5.3 sample, verbatim. */
    static List<Object[]> golden() {
        return List.of(
                g(new SessionEvent.Thinking(), "{\"type\":\"thinking\"}"),
                g(new SessionEvent.TokenEstimate(TokenSource.ROOT, "openai/gpt-4o", 3120, 105984),
                        "{\"type\":\"token_estimate\",\"source\":\"root\",\"model\":\"openai/gpt-4o\",\"request_tokens\":3120,\"budget\":105984}"),
                g(new SessionEvent.TextChunk("Let me look at the parser."),
                        "{\"type\":\"text_chunk\",\"text\":\"Let me look at the parser.\"}"),
                g(new SessionEvent.TokenUsage(TokenSource.ROOT, "openai/gpt-4o", 3012, 41, null, null, 812),
                        "{\"type\":\"token_usage\",\"source\":\"root\",\"model\":\"openai/gpt-4o\",\"prompt_tokens\":3012,\"completion_tokens\":41,\"cache_read_tokens\":null,\"cache_write_tokens\":null,\"duration_ms\":812}"),
                g(new SessionEvent.UsageReport(3012, 41, 812, "openai/gpt-4o"),
                        "{\"type\":\"usage_report\",\"prompt_tokens\":3012,\"completion_tokens\":41,\"duration_ms\":812,\"model\":\"openai/gpt-4o\"}"),
                g(new SessionEvent.TextComplete("Let me look at the parser."),
                        "{\"type\":\"text_complete\",\"text\":\"Let me look at the parser.\"}"),
                g(new SessionEvent.ToolCallStart("call_a1", "read", "{\"path\":\"src/main/java/tk/DateParser.java\",\"limit\":3}"),
                        "{\"type\":\"tool_call_start\",\"tool_call_id\":\"call_a1\",\"name\":\"read\",\"arguments\":\"{\\\"path\\\":\\\"src/main/java/tk/DateParser.java\\\",\\\"limit\\\":3}\"}"),
                g(new SessionEvent.ToolCallComplete("call_a1", "read", "     1\tpackage tk;\n…", true, 4),
                        "{\"type\":\"tool_call_complete\",\"tool_call_id\":\"call_a1\",\"name\":\"read\",\"output\":\"     1\\tpackage tk;\\n…\",\"success\":true,\"duration_ms\":4}"),
                // the rest of the catalogue (§5.2)
                g(new SessionEvent.ThinkingComplete("hmm"), "{\"type\":\"thinking_complete\",\"text\":\"hmm\"}"),
                g(new SessionEvent.TokenUsage(TokenSource.RLM_SUBCALL, "anthropic/claude-x", 1, 2, 3L, 4L, 5),
                        "{\"type\":\"token_usage\",\"source\":\"rlm_subcall\",\"model\":\"anthropic/claude-x\",\"prompt_tokens\":1,\"completion_tokens\":2,\"cache_read_tokens\":3,\"cache_write_tokens\":4,\"duration_ms\":5}"),
                g(new SessionEvent.TokenEstimate(TokenSource.RLM_ITERATION, "m", 1, 2),
                        "{\"type\":\"token_estimate\",\"source\":\"rlm_iteration\",\"model\":\"m\",\"request_tokens\":1,\"budget\":2}"),
                g(new SessionEvent.TokenEstimate(TokenSource.TOOL_EMBEDDED, "m", 1, 2),
                        "{\"type\":\"token_estimate\",\"source\":\"tool_embedded\",\"model\":\"m\",\"request_tokens\":1,\"budget\":2}"),
                g(new SessionEvent.PlayBreak(true, 2000L, "rate_limited"),
                        "{\"type\":\"play_break\",\"active\":true,\"delay_ms\":2000,\"reason\":\"rate_limited\"}"),
                g(new SessionEvent.PlayBreak(false, null, null), "{\"type\":\"play_break\",\"active\":false}"),
                g(new SessionEvent.StreamRetry(2, 5, "idle timeout"),
                        "{\"type\":\"stream_retry\",\"attempt\":2,\"max_restarts\":5,\"reason\":\"idle timeout\"}"),
                g(new SessionEvent.ToolHeartbeat("c1", "bash", 20),
                        "{\"type\":\"tool_heartbeat\",\"tool_call_id\":\"c1\",\"name\":\"bash\",\"elapsed_secs\":20}"),
                g(new SessionEvent.ToolOutputChunk("c1", "bash", "stdout", "ok\n"),
                        "{\"type\":\"tool_output_chunk\",\"tool_call_id\":\"c1\",\"name\":\"bash\",\"stream\":\"stdout\",\"chunk\":\"ok\\n\"}"),
                g(new SessionEvent.ToolCallMetadata("c1", "edit", JsonNodeFactory.instance.objectNode().put("diff", "+a")),
                        "{\"type\":\"tool_call_metadata\",\"tool_call_id\":\"c1\",\"name\":\"edit\",\"metadata\":{\"diff\":\"+a\"}}"),
                g(new SessionEvent.CompactionStarted("t1", "context_budget", 120000, 105984),
                        "{\"type\":\"compaction_started\",\"trace_id\":\"t1\",\"reason\":\"context_budget\",\"before_tokens\":120000,\"budget\":105984}"),
                g(new SessionEvent.CompactionCompleted("t1", "keep_last", 120000, 40000, 16),
                        "{\"type\":\"compaction_completed\",\"trace_id\":\"t1\",\"strategy\":\"keep_last\",\"before_tokens\":120000,\"after_tokens\":40000,\"kept_messages\":16}"),
                g(new SessionEvent.CompactionFailed("t1", null, "nothing fits", 110000, 105984),
                        "{\"type\":\"compaction_failed\",\"trace_id\":\"t1\",\"fell_back_to\":null,\"reason\":\"nothing fits\",\"after_tokens\":110000,\"budget\":105984}"),
                g(new SessionEvent.CompactionFailed("t1", "chunk_compress", "summary failed", 90000, 105984),
                        "{\"type\":\"compaction_failed\",\"trace_id\":\"t1\",\"fell_back_to\":\"chunk_compress\",\"reason\":\"summary failed\",\"after_tokens\":90000,\"budget\":105984}"),
                g(new SessionEvent.ContextTruncated("t2", 5000, 4, null),
                        "{\"type\":\"context_truncated\",\"trace_id\":\"t2\",\"dropped_tokens\":5000,\"kept_messages\":4,\"archive_ref\":null}"),
                g(new SessionEvent.RlmProgress("r1", 3, 15, "iterating"),
                        "{\"type\":\"rlm_progress\",\"trace_id\":\"r1\",\"iteration\":3,\"max_iterations\":15,\"status\":\"iterating\"}"),
                g(new SessionEvent.RlmComplete("r1", "converged", 4, 2, 9000, 800, 3100, null, "openai/gpt-4o", "openai/gpt-4o-mini"),
                        "{\"type\":\"rlm_complete\",\"trace_id\":\"r1\",\"outcome\":\"converged\",\"iterations\":4,\"subcalls\":2,\"input_tokens\":9000,\"output_tokens\":800,\"elapsed_ms\":3100,\"reason\":null,\"root_model\":\"openai/gpt-4o\",\"subcall_model_used\":\"openai/gpt-4o-mini\"}"),
                g(new SessionEvent.RlmComplete("r1", "failed", 1, 0, 10, 0, 5, "boom", "openai/gpt-4o", null),
                        "{\"type\":\"rlm_complete\",\"trace_id\":\"r1\",\"outcome\":\"failed\",\"iterations\":1,\"subcalls\":0,\"input_tokens\":10,\"output_tokens\":0,\"elapsed_ms\":5,\"reason\":\"boom\",\"root_model\":\"openai/gpt-4o\"}"),
                g(new SessionEvent.RlmSubcallFallback("x/unknown", "openai/gpt-4o", "unknown provider"),
                        "{\"type\":\"rlm_subcall_fallback\",\"requested_model\":\"x/unknown\",\"fallback_model\":\"openai/gpt-4o\",\"reason\":\"unknown provider\"}"),
                g(new SessionEvent.ContextChanged("title_cleared", "Fix the date parser", "2026-11-02T10:16:04.870Z"),
                        "{\"type\":\"context_changed\",\"reason\":\"title_cleared\",\"title\":\"Fix the date parser\",\"updated_at\":\"2026-11-02T10:16:04.870Z\"}"),
                g(new SessionEvent.ContextChanged("directory", null, "2026-11-02T10:16:04.870Z"),
                        "{\"type\":\"context_changed\",\"reason\":\"directory\",\"title\":null,\"updated_at\":\"2026-11-02T10:16:04.870Z\"}"),
                g(new SessionEvent.Done(RESULT), "{\"type\":\"done\",\"result\":" + RESULT_JSON + "}"),
                g(new SessionEvent.Error("provider failed", RESULT),
                        "{\"type\":\"error\",\"message\":\"provider failed\",\"result\":" + RESULT_JSON + "}"));
    }

    private static Object[] g(SessionEvent event, String json) {
        return new Object[]{event.type(), event, json};
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("golden")
    void serialisesExactly(String type, SessionEvent event, String json) throws Exception {
        assertEquals(json, PLAIN.writeValueAsString(event));
        assertEquals(json, SERVICE.writeValueAsString(event));
        assertEquals(json, PLAIN.writerFor(SessionEvent.class).writeValueAsString(event), "as the base type");
        assertEquals(json, PLAIN.valueToTree(event).toString(), "as a tree (what the journal stores)");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("golden")
    void readsBack(String type, SessionEvent event, String json) throws Exception {
        assertEquals(event, PLAIN.readValue(json, SessionEvent.class));
        assertEquals(event, SERVICE.readValue(json, SessionEvent.class));
        assertEquals(event, PLAIN.treeToValue(PLAIN.readTree(json), SessionEvent.class));
    }

    @Test
    void everyTypeOfTheCatalogueIsCoveredWithTheSpecDurability() {
        Map<String, Boolean> durability = golden().stream()
                .collect(Collectors.toMap(a -> (String) a[0], a -> ((SessionEvent) a[1]).isDurable(), (a, b) -> a));
        assertEquals(Map.ofEntries(Map.entry("thinking", false), Map.entry("text_chunk", false),
                Map.entry("text_complete", true), Map.entry("thinking_complete", true),
                Map.entry("token_estimate", false), Map.entry("token_usage", true), Map.entry("usage_report", true),
                Map.entry("play_break", false), Map.entry("stream_retry", false), Map.entry("tool_call_start", true),
                Map.entry("tool_heartbeat", false), Map.entry("tool_output_chunk", false),
                Map.entry("tool_call_metadata", true), Map.entry("tool_call_complete", true),
                Map.entry("compaction_started", true), Map.entry("compaction_completed", true),
                Map.entry("compaction_failed", true), Map.entry("context_truncated", true),
                Map.entry("rlm_progress", false), Map.entry("rlm_complete", true),
                Map.entry("rlm_subcall_fallback", true), Map.entry("context_changed", true), Map.entry("done", true),
                Map.entry("error", true)), durability);
    }

    @Test
    void unknownFieldsOfNewerJournalsAreIgnored() throws Exception {
        ObjectMapper lenient = new ObjectMapper();
        SessionEvent e = lenient.readValue("{\"type\":\"text_complete\",\"text\":\"a\",\"later_field\":1}",
                SessionEvent.class);
        assertEquals(new SessionEvent.TextComplete("a"), e);
        assertTrue(e.isDurable());
        assertFalse(e.isTerminal());
        assertTrue(new SessionEvent.Done(RESULT).isTerminal());
    }
}

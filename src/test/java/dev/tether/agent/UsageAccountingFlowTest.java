package dev.tether.agent;

import static dev.tether.testing.SseTurns.ofType;
import static dev.tether.testing.SseTurns.types;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.testing.ApiSessions;
import dev.tether.testing.FakeLlmApiTest;
import dev.tether.testing.FakeLlmResource;
import dev.tether.testing.Reply;
import dev.tether.testing.RoutedLlm;
import dev.tether.testing.SseTurns;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every provider call that reports usage is counted (spec §5.4), also an answer then discarded, and an empty answer
 * cut off at {@code max_tokens} ends the turn instead of being retried (§3.7): the loop over HTTP against the fake
 * model speaking the OpenAI and Anthropic wire formats byte for byte. The default {@code tether.agent.max-tokens}
 * (8192) is the limit the fake reports as reached.
 */
@QuarkusTest
@WithTestResource(FakeLlmResource.class)
class UsageAccountingFlowTest extends FakeLlmApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ANTHROPIC = "anthropic/claude-sonnet-4-20250514";

    /** The llama.cpp case: whitespace until max_tokens, {@code finish_reason: length}. */
    @Test
    void whitespaceCutOffAtMaxTokensOverOpenAiIsOneCountedCallAndATurnError() {
        String id = ApiSessions.create(workspace, null);
        routed.script(RoutedLlm.Kind.LOOP, Reply.text("\n\n", "   ", "\n").finish("length").usage(1170, 8192));
        assertOutputLimitTurn(id, 1170, 8192);
    }

    /** The same over Anthropic: {@code stop_reason: max_tokens}. */
    @Test
    void whitespaceCutOffAtMaxTokensOverAnthropicIsOneCountedCallAndATurnError() {
        String id = ApiSessions.create(workspace, ANTHROPIC);
        routed.script(RoutedLlm.Kind.LOOP, Reply.text(" ", "\n").finish("length").usage(900, 8192, 300L, null));
        List<JsonNode> events = assertOutputLimitTurn(id, 900, 8192);
        assertEquals("/v1/messages", routed.requests(RoutedLlm.Kind.LOOP).get(0).path());
        JsonNode loopUsage = ofType(events, "token_usage").get(1);
        assertEquals(300, loopUsage.get("cache_read_tokens").asLong(), loopUsage.toString());
    }

    /** An empty answer that stopped normally is retried, and both attempts are billed to the session. */
    @Test
    void emptyAnswerIsRetriedAndTheUsageOfEveryAttemptIsCounted() {
        String id = ApiSessions.create(workspace, null);
        routed.script(RoutedLlm.Kind.LOOP, Reply.text(" ").usage(500, 3), Reply.text("Hello.").usage(510, 4));
        List<JsonNode> events = SseTurns.prompt(sessions, id, Map.of("message", "hello"));

        assertEquals(2, routed.requests(RoutedLlm.Kind.LOOP).size());
        assertEquals(2, ofType(events, "play_break").size(), "one retry wait, bracketed");
        List<JsonNode> usages = ofType(events, "token_usage");
        assertEquals(3, usages.size(), types(events).toString()); // title, empty attempt, answer
        assertUsage(usages.get(1), 500, 3);
        assertUsage(usages.get(2), 510, 4);
        List<JsonNode> reports = ofType(events, "usage_report");
        assertEquals(1, reports.size(), "one step");
        assertEquals(510, reports.get(0).get("prompt_tokens").asLong());

        JsonNode done = events.get(events.size() - 1);
        assertEquals("done", done.get("type").asText());
        JsonNode result = done.get("result");
        assertEquals("Hello.", result.get("text").asText());
        assertEquals(SseTurns.usageSum(usages), result.get("usage"), "the discarded attempt is in the turn's usage");
        assertEquals(result.get("usage"), ApiSessions.read(id).get("usage"), "and in the session's");
    }

    /** An answer without usage and without content (the retried empty one) counts nothing: no report, no delta. */
    @Test
    void emptyAnswerWithoutUsageAddsNothing() {
        String id = ApiSessions.create(workspace, null);
        routed.script(RoutedLlm.Kind.LOOP, Reply.text(" "), Reply.text("Hello.").usage(510, 4));
        List<JsonNode> events = SseTurns.prompt(sessions, id, Map.of("message", "hello"));
        List<JsonNode> usages = ofType(events, "token_usage");
        assertEquals(2, usages.size(), types(events).toString()); // title, answer
        assertUsage(usages.get(1), 510, 4);
        assertEquals(SseTurns.usageSum(usages), events.get(events.size() - 1).get("result").get("usage"));
    }

    private List<JsonNode> assertOutputLimitTurn(String id, long prompt, long completion) {
        List<JsonNode> events = SseTurns.prompt(sessions, id, Map.of("message", "hello"));

        assertEquals(1, routed.requests(RoutedLlm.Kind.LOOP).size(), "a call cut off at max_tokens is not retried");
        assertTrue(ofType(events, "play_break").isEmpty(), types(events).toString());
        List<JsonNode> usages = ofType(events, "token_usage");
        assertEquals(2, usages.size(), types(events).toString()); // title, the cut-off loop call
        assertUsage(usages.get(1), prompt, completion);
        assertTrue(ofType(events, "usage_report").isEmpty(), "the step did not succeed");
        assertTrue(ofType(events, "text_complete").isEmpty(), "whitespace is no text");

        JsonNode error = events.get(events.size() - 1);
        assertEquals("error", error.get("type").asText());
        String message = error.get("message").asText();
        assertTrue(message.contains("tether.agent.max-tokens") && message.contains("8192")
                && message.contains("raise"), message);
        JsonNode result = error.get("result");
        assertEquals("error", result.get("terminal_reason").asText());
        assertEquals(message, result.get("error").asText());
        assertEquals(1, result.get("steps").asInt());
        assertEquals(SseTurns.usageSum(usages), result.get("usage"), "the turn's usage includes the cut-off call");

        JsonNode session = ApiSessions.read(id);
        assertEquals(result.get("usage"), session.get("usage"), "so does the session's");
        assertTrue(session.get("usage").get("prompt_tokens").asLong() >= prompt);
        assertEquals(List.of("user"), session.get("messages").findValuesAsText("role"),
                "no assistant message for the empty answer");
        return events;
    }

    private static void assertUsage(JsonNode usage, long prompt, long completion) {
        assertEquals("root", usage.get("source").asText());
        assertEquals(prompt, usage.get("prompt_tokens").asLong(), usage.toString());
        assertEquals(completion, usage.get("completion_tokens").asLong(), usage.toString());
    }
}

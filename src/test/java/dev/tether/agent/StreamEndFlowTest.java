package dev.tether.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How a started stream ends (spec §3.8), over HTTP against the fake model in both wire formats: a clean end after the
 * stop reason is a complete answer on the first attempt; a clean end before it is still a premature end; a retryable
 * fault after the 2xx status and before the first chunk is a stream restart ({@code stream_retry}), not a §3.7 retry.
 */
@QuarkusTest
@WithTestResource(FakeLlmResource.class)
class StreamEndFlowTest extends FakeLlmApiTest {

    private static final String OPENAI = "openai/gpt-4o";
    private static final String ANTHROPIC = "anthropic/claude-sonnet-4-20250514";

    @ParameterizedTest
    @ValueSource(strings = {OPENAI, ANTHROPIC})
    void cleanEndAfterTheStopReasonWithoutEndMarkerCompletesOnTheFirstAttempt(String model) {
        String id = ApiSessions.create(workspace, model);
        routed.script(RoutedLlm.Kind.LOOP, Reply.text("Hel", "lo").usage(10, 2).endEarlyAfter(99));
        List<JsonNode> events = SseTurns.prompt(sessions, id, Map.of("message", "hello"));
        JsonNode done = last(events);
        assertEquals("done", done.path("type").asText(), SseTurns.types(events).toString());
        assertEquals("completed", done.path("result").path("terminal_reason").asText());
        assertEquals("Hello", done.path("result").path("text").asText());
        assertTrue(SseTurns.ofType(events, "stream_retry").isEmpty(), SseTurns.types(events).toString());
        assertEquals(1, routed.requests(RoutedLlm.Kind.LOOP).size(), "one attempt");
        List<JsonNode> usages = SseTurns.ofType(events, "token_usage"); // the title call's first, the step's last
        JsonNode usage = usages.get(usages.size() - 1);
        assertEquals(10, usage.path("prompt_tokens").asLong(), "the usage reported before the end was kept");
        assertEquals(2, usage.path("completion_tokens").asLong());
    }

    @ParameterizedTest
    @ValueSource(strings = {OPENAI, ANTHROPIC})
    void cleanEndBeforeTheStopReasonIsStillAPrematureEnd(String model) {
        String id = ApiSessions.create(workspace, model);
        routed.script(RoutedLlm.Kind.LOOP, Reply.text("Hel", "lo").endEarlyAfter(2), Reply.text("Hello"));
        List<JsonNode> events = SseTurns.prompt(sessions, id, Map.of("message", "hello"));
        assertEquals("completed", last(events).path("result").path("terminal_reason").asText());
        List<JsonNode> retries = SseTurns.ofType(events, "stream_retry");
        assertEquals(1, retries.size(), SseTurns.types(events).toString());
        assertEquals("premature_end", retries.get(0).path("reason").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {OPENAI, ANTHROPIC})
    void retryableErrorAfterTheStatusAndBeforeTheFirstChunkIsAStreamRestart(String model) {
        String id = ApiSessions.create(workspace, model);
        String type = model.equals(OPENAI) ? "server_error" : "overloaded_error";
        // Faults the client sees only after the status. A reset right after the headers is not one of them: the RST
        // can overtake the status line in flight, and then the client rightly saw no 200 (a §3.7 retry); the restart
        // after any retryable failure that follows the status is ProviderCallerTest#retryableFailureAfterTheStatus….
        routed.script(RoutedLlm.Kind.LOOP, Reply.text("x").errorEventAfter(0, type, "upstream hiccup"),
                Reply.text("x").nonJsonAfter(0), Reply.text("Recovered."));
        List<JsonNode> events = SseTurns.prompt(sessions, id, Map.of("message", "hello"));
        assertEquals("Recovered.", last(events).path("result").path("text").asText(), SseTurns.types(events)
                .toString());
        List<JsonNode> retries = SseTurns.ofType(events, "stream_retry");
        assertEquals(List.of(1, 2), retries.stream().map(r -> r.path("attempt").asInt()).toList());
        assertTrue(retries.stream().allMatch(r -> r.path("reason").asText().equals("transient_fault")),
                retries.toString());
        assertTrue(SseTurns.ofType(events, "play_break").isEmpty(), "not a §3.7 retry: " + SseTurns.types(events));
        assertEquals(3, routed.requests(RoutedLlm.Kind.LOOP).size());
    }

    private static JsonNode last(List<JsonNode> events) {
        return events.get(events.size() - 1);
    }

}

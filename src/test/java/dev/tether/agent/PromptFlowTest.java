package dev.tether.agent;

import dev.tether.testing.ApiSessions;
import dev.tether.testing.FakeLlmApiTest;
import dev.tether.testing.RoutedLlm;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.testing.FakeLlmResource;
import dev.tether.testing.RecordedRequest;
import dev.tether.testing.Reply;
import dev.tether.testing.SseClient;
import dev.tether.testing.SseTurns;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The agentic loop end to end: HTTP API → loop → real provider clients → fake LLM on 127.0.0.1 → real tools. */
@QuarkusTest
@WithTestResource(FakeLlmResource.class)
class PromptFlowTest extends FakeLlmApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void setUp() throws Exception {
        Files.createDirectory(workspace.resolve("src"));
    }

    @Test
    void listFilesThenAnswerOverOpenAi() throws Exception {
        String id = ApiSessions.create(workspace, null);
        routed.script(RoutedLlm.Kind.LOOP, Reply.toolCall("call_1", "list", "{\"pa", "th\":\".\"}"),
                Reply.text("The workspace has ", "a.txt and src/.").usage(120, 9));
        JsonNode result = ApiSessions.promptResult(id, Map.of("message", "List the files in the current directory"));
        assertEquals("completed", result.get("terminal_reason").asText());
        assertEquals("The workspace has a.txt and src/.", result.get("text").asText());
        assertEquals(2, result.get("steps").asInt());

        JsonNode session = ApiSessions.read(id);
        JsonNode messages = session.get("messages");
        assertEquals(List.of("user", "assistant", "tool", "assistant"), roles(messages));
        JsonNode call = messages.get(1).get("content").get(0);
        assertEquals("tool_call", call.get("type").asText());
        assertEquals("{\"path\":\".\"}", call.get("arguments").asText());
        JsonNode toolResult = messages.get(2).get("content").get(0);
        assertEquals("call_1", toolResult.get("tool_call_id").asText());
        assertEquals("Tool call feedback\n- tool: list\n- status: success\n\nOutput:\na.txt\nsrc/",
                toolResult.get("content").asText());
        assertEquals("Scripted title", session.get("title").asText());
        assertEquals(1, session.get("tool_uses").size());
        assertTrue(session.get("tool_uses").get(0).get("success").asBoolean());

        // the second loop request carries the real listing back to the model as a tool message
        RecordedRequest second = routed.requests(RoutedLlm.Kind.LOOP).get(1);
        JsonNode sent = second.messages();
        JsonNode last = sent.get(sent.size() - 1);
        assertEquals("tool", last.get("role").asText());
        assertEquals("call_1", last.get("tool_call_id").asText());
        assertTrue(last.get("content").asText().contains("a.txt\nsrc/"));
        assertEquals("system", sent.get(0).get("role").asText());
        assertTrue(second.isStream());
    }

    @Test
    void sameFlowOverAnthropic() throws Exception {
        String id = ApiSessions.create(workspace, "anthropic/claude-sonnet-4-20250514");
        routed.script(RoutedLlm.Kind.LOOP, Reply.turn().thinkingSigned("sig-1", "Look at ", "the files.").toolCall("toolu_1", "list", "{}"),
                Reply.text("Two entries.").usage(300, 12, 100L, 20L));
        JsonNode result = ApiSessions.promptResult(id, Map.of("message", "List the files in the current directory"));
        assertEquals("completed", result.get("terminal_reason").asText());
        assertEquals("Two entries.", result.get("text").asText());
        JsonNode messages = ApiSessions.read(id).get("messages");
        assertEquals(List.of("user", "assistant", "tool", "assistant"), roles(messages));
        JsonNode thinking = messages.get(1).get("content").get(0);
        assertEquals("thinking", thinking.get("type").asText());
        assertEquals("Look at the files.", thinking.get("text").asText());
        assertEquals("sig-1", thinking.get("signature").asText());
        RecordedRequest second = routed.requests(RoutedLlm.Kind.LOOP).get(1);
        assertEquals("/v1/messages", second.path());
        // tool results go back as a tool_result block of a user message
        JsonNode sent = second.messages();
        JsonNode last = sent.get(sent.size() - 1);
        assertEquals("user", last.get("role").asText());
        assertEquals("tool_result", last.get("content").get(0).get("type").asText());
        assertEquals("toolu_1", last.get("content").get(0).get("tool_use_id").asText());
    }

    @Test
    void invalidArgumentsAndUnknownToolsGiveFailingResultsAndTheLoopContinues() throws Exception {
        String id = ApiSessions.create(workspace, null);
        routed.script(RoutedLlm.Kind.LOOP, Reply.turn().toolCall("c1", "read", "{\"path\": \"a.t").toolCall("c2", "deploy", "{}"),
                Reply.text("Recovered."));
        JsonNode result = ApiSessions.promptResult(id, Map.of("message", "Read a.txt"));
        assertEquals("completed", result.get("terminal_reason").asText());
        JsonNode messages = ApiSessions.read(id).get("messages");
        assertEquals(List.of("user", "assistant", "tool", "tool", "assistant"), roles(messages));
        String first = messages.get(2).get("content").get(0).get("content").asText();
        String second = messages.get(3).get("content").get(0).get("content").asText();
        assertTrue(first.contains("- status: failure") && first.contains("Invalid arguments for read"), first);
        assertTrue(second.contains("Unknown tool: deploy. Available tools: "), second);
    }

    /** Scenario 8: a model that always calls {@code list}, {@code max_steps: 3}. */
    @Test
    void scenario8StepLimitEndsWithMaxStepsADoneEventAndEveryCallPaired() throws Exception {
        String id = ApiSessions.create(workspace, null);
        routed.always(RoutedLlm.Kind.LOOP, r -> Reply.text("Looking.").toolCall("c" + llm.requestCount(), "list",
                "{}"));
        List<JsonNode> events = SseTurns.prompt(sessions, id, Map.of("message", "Keep listing", "max_steps", 3));

        assertEquals(3, routed.requests(RoutedLlm.Kind.LOOP).size());
        assertEquals(3, SseTurns.ofType(events, "tool_call_complete").size(), "every call has a result");
        assertTrue(SseTurns.ofType(events, "error").isEmpty(), "reaching the limit is not an error");
        JsonNode done = events.get(events.size() - 1);
        assertEquals("done", done.get("type").asText(), SseTurns.types(events).toString());
        JsonNode result = done.get("result");
        assertEquals("max_steps", result.get("terminal_reason").asText());
        assertEquals(3, result.get("steps").asInt());
        assertEquals("", result.get("text").asText());
        assertTrue(result.get("error").isNull());
        JsonNode messages = ApiSessions.read(id).get("messages");
        assertEquals(List.of("user", "assistant", "tool", "assistant", "tool", "assistant", "tool"), roles(messages));
        assertPaired(messages);
    }

    @Test
    void unauthorizedEndsTheTurnAtOnceWithError() throws Exception {
        String id = ApiSessions.create(workspace, null);
        routed.script(RoutedLlm.Kind.LOOP, Reply.error(401, "invalid_request_error", "Incorrect API key provided"));
        JsonNode result = ApiSessions.promptResult(id, Map.of("message", "hello"));
        assertEquals("error", result.get("terminal_reason").asText());
        assertTrue(result.get("error").asText().contains("Incorrect API key"), result.toString());
        assertEquals(1, routed.requests(RoutedLlm.Kind.LOOP).size());
    }

    @Test
    void rateLimitWithRetryAfterAndServerErrorsAreRetried() throws Exception {
        String id = ApiSessions.create(workspace, null);
        routed.script(RoutedLlm.Kind.LOOP, Reply.error(429, "rate_limit_error", "slow down").retryAfter("1"),
                Reply.error(500, "server_error", "boom"), Reply.text("Finally."));
        JsonNode result = ApiSessions.promptResult(id, Map.of("message", "hello"));
        assertEquals("completed", result.get("terminal_reason").asText());
        assertEquals("Finally.", result.get("text").asText());
        assertEquals(3, routed.requests(RoutedLlm.Kind.LOOP).size());
    }

    @Test
    void connectionResetAndEarlyEndAreRecovered() throws Exception {
        String id = ApiSessions.create(workspace, null);
        routed.script(RoutedLlm.Kind.LOOP, Reply.reset(), Reply.text("Hel", "lo").endEarlyAfter(1), Reply.text("Hello"));
        JsonNode result = ApiSessions.promptResult(id, Map.of("message", "hello"));
        assertEquals("completed", result.get("terminal_reason").asText());
        assertEquals("Hello", result.get("text").asText());
        assertEquals(3, routed.requests(RoutedLlm.Kind.LOOP).size());
    }

    @Test
    void stalledStreamIsRestarted() throws Exception {
        String id = ApiSessions.create(workspace, null);
        routed.script(RoutedLlm.Kind.LOOP, Reply.text("Hel", "lo").stallAfter(1), Reply.text("Hello"));
        JsonNode result = ApiSessions.promptResult(id, Map.of("message", "hello"));
        assertEquals("completed", result.get("terminal_reason").asText());
        assertEquals("Hello", result.get("text").asText());
        JsonNode messages = ApiSessions.read(id).get("messages");
        assertEquals("Hello", messages.get(1).get("content").get(0).get("text").asText());
        llm.releaseStalls();
    }

    @Test
    void abortDuringASlowToolPairsEveryCall() throws Exception {
        String id = ApiSessions.create(workspace, null);
        routed.script(RoutedLlm.Kind.LOOP, Reply.turn().toolCall("s1", SlowTool.NAME, "{}").toolCall("s2", "list", "{}"));
        CompletableFuture<JsonNode> pending = CompletableFuture.supplyAsync(
                () -> ApiSessions.promptResult(id, Map.of("message", "go")));
        assertTrue(SlowTool.STARTED.tryAcquire(20, TimeUnit.SECONDS), "slow tool started");
        given().post("/api/sessions/" + id + "/abort").then().statusCode(200).body("aborted", equalTo(true));
        JsonNode result = pending.get(20, TimeUnit.SECONDS);
        assertEquals("aborted", result.get("terminal_reason").asText(), result.toString());
        JsonNode messages = ApiSessions.read(id).get("messages");
        assertPaired(messages);
        assertTrue(messages.get(2).get("content").get(0).get("content").asText()
                .contains("Tool call aborted while running: the turn was cancelled."));
        assertTrue(messages.get(3).get("content").get(0).get("content").asText()
                .contains("Tool call not executed: the turn was cancelled."));
        given().post("/api/sessions/" + id + "/abort").then().statusCode(200).body("aborted", equalTo(false));
    }

    @Test
    void secondConcurrentPromptIsRejectedOrQueued() throws Exception {
        String id = ApiSessions.create(workspace, null);
        routed.script(RoutedLlm.Kind.LOOP, Reply.text("fi", "r", "st").chunkDelay(Duration.ofMillis(500)), Reply.text("second"),
                Reply.text("third"));
        CompletableFuture<JsonNode> first = CompletableFuture.supplyAsync(
                () -> ApiSessions.promptResult(id, Map.of("message", "one")));
        assertTrue(llm.awaitRequests(2, Duration.ofSeconds(20)), "first turn reached the model");
        Response busy = given().contentType(ContentType.JSON).body(Map.of("message", "two"))
                .post("/api/sessions/" + id + "/prompt");
        assertEquals(409, busy.statusCode());
        assertEquals("application/problem+json", busy.contentType());
        assertTrue(busy.jsonPath().getString("type").endsWith("/session-busy"));
        CompletableFuture<JsonNode> queued = CompletableFuture.supplyAsync(
                () -> ApiSessions.promptResult(id, Map.of("message", "three", "if_busy", "queue")));
        assertEquals("first", first.get(20, TimeUnit.SECONDS).get("text").asText());
        assertEquals("second", queued.get(20, TimeUnit.SECONDS).get("text").asText());
        JsonNode messages = ApiSessions.read(id).get("messages");
        assertEquals(List.of("user", "assistant", "user", "assistant"), roles(messages));
        assertEquals("three", messages.get(2).get("content").get(0).get("text").asText());
    }

    /**
     * Scenario 12: an unknown provider is rejected with {@code Unknown provider: nosuch}; nothing is appended and no
     * event is emitted: a client following the session sees nothing until the next (valid) turn, whose events start
     * the journal at sequence 1.
     */
    @Test
    void scenario12UnknownProviderIsRejectedWithNothingAppendedAndNoEvent() throws Exception {
        String id = ApiSessions.create(workspace, null);
        try (SseClient follower = SseClient.get(sessions.resolve(id + "/events"), Map.of(), null).awaitFollowing()) {
            Response rejected = given().contentType(ContentType.JSON).accept(ContentType.JSON)
                    .body(Map.of("message", "hi", "model", "nosuch/model")).post("/api/sessions/" + id + "/prompt");
            assertEquals(400, rejected.statusCode(), rejected.asString());
            assertEquals("application/problem+json", rejected.contentType());
            assertEquals("Unknown provider: nosuch", rejected.jsonPath().getString("detail"));
            assertEquals(0, ApiSessions.read(id).get("messages").size(), "nothing appended");
            assertEquals(0, llm.requestCount());

            routed.script(RoutedLlm.Kind.LOOP, Reply.text("Hi there"));
            ApiSessions.promptResult(id, Map.of("message", "hello"));
            List<SseClient.Frame> seen = new ArrayList<>();
            for (SseClient.Frame f = follower.next(); ; f = follower.next()) {
                seen.add(f);
                if (f.event().equals("done") || f.event().equals("error")) {
                    break;
                }
            }
            // the first thing the follower saw is the valid turn's title call: the rejected prompt emitted nothing
            assertEquals(List.of("token_estimate", "token_usage", "thinking", "token_estimate", "token_usage",
                    "usage_report", "text_complete", "done"), seen.stream().map(SseClient.Frame::event)
                    .filter(t -> !t.equals("text_chunk")).toList());
            JsonNode firstRecorded = SseTurns.replay(sessions, id, 0, e -> true).get(0);
            assertEquals(seen.get(1).id(), firstRecorded.get("_seq").asText(),
                    "the first durable event in the journal is the valid turn's title usage");
        }
        assertEquals(List.of("user", "assistant"), roles(ApiSessions.read(id).get("messages")));
    }

    @Test
    void preconditionFailuresAreProblemsWithNoSideEffects() throws Exception {
        String id = ApiSessions.create(workspace, null);
        expectProblem(id, Map.of("message", "   "), 400);
        expectProblem(id, Map.of("message", "hi", "max_steps", 0), 400);
        expectProblem(id, Map.of("message", "hi", "model", "nosuch/model"), 400);
        expectProblem(id, Map.of("message", "hi", "images", List.of(Map.of("data_url", "http://x/y.png"))), 400);
        expectProblem("no-such-session", Map.of("message", "hi"), 404);
        expectProblem("bad.id", Map.of("message", "hi"), 400);
        assertEquals(0, ApiSessions.read(id).get("messages").size());
        assertEquals(0, llm.requestCount());
    }

    @Test
    void imagesBecomeImagePartsAfterTheText() throws Exception {
        String id = ApiSessions.create(workspace, null);
        routed.script(RoutedLlm.Kind.LOOP, Reply.text("Two images."));
        String png = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==";
        ApiSessions.promptResult(id, Map.of("message", "compare", "images",
                List.of(Map.of("data_url", png), Map.of("data_url", png))));
        JsonNode parts = ApiSessions.read(id).get("messages").get(0).get("content");
        assertEquals("text", parts.get(0).get("type").asText());
        assertEquals("image", parts.get(1).get("type").asText());
        assertEquals("image/png", parts.get(2).get("mime_type").asText());
    }

    @Test
    void promptTooLongHalvesTheBudgetAndCompletes() throws Exception {
        String id = ApiSessions.create(workspace, null);
        routed.script(RoutedLlm.Kind.LOOP, Reply.error(400, "invalid_request_error", "This model's maximum context length is 128000 tokens")
                .code("context_length_exceeded"), Reply.text("Fits now."));
        JsonNode result = ApiSessions.promptResult(id, Map.of("message", "hello"));
        assertEquals("completed", result.get("terminal_reason").asText());
        assertEquals(1, result.get("steps").asInt());
        assertEquals(2, routed.requests(RoutedLlm.Kind.LOOP).size());
    }

    @Test
    void usageOfTheTurnIsTheSumOfAllCalls() throws Exception {
        String id = ApiSessions.create(workspace, null);
        routed.script(RoutedLlm.Kind.LOOP, Reply.toolCall("c1", "list", "{}").usage(100, 10, 40L, null), Reply.text("done").usage(200, 5));
        JsonNode result = ApiSessions.promptResult(id, Map.of("message", "hello"));
        JsonNode usage = ApiSessions.read(id).get("usage");
        assertEquals(result.get("usage"), usage);
        // title call usage is whatever the fake reports for it (no usage → estimates), plus the two loop calls
        assertTrue(usage.get("prompt_tokens").asLong() >= 300);
        assertEquals(40L, usage.get("cache_read_tokens").asLong());
        assertEquals(usage.get("prompt_tokens").asLong() + usage.get("completion_tokens").asLong(),
                usage.get("total_tokens").asLong());
    }

    // ---------------------------------------------------------------- helpers

    static void assertPaired(JsonNode messages) {
        List<String> open = new ArrayList<>();
        for (JsonNode m : messages) {
            for (JsonNode part : m.get("content")) {
                if (part.get("type").asText().equals("tool_call")) {
                    open.add(part.get("id").asText());
                } else if (part.get("type").asText().equals("tool_result")) {
                    assertTrue(open.remove(part.get("tool_call_id").asText()), "result for an unknown call");
                }
            }
        }
        assertTrue(open.isEmpty(), "unpaired calls: " + open);
    }

    private static void expectProblem(String id, Map<String, ?> body, int status) {
        Response r = ApiSessions.prompt(id, body);
        assertEquals(status, r.statusCode(), r.asString());
        assertEquals("application/problem+json", r.contentType());
    }

    private static List<String> roles(JsonNode messages) {
        List<String> roles = new ArrayList<>();
        messages.forEach(m -> roles.add(m.get("role").asText()));
        return roles;
    }

    static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}

package dev.tether.provider.anthropic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.provider.CompletionRequest;
import dev.tether.provider.CompletionResponse;
import dev.tether.provider.FinishReason;
import dev.tether.provider.ProviderException;
import dev.tether.provider.ProviderException.Kind;
import dev.tether.provider.ProviderSettings;
import dev.tether.provider.StreamChunk;
import dev.tether.provider.ToolDefinition;
import dev.tether.session.ContentPart;
import dev.tether.session.Message;
import dev.tether.session.Role;
import dev.tether.session.Usage;
import dev.tether.testing.FakeLlmServer;
import dev.tether.testing.RecordedRequest;
import dev.tether.testing.Reply;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Anthropic Messages provider against the fake server over real sockets. */
@QuarkusTest // the REST client of non-streamed answers is generated at build time: the provider runs in the app
class AnthropicProviderTest {

    static final Duration WAIT = Duration.ofSeconds(10);
    static Vertx vertx;
    static FakeLlmServer llm;
    static AnthropicProvider provider;
    final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        llm = FakeLlmServer.start();
        provider = new AnthropicProvider(ProviderSettings.of(llm.anthropicBaseUrl(), "ak-test-secret"), vertx);
    }

    @AfterAll
    static void stop() {
        provider.close();
        llm.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @BeforeEach
    void clean() {
        llm.reset();
    }

    static CompletionRequest request() {
        return new CompletionRequest("claude-sonnet-4-20250514", List.of(
                Message.of(Role.SYSTEM, new ContentPart.Text("be brief")), Message.userText("hi")),
                List.of(), 0.7, null, 1024, List.of());
    }

    static List<StreamChunk> collect(Multi<StreamChunk> multi) {
        return multi.collect().asList().await().atMost(WAIT);
    }

    static ProviderException streamFailure(Multi<StreamChunk> multi) {
        return assertThrows(ProviderException.class, () -> multi.collect().asList().await().atMost(WAIT));
    }

    @Test
    void streamsTextPingAndNormalisedUsage() {
        llm.enqueue(Reply.text("Hi", " there").usage(1000, 20, 600L, 300L));
        List<StreamChunk> chunks = collect(provider.stream(request()));
        assertEquals(List.of(new StreamChunk.Started(), new StreamChunk.KeepAlive(), new StreamChunk.Text("Hi"),
                new StreamChunk.Text(" there"), new StreamChunk.Done(Usage.of(1000, 20, 600L, 300L), FinishReason.STOP)), chunks);
        RecordedRequest r = llm.takeRequest(WAIT);
        assertEquals("/v1/messages", r.path());
        assertEquals("ak-test-secret", r.header("x-api-key"));
        assertEquals("2023-06-01", r.header("anthropic-version"));
        assertTrue(r.isStream());
    }

    @Test
    void thinkingWithSignatureAndToolCallsSplitAcrossDeltas() {
        llm.enqueue(Reply.turn().thinkingSigned("sig-123", "I should", " read")
                .toolCall("toolu_1", "read", "{\"pa", "th\":\"a\"}")
                .toolCall("toolu_2", "list", "{}")
                .usage(10, 5));
        List<StreamChunk> chunks = collect(provider.stream(request()));
        assertEquals(List.of(
                new StreamChunk.Started(),
                new StreamChunk.KeepAlive(),
                new StreamChunk.Thinking("I should", null),
                new StreamChunk.Thinking(" read", null),
                new StreamChunk.Thinking("", "sig-123"),
                new StreamChunk.ToolCallStart("toolu_1", "read"),
                new StreamChunk.ToolCallDelta("toolu_1", "{\"pa"),
                new StreamChunk.ToolCallDelta("toolu_1", "th\":\"a\"}"),
                new StreamChunk.ToolCallEnd("toolu_1"),
                new StreamChunk.ToolCallStart("toolu_2", "list"),
                new StreamChunk.ToolCallDelta("toolu_2", "{}"),
                new StreamChunk.ToolCallEnd("toolu_2"),
                new StreamChunk.Done(Usage.of(10, 5, null, null), FinishReason.TOOL_CALLS)), chunks);
    }

    @Test
    void nonStreamingCompletion() {
        llm.enqueue(Reply.turn().thinkingSigned("sig-9", "plan").text("Reading.")
                .toolCall("toolu_1", "read", "{\"path\":\"x\"}").usage(500, 12, 100L, 50L));
        CompletionResponse resp = provider.complete(request());
        assertEquals(List.of(new ContentPart.Thinking("plan", "sig-9"), new ContentPart.Text("Reading."),
                new ContentPart.ToolCall("toolu_1", "read", "{\"path\":\"x\"}")), resp.message().content());
        assertEquals(Usage.of(500, 12, 100L, 50L), resp.usage());
        assertEquals(FinishReason.TOOL_CALLS, resp.finishReason());
        assertFalse(llm.takeRequest(WAIT).isStream());
    }

    @Test
    void stopReasonsAreMapped() {
        llm.enqueue(Reply.text("x").finish("length"), Reply.text("y").finish("content_filter"),
                Reply.text("z").finish("stop_sequence"));
        assertEquals(FinishReason.LENGTH, provider.complete(request()).finishReason());
        assertEquals(FinishReason.CONTENT_FILTER, provider.complete(request()).finishReason());
        List<StreamChunk> chunks = collect(provider.stream(request()));
        assertEquals(new StreamChunk.Done(Usage.of(0, 0, null, null), FinishReason.STOP),
                chunks.get(chunks.size() - 1));
    }

    @Test
    void requestBodyKeepsSystemApartAndMergesSameRoleMessages() throws Exception {
        llm.enqueue(Reply.text("ok"));
        JsonNode schema = json.readTree("{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"}}}");
        List<Message> messages = List.of(
                Message.of(Role.SYSTEM, new ContentPart.Text("sys")),
                Message.of(Role.DEVELOPER, new ContentPart.Text("use tabs")),
                Message.of(Role.USER, new ContentPart.Text("read both"),
                        new ContentPart.Image("data:image/jpeg;base64,QUJD", "image/jpeg")),
                Message.of(Role.ASSISTANT, new ContentPart.Thinking("plan", "sig-1"), new ContentPart.Text("ok"),
                        new ContentPart.ToolCall("toolu_1", "read", "{\"path\":\"a\"}"),
                        new ContentPart.ToolCall("toolu_2", "read", "")),
                Message.toolResult("toolu_1", "A"),
                Message.toolResult("toolu_2", "B"),
                Message.userText("now summarise"));
        provider.complete(new CompletionRequest("claude-x", messages,
                List.of(new ToolDefinition("read", "Read a file", schema)), 0.2, 0.9, 24, List.of("END")));
        JsonNode body = llm.takeRequest(WAIT).json();
        assertEquals("sys", body.path("system").asText());
        JsonNode m = body.path("messages");
        assertEquals(3, m.size(), body.toString());

        JsonNode first = m.get(0);
        assertEquals("user", first.path("role").asText());
        assertEquals("[developer note] use tabs", first.path("content").get(0).path("text").asText());
        assertEquals("read both", first.path("content").get(1).path("text").asText());
        JsonNode image = first.path("content").get(2);
        assertEquals("image", image.path("type").asText());
        assertEquals("base64", image.path("source").path("type").asText());
        assertEquals("image/jpeg", image.path("source").path("media_type").asText());
        assertEquals("QUJD", image.path("source").path("data").asText());

        JsonNode assistant = m.get(1);
        assertEquals("assistant", assistant.path("role").asText());
        assertEquals("thinking", assistant.path("content").get(0).path("type").asText());
        assertEquals("sig-1", assistant.path("content").get(0).path("signature").asText());
        assertEquals("text", assistant.path("content").get(1).path("type").asText());
        JsonNode use = assistant.path("content").get(2);
        assertEquals("tool_use", use.path("type").asText());
        assertEquals("a", use.path("input").path("path").asText(), "input is a JSON object");
        assertTrue(assistant.path("content").get(3).path("input").isObject());

        JsonNode results = m.get(2);
        assertEquals("user", results.path("role").asText());
        assertEquals("tool_result", results.path("content").get(0).path("type").asText());
        assertEquals("toolu_1", results.path("content").get(0).path("tool_use_id").asText());
        assertEquals("B", results.path("content").get(1).path("content").asText());
        assertEquals("now summarise", results.path("content").get(2).path("text").asText());

        JsonNode tool = body.path("tools").get(0);
        assertEquals("read", tool.path("name").asText());
        assertEquals(schema, tool.path("input_schema"));
        assertEquals(0.2, body.path("temperature").asDouble());
        assertTrue(body.path("top_p").isMissingNode(), "top_p is not sent together with temperature");
        assertEquals(24, body.path("max_tokens").asInt());
        assertEquals("END", body.path("stop_sequences").get(0).asText());
    }

    @Test
    void errorStatusesAreClassified() {
        llm.enqueue(Reply.error(529, "overloaded_error", "Overloaded").retryAfterMs(2500),
                Reply.error(400, "invalid_request_error", "prompt is too long: 210000 tokens > 200000 maximum"),
                Reply.error(401, "authentication_error", "invalid x-api-key"),
                Reply.error(429, "rate_limit_error", "slow").retryAfter("12"));
        ProviderException overloaded = streamFailure(provider.stream(request()));
        assertEquals(Kind.RETRYABLE, overloaded.kind());
        assertEquals(529, overloaded.httpStatus());
        assertEquals("overloaded_error", overloaded.vendorCode().orElseThrow());
        assertEquals(Duration.ofMillis(2500), overloaded.retryAfter().orElseThrow());
        assertEquals(Kind.CONTEXT_LENGTH, streamFailure(provider.stream(request())).kind());
        ProviderException auth = assertThrows(ProviderException.class, () -> provider.complete(request()));
        assertEquals(Kind.FATAL, auth.kind());
        assertFalse(auth.getMessage().contains("ak-test-secret"));
        ProviderException limited = assertThrows(ProviderException.class, () -> provider.complete(request()));
        assertEquals(Duration.ofSeconds(12), limited.retryAfter().orElseThrow());
    }

    @Test
    void errorEventInsideStreamCarriesVendorType() {
        llm.enqueue(Reply.text("a", "b").errorEventAfter(1, "overloaded_error", "Overloaded"),
                Reply.text("a").errorEventAfter(0, "invalid_request_error", "bad"));
        AssertSubscriber<StreamChunk> sub = provider.stream(request()).subscribe()
                .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        sub.awaitFailure(WAIT);
        assertEquals(new StreamChunk.Text("a"), sub.getItems().get(sub.getItems().size() - 1));
        ProviderException e = assertInstanceOf(ProviderException.class, sub.getFailure());
        assertEquals(Kind.RETRYABLE, e.kind());
        assertEquals("overloaded_error", e.vendorCode().orElseThrow());
        assertEquals(Kind.FATAL, streamFailure(provider.stream(request())).kind());
    }

    @Test
    void cleanEndAfterTheStopReasonWithoutMessageStopIsComplete() {
        llm.enqueue(Reply.text("a", "b").usage(7, 2).endEarlyAfter(99));
        List<StreamChunk> chunks = collect(provider.stream(request()));
        assertEquals(new StreamChunk.Text("b"), chunks.get(chunks.size() - 2));
        assertEquals(new StreamChunk.Done(Usage.of(7, 2, null, null), FinishReason.STOP),
                chunks.get(chunks.size() - 1));
    }

    @Test
    void cleanEndBeforeTheStopReasonCompletesWithoutDone() {
        llm.enqueue(Reply.text("a", "b").endEarlyAfter(2));
        List<StreamChunk> chunks = collect(provider.stream(request()));
        assertFalse(chunks.stream().anyMatch(StreamChunk.Done.class::isInstance));
        assertEquals(new StreamChunk.Text("b"), chunks.get(chunks.size() - 1));
    }

    @Test
    void resetMidStreamIsRetryable() {
        llm.enqueue(Reply.toolCall("toolu_1", "read", "{\"a\":", "1}").resetAfter(2));
        assertEquals(Kind.RETRYABLE, streamFailure(provider.stream(request())).kind());
    }

    @Test
    void cancellingAStalledStreamClosesTheConnection() {
        llm.enqueue(Reply.text("a", "b").stallAfter(0));
        AssertSubscriber<StreamChunk> sub = provider.stream(request()).subscribe()
                .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        assertTrue(llm.awaitStalled(WAIT));
        sub.awaitItems(2, WAIT);
        assertEquals(List.of(new StreamChunk.Started(), new StreamChunk.KeepAlive()), sub.getItems());
        sub.cancel();
        assertTrue(llm.awaitClientDisconnect(WAIT));
    }

    @Test
    void baseUrlWithVersionSegmentIsTolerated() {
        AnthropicProvider v1 = new AnthropicProvider(ProviderSettings.of(llm.anthropicBaseUrl() + "/v1/", "k"), vertx);
        try {
            llm.enqueue(Reply.text("ok"));
            assertEquals("ok", v1.complete(request()).message().text());
            assertEquals("/v1/messages", llm.takeRequest(WAIT).path());
        } finally {
            v1.close();
        }
    }
}

package dev.tether.provider.openai;

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
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The OpenAI-compatible provider against the fake server over real sockets. */
@QuarkusTest // the REST client of non-streamed answers is generated at build time: the provider runs in the app
class OpenAiProviderTest {

    static final Duration WAIT = Duration.ofSeconds(10);
    static Vertx vertx;
    static FakeLlmServer llm;
    static OpenAiProvider provider;
    final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        llm = FakeLlmServer.start();
        provider = new OpenAiProvider(new ProviderSettings(llm.openAiBaseUrl(), "sk-test-secret", null,
                Map.of("X-Title", "tether"), Duration.ofSeconds(2), Duration.ofSeconds(10), null, null), vertx);
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

    static CompletionRequest request(String model) {
        return new CompletionRequest(model, List.of(Message.of(Role.SYSTEM, new ContentPart.Text("be brief")),
                Message.userText("hi")), List.of(), 0.7, null, 256, List.of());
    }

    static List<StreamChunk> collect(Multi<StreamChunk> multi) {
        return multi.collect().asList().await().atMost(WAIT);
    }

    @Test
    void streamsTextAndNormalisesUsageWithCachedTokens() {
        llm.enqueue(Reply.text("Hel", "lo").usage(100, 7, 40L, null));
        List<StreamChunk> chunks = collect(provider.stream(request("gpt-4o")));
        assertEquals(List.of(new StreamChunk.Started(), new StreamChunk.Text("Hel"), new StreamChunk.Text("lo"),
                new StreamChunk.Done(Usage.of(100, 7, 40L, null), FinishReason.STOP)), chunks);

        RecordedRequest r = llm.takeRequest(WAIT);
        assertEquals("/v1/chat/completions", r.path());
        assertEquals("Bearer sk-test-secret", r.header("authorization"));
        assertEquals("tether", r.header("x-title"));
        assertTrue(r.isStream());
        assertTrue(r.json().path("stream_options").path("include_usage").asBoolean());
        assertEquals(0.7, r.json().path("temperature").asDouble());
        assertEquals(256, r.json().path("max_tokens").asInt());
    }

    @Test
    void parallelToolCallsAreAssembledByIndex() {
        llm.enqueue(Reply.turn().text("Let me look.")
                .toolCall("call_a", "read", "{\"path\":", "\"a.txt\"}")
                .toolCall("call_b", "list", "{\"dir\"", ":\".\"}")
                .interleaveToolCalls());
        List<StreamChunk> chunks = collect(provider.stream(request("gpt-4o")));
        assertEquals(new StreamChunk.Started(), chunks.get(0));
        assertEquals(new StreamChunk.Text("Let me look."), chunks.get(1));
        assertEquals(List.of(new StreamChunk.ToolCallStart("call_a", "read"),
                new StreamChunk.ToolCallStart("call_b", "list")), chunks.stream()
                .filter(StreamChunk.ToolCallStart.class::isInstance).toList());
        Map<String, StringBuilder> args = new LinkedHashMap<>();
        for (StreamChunk c : chunks) {
            if (c instanceof StreamChunk.ToolCallDelta d) {
                args.computeIfAbsent(d.id(), k -> new StringBuilder()).append(d.argumentsDelta());
            }
        }
        assertEquals("{\"path\":\"a.txt\"}", args.get("call_a").toString());
        assertEquals("{\"dir\":\".\"}", args.get("call_b").toString());
        int n = chunks.size();
        assertEquals(new StreamChunk.ToolCallEnd("call_a"), chunks.get(n - 3));
        assertEquals(new StreamChunk.ToolCallEnd("call_b"), chunks.get(n - 2));
        assertEquals(new StreamChunk.Done(null, FinishReason.TOOL_CALLS), chunks.get(n - 1));
    }

    @Test
    void reasoningDeltasBecomeThinkingAndCommentsKeepAlive() {
        llm.enqueue(Reply.turn().thinking("Think", "ing").keepAlive().text("ok").usage(5, 2));
        List<StreamChunk> chunks = collect(provider.stream(request("deepseek-reasoner")));
        assertEquals(List.of(new StreamChunk.Started(), new StreamChunk.Thinking("Think", null),
                new StreamChunk.Thinking("ing", null),
                new StreamChunk.KeepAlive(), new StreamChunk.Text("ok"),
                new StreamChunk.Done(Usage.of(5, 2, null, null), FinishReason.STOP)), chunks);
    }

    @Test
    void nonStreamingCompletion() {
        llm.enqueue(Reply.turn().thinking("hmm").text("Reading.").toolCall("call_1", "read", "{\"path\":\"x\"}")
                .usage(50, 10, 20L, null));
        CompletionResponse resp = provider.complete(request("gpt-4o"));
        assertEquals(List.of(new ContentPart.Thinking("hmm", null), new ContentPart.Text("Reading."),
                new ContentPart.ToolCall("call_1", "read", "{\"path\":\"x\"}")), resp.message().content());
        assertEquals(Role.ASSISTANT, resp.message().role());
        assertEquals(Usage.of(50, 10, 20L, null), resp.usage());
        assertEquals(FinishReason.TOOL_CALLS, resp.finishReason());
        RecordedRequest r = llm.takeRequest(WAIT);
        assertFalse(r.isStream());
        assertTrue(r.json().path("stream_options").isMissingNode());
    }

    @Test
    void finishReasonsAreMapped() {
        llm.enqueue(Reply.text("cut").finish("length"), Reply.text("no").finish("content_filter"));
        assertEquals(FinishReason.LENGTH, provider.complete(request("gpt-4o")).finishReason());
        List<StreamChunk> chunks = collect(provider.stream(request("gpt-4o")));
        assertEquals(new StreamChunk.Done(null, FinishReason.CONTENT_FILTER), chunks.get(chunks.size() - 1));
    }

    @Test
    void requestBodyAdaptsRolesToolsAndImages() throws Exception {
        llm.enqueue(Reply.text("ok"));
        JsonNode schema = json.readTree("{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"}}}");
        List<Message> messages = List.of(
                Message.of(Role.SYSTEM, new ContentPart.Text("sys")),
                Message.of(Role.DEVELOPER, new ContentPart.Text("dev rules")),
                Message.of(Role.USER, new ContentPart.Text("look"),
                        new ContentPart.Image("data:image/png;base64,AAAA", "image/png")),
                Message.of(Role.ASSISTANT, new ContentPart.Thinking("secret", "sig"),
                        new ContentPart.ToolCall("call_1", "read", "{\"path\":\"a\"}")),
                Message.toolResult("call_1", "contents"),
                Message.userText("thanks"));
        provider.complete(new CompletionRequest("gpt-4o", messages,
                List.of(new ToolDefinition("read", "Read a file", schema)), 0.2, 0.9, 24, List.of("END")));
        JsonNode body = llm.takeRequest(WAIT).json();
        JsonNode m = body.path("messages");
        assertEquals(6, m.size());
        assertEquals("system", m.get(0).path("role").asText());
        assertEquals("sys", m.get(0).path("content").asText());
        assertEquals("system", m.get(1).path("role").asText());
        assertEquals("dev rules", m.get(1).path("content").asText());
        assertEquals("text", m.get(2).path("content").get(0).path("type").asText());
        assertEquals("image_url", m.get(2).path("content").get(1).path("type").asText());
        assertEquals("data:image/png;base64,AAAA", m.get(2).path("content").get(1).path("image_url").path("url").asText());
        JsonNode assistant = m.get(3);
        assertTrue(assistant.path("content").isNull());
        assertFalse(assistant.toString().contains("secret"), "thinking is not sent back");
        JsonNode call = assistant.path("tool_calls").get(0);
        assertEquals("call_1", call.path("id").asText());
        assertEquals("function", call.path("type").asText());
        assertEquals("read", call.path("function").path("name").asText());
        assertTrue(call.path("function").path("arguments").isTextual(), "arguments travel as a JSON string");
        assertEquals("{\"path\":\"a\"}", call.path("function").path("arguments").asText());
        assertEquals("tool", m.get(4).path("role").asText());
        assertEquals("call_1", m.get(4).path("tool_call_id").asText());
        assertEquals("contents", m.get(4).path("content").asText());
        assertEquals("thanks", m.get(5).path("content").asText());
        JsonNode tool = body.path("tools").get(0);
        assertEquals("function", tool.path("type").asText());
        assertEquals("read", tool.path("function").path("name").asText());
        assertEquals(schema, tool.path("function").path("parameters"));
        assertEquals(0.2, body.path("temperature").asDouble());
        assertEquals(0.9, body.path("top_p").asDouble());
        assertEquals(24, body.path("max_tokens").asInt());
        assertEquals("END", body.path("stop").get(0).asText());
    }

    @Test
    void temperatureOmittedForListedModels() {
        llm.enqueue(Reply.text("a"), Reply.text("b"));
        provider.complete(request("o3-mini"));
        JsonNode body = llm.takeRequest(WAIT).json();
        assertTrue(body.path("temperature").isMissingNode());
        assertEquals(256, body.path("max_completion_tokens").asInt());
        assertTrue(body.path("max_tokens").isMissingNode());

        OpenAiProvider custom = new OpenAiProvider(new ProviderSettings(llm.openAiBaseUrl(), "k", null, Map.of(),
                null, null, List.of("Special"), null), vertx);
        try {
            custom.complete(request("my-special-model"));
            assertTrue(llm.takeRequest(WAIT).json().path("temperature").isMissingNode());
        } finally {
            custom.close();
        }
    }

    @Test
    void errorStatusesAreClassifiedWithServerDelays() {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.now().plusSeconds(120)
                .atOffset(ZoneOffset.UTC));
        llm.enqueue(
                Reply.error(429, "requests", "Rate limit reached").code("rate_limit_exceeded").retryAfter("3"),
                Reply.error(503, "server_error", "busy").retryAfter(date),
                Reply.error(500, "server_error", "oops").retryAfterMs(1500),
                Reply.error(400, "invalid_request_error", "This model's maximum context length is 8192 tokens")
                        .code("context_length_exceeded"),
                Reply.error(401, "invalid_request_error", "Incorrect API key provided"));

        ProviderException e429 = streamFailure(provider.stream(request("gpt-4o")));
        assertEquals(Kind.RETRYABLE, e429.kind());
        assertEquals(429, e429.httpStatus());
        assertEquals("rate_limit_exceeded", e429.vendorCode().orElseThrow());
        assertEquals(Duration.ofSeconds(3), e429.retryAfter().orElseThrow());
        assertTrue(e429.getMessage().contains("Rate limit reached"));

        ProviderException e503 = assertThrows(ProviderException.class, () -> provider.complete(request("gpt-4o")));
        assertEquals(Kind.RETRYABLE, e503.kind());
        long secs = e503.retryAfter().orElseThrow().toSeconds();
        assertTrue(secs > 100 && secs <= 120, "HTTP date delay " + secs);

        ProviderException e500 = streamFailure(provider.stream(request("gpt-4o")));
        assertEquals(Duration.ofMillis(1500), e500.retryAfter().orElseThrow());

        assertEquals(Kind.CONTEXT_LENGTH, streamFailure(provider.stream(request("gpt-4o"))).kind());
        ProviderException e401 = assertThrows(ProviderException.class, () -> provider.complete(request("gpt-4o")));
        assertEquals(Kind.FATAL, e401.kind());
        assertFalse(e401.getMessage().contains("sk-test-secret"));
    }

    @Test
    void resetMidStreamIsRetryableAfterTheChunksBeforeIt() {
        llm.enqueue(Reply.text("a", "b", "c").resetAfter(1));
        AssertSubscriber<StreamChunk> sub = provider.stream(request("gpt-4o")).subscribe()
                .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        sub.awaitFailure(WAIT);
        assertEquals(List.of(new StreamChunk.Started(), new StreamChunk.Text("a")), sub.getItems());
        ProviderException e = assertInstanceOf(ProviderException.class, sub.getFailure());
        assertEquals(Kind.RETRYABLE, e.kind());
    }

    @Test
    void resetBeforeResponseIsRetryable() {
        llm.enqueue(Reply.reset(), Reply.reset());
        assertEquals(Kind.RETRYABLE, streamFailure(provider.stream(request("gpt-4o"))).kind());
        assertEquals(Kind.RETRYABLE, assertThrows(ProviderException.class,
                () -> provider.complete(request("gpt-4o"))).kind());
    }

    @Test
    void connectionRefusedIsRetryable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        OpenAiProvider dead = new OpenAiProvider(ProviderSettings.of("http://127.0.0.1:" + port + "/v1", null), vertx);
        try {
            assertEquals(Kind.RETRYABLE, streamFailure(dead.stream(request("gpt-4o"))).kind());
        } finally {
            dead.close();
        }
    }

    @Test
    void cleanEndAfterTheFinishReasonWithoutDoneMarkerIsComplete() {
        llm.enqueue(Reply.text("a", "b").usage(3, 2).endEarlyAfter(99));
        List<StreamChunk> chunks = collect(provider.stream(request("gpt-4o")));
        assertEquals(List.of(new StreamChunk.Started(), new StreamChunk.Text("a"), new StreamChunk.Text("b"),
                new StreamChunk.Done(Usage.of(3, 2, null, null), FinishReason.STOP)), chunks);
    }

    @Test
    void cleanEndAfterToolCallsClosesThemAndIsComplete() {
        llm.enqueue(Reply.toolCall("call_1", "read", "{\"path\":", "\"a\"}").endEarlyAfter(99));
        List<StreamChunk> chunks = collect(provider.stream(request("gpt-4o")));
        int n = chunks.size();
        assertEquals(new StreamChunk.ToolCallEnd("call_1"), chunks.get(n - 2));
        assertEquals(new StreamChunk.Done(null, FinishReason.TOOL_CALLS), chunks.get(n - 1));
    }

    @Test
    void cleanEndBeforeTheFinishReasonCompletesWithoutDone() {
        llm.enqueue(Reply.text("a", "b").usage(3, 2).endEarlyAfter(2));
        List<StreamChunk> chunks = collect(provider.stream(request("gpt-4o")));
        assertEquals(List.of(new StreamChunk.Started(), new StreamChunk.Text("a"), new StreamChunk.Text("b")),
                chunks);
    }

    @Test
    void errorChunkInsideStreamIsClassified() {
        llm.enqueue(Reply.text("a", "b").errorEventAfter(1, "server_error", "upstream failed"),
                Reply.text("a").errorEventAfter(0, "invalid_request_error", "bad tool schema"));
        assertEquals(Kind.RETRYABLE, streamFailure(provider.stream(request("gpt-4o"))).kind());
        assertEquals(Kind.FATAL, streamFailure(provider.stream(request("gpt-4o"))).kind());
    }

    @Test
    void stalledStreamEmitsNothingMoreAndCancellationClosesTheConnection() {
        llm.enqueue(Reply.text("a", "b").stallAfter(1));
        AssertSubscriber<StreamChunk> sub = provider.stream(request("gpt-4o")).subscribe()
                .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        sub.awaitItems(2, WAIT);
        assertTrue(llm.awaitStalled(WAIT));
        assertEquals(List.of(new StreamChunk.Started(), new StreamChunk.Text("a")), sub.getItems());
        sub.assertNotTerminated();
        sub.cancel();
        assertTrue(llm.awaitClientDisconnect(WAIT), "cancelling the subscription closes the HTTP connection");
    }

    @Test
    void releasedStallContinuesToDone() {
        llm.enqueue(Reply.text("a", "b").stallAfter(1));
        AssertSubscriber<StreamChunk> sub = provider.stream(request("gpt-4o")).subscribe()
                .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        assertTrue(llm.awaitStalled(WAIT));
        llm.releaseStalls();
        sub.awaitCompletion(WAIT);
        assertEquals(new StreamChunk.Text("b"), sub.getItems().get(2));
        assertInstanceOf(StreamChunk.Done.class, sub.getItems().get(3));
    }

    @Test
    void interruptingANonStreamedCallClosesTheConnection() throws Exception {
        llm.enqueue(Reply.hang());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                provider.complete(request("gpt-4o"));
            } catch (RuntimeException e) {
                failure.set(e);
            }
        });
        caller.start();
        assertTrue(llm.awaitStalled(WAIT));
        caller.interrupt();
        caller.join(WAIT.toMillis());
        ProviderException e = assertInstanceOf(ProviderException.class, failure.get());
        assertEquals(Kind.FATAL, e.kind());
        assertTrue(llm.awaitClientDisconnect(WAIT), "the interrupted call closed its HTTP connection");
    }

    @Test
    void missingKeyOffLoopbackFailsFatallyWithoutCalling() {
        OpenAiProvider unkeyed = new OpenAiProvider(ProviderSettings.of("https://api.openai.com/v1", null), vertx);
        try {
            assertFalse(unkeyed.isConfigured());
            ProviderException e = streamFailure(unkeyed.stream(request("gpt-4o")));
            assertEquals(Kind.FATAL, e.kind());
            assertTrue(e.getMessage().contains("OPENAI_API_KEY"));
        } finally {
            unkeyed.close();
        }
    }

    static ProviderException streamFailure(Multi<StreamChunk> multi) {
        return assertThrows(ProviderException.class, () -> multi.collect().asList().await().atMost(WAIT));
    }
}

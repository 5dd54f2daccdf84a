package dev.tether.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fake server's own contract: routing, reply selection, wire framing, recording. */
class FakeLlmServerTest {

    static FakeLlmServer llm;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        llm = FakeLlmServer.start();
    }

    @AfterAll
    static void stop() {
        llm.close();
    }

    @BeforeEach
    void clean() {
        llm.reset();
    }

    static HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(llm.baseUrl() + path))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void queueThenResponderThenDefaultThenTeapot() throws Exception {
        llm.enqueue(Reply.text("queued"));
        llm.responder(r -> Integer.valueOf(24).equals(r.maxTokens()) ? Reply.text("A title") : null);
        assertTrue(post("/v1/chat/completions", "{\"model\":\"m\",\"max_tokens\":24}").body().contains("queued"));
        assertTrue(post("/v1/chat/completions", "{\"model\":\"m\",\"max_tokens\":24}").body().contains("A title"));
        HttpResponse<String> none = post("/v1/chat/completions", "{\"model\":\"m\"}");
        assertEquals(418, none.statusCode());
        llm.defaultReply(Reply.text("fallback"));
        assertTrue(post("/chat/completions", "{\"model\":\"m\"}").body().contains("fallback"));
        assertEquals(404, post("/v2/other", "{}").statusCode());
        assertEquals(5, llm.requestCount());
        assertEquals(24, llm.takeRequest(Duration.ofSeconds(1)).maxTokens());
    }

    @Test
    void openAiStreamFraming() throws Exception {
        llm.enqueue(Reply.text("a").usage(3, 1, 2L, null));
        String body = post("/v1/chat/completions",
                "{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":true}}").body();
        assertTrue(body.startsWith("data: {\"id\":\"chatcmpl-fake-"), body);
        assertTrue(body.contains("\"delta\":{\"content\":\"a\"}"), body);
        assertTrue(body.contains("\"cached_tokens\":2"), body);
        assertTrue(body.endsWith("data: [DONE]\n\n"), body);
    }

    @Test
    void anthropicStreamFramingSubtractsCacheFromInputTokens() throws Exception {
        llm.enqueue(Reply.text("a").usage(100, 5, 60L, 30L));
        String body = post("/v1/messages", "{\"model\":\"claude\",\"stream\":true}").body();
        assertTrue(body.startsWith("event: message_start\ndata: "), body);
        assertTrue(body.contains("\"input_tokens\":10"), body);
        assertTrue(body.contains("\"cache_read_input_tokens\":60"), body);
        assertTrue(body.contains("event: ping\n"), body);
        assertTrue(body.endsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"), body);
    }

    @Test
    void errorRepliesCarryHeadersAndVendorBodies() throws Exception {
        llm.enqueue(Reply.error(429, "rate_limit_error", "slow").retryAfter("5").retryAfterMs(5000));
        HttpResponse<String> r = post("/v1/messages", "{}");
        assertEquals(429, r.statusCode());
        assertEquals("5", r.headers().firstValue("retry-after").orElseThrow());
        assertEquals("5000", r.headers().firstValue("retry-after-ms").orElseThrow());
        assertEquals("{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow\"}}", r.body());
    }
}

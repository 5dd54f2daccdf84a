package dev.tether.a2a;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.api.TokenProfile;
import dev.tether.testing.SseClient;
import io.restassured.http.ContentType;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** JSON-RPC calls to the A2A endpoint of the {@code @QuarkusTest} application, with the profile's token. */
final class A2aCalls {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String BEARER = "Bearer " + TokenProfile.TOKEN;

    private A2aCalls() {
    }

    /** A user message with one text part, in {@code contextId} when not null. */
    static Map<String, Object> message(String text, String contextId) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", "message");
        m.put("role", "user");
        m.put("messageId", UUID.randomUUID().toString());
        m.put("parts", List.of(Map.of("kind", "text", "text", text)));
        if (contextId != null) {
            m.put("contextId", contextId);
        }
        return m;
    }

    /** {@code message/send} params for {@code message}, blocking unless {@code blocking} is false. */
    static Map<String, Object> send(Map<String, Object> message, boolean blocking) {
        return Map.of("message", message, "configuration", Map.of("blocking", blocking));
    }

    /** The whole JSON-RPC response of a call (HTTP 200 required). */
    static JsonNode call(String method, Object params) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("jsonrpc", "2.0");
        body.put("id", 7);
        body.put("method", method);
        body.put("params", params);
        return raw(JSON.writeValueAsString(body));
    }

    /** A raw body posted as JSON; the JSON-RPC response (HTTP 200 required). */
    static JsonNode raw(String body) throws Exception {
        String answer = given().header("Authorization", BEARER).contentType(ContentType.JSON).body(body)
                .post("/a2a").then().statusCode(200).contentType("application/json").extract().asString();
        return JSON.readTree(answer);
    }

    /** The {@code result} of a successful call; fails with the error when there is one. */
    static JsonNode result(String method, Object params) throws Exception {
        JsonNode response = call(method, params);
        if (response.has("error")) {
            throw new AssertionError(method + " failed: " + response);
        }
        return response.get("result");
    }

    /** The {@code error.code} of a call that must fail. */
    static int errorCode(String method, Object params) throws Exception {
        JsonNode response = call(method, params);
        if (!response.has("error")) {
            throw new AssertionError(method + " should have failed: " + response);
        }
        return response.get("error").get("code").asInt();
    }

    /** Opens a streaming call ({@code message/stream}, {@code tasks/resubscribe}). */
    static SseClient stream(URI a2a, String method, Object params) throws Exception {
        Map<String, Object> body = Map.of("jsonrpc", "2.0", "id", "s-1", "method", method, "params", params);
        return SseClient.post(a2a, JSON.writeValueAsString(body), Map.of("Authorization", BEARER));
    }

    /** The results of a stream's frames up to the end of the stream, each checked to answer request {@code s-1}. */
    static List<JsonNode> results(SseClient sse) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (; ; ) {
            JsonNode frame = JSON.readTree(sse.nextData().data());
            if (!"s-1".equals(frame.path("id").asText()) || !frame.has("result")) {
                throw new AssertionError("unexpected stream frame " + frame);
            }
            JsonNode result = frame.get("result");
            out.add(result);
            if (result.path("final").asBoolean() || "task".equals(result.path("kind").asText())
                    && isFinal(result.path("status").path("state").asText())) {
                sse.awaitEnd();
                return out;
            }
        }
    }

    static boolean isFinal(String state) {
        return state.equals("completed") || state.equals("canceled") || state.equals("failed");
    }

    /** The {@code kind}s of stream results, with the state of status updates: {@code status-update:working}. */
    static List<String> kinds(List<JsonNode> results) {
        List<String> out = new ArrayList<>();
        for (JsonNode r : results) {
            String kind = r.get("kind").asText();
            out.add(kind.equals("artifact-update") ? kind : kind + ":" + r.get("status").get("state").asText());
        }
        return out;
    }
}

package dev.tether.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Map;

/**
 * One request received by {@link FakeLlmServer}: method, path (without query), headers (names lower-cased), the raw
 * body and its parsed JSON ({@code null} when the body is not JSON). {@link #seq()} numbers requests from 1 in
 * arrival order.
 */
public record RecordedRequest(int seq, String method, String path, Map<String, String> headers, String body,
                              JsonNode json) {

    /** The wire format the path speaks. */
    public enum Wire { OPENAI, ANTHROPIC, UNKNOWN }

    public Wire wire() {
        if (path.equals("/v1/messages")) {
            return Wire.ANTHROPIC;
        }
        if (path.equals("/v1/chat/completions") || path.equals("/chat/completions")) {
            return Wire.OPENAI;
        }
        return Wire.UNKNOWN;
    }

    /** A header by case-insensitive name, or null. */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** Whether the body asks for a streamed answer ({@code "stream": true}). */
    public boolean isStream() {
        return json != null && json.path("stream").asBoolean(false);
    }

    /** The requested model id, or null. */
    public String model() {
        return json == null || !json.hasNonNull("model") ? null : json.get("model").asText();
    }

    /** {@code max_tokens} (or OpenAI's {@code max_completion_tokens}), or null; title calls send 24. */
    public Integer maxTokens() {
        if (json == null) {
            return null;
        }
        JsonNode n = json.hasNonNull("max_tokens") ? json.get("max_tokens") : json.get("max_completion_tokens");
        return n == null || n.isNull() ? null : n.asInt();
    }

    /** The {@code messages} array (empty node when absent). */
    public JsonNode messages() {
        return json == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : json.path("messages");
    }

    /** The text of the last message of the body (string content or the joined text parts/blocks), or "". */
    public String lastMessageText() {
        JsonNode msgs = messages();
        if (!msgs.isArray() || msgs.isEmpty()) {
            return "";
        }
        JsonNode content = msgs.get(msgs.size() - 1).path("content");
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder sb = new StringBuilder();
        for (JsonNode part : content) {
            if (part.path("text").isTextual()) {
                sb.append(part.path("text").asText());
            } else if (part.path("content").isTextual()) {
                sb.append(part.path("content").asText());
            }
        }
        return sb.toString();
    }
}

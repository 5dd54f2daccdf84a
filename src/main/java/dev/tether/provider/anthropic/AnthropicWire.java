package dev.tether.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tether.provider.CompletionRequest;
import dev.tether.provider.CompletionResponse;
import dev.tether.provider.FinishReason;
import dev.tether.provider.ProviderSettings;
import dev.tether.provider.ToolDefinition;
import dev.tether.session.ContentPart;
import dev.tether.session.Message;
import dev.tether.session.Role;
import dev.tether.session.Usage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The Messages API wire format, as JSON trees (no reflection, native-safe). The system prompt travels apart;
 * {@code developer} messages become user text prefixed {@code [developer note] }; tool results become
 * {@code tool_result} blocks of a user message; consecutive same-role messages are merged because the API requires
 * alternation, with {@code tool_result} blocks first in a merged user message as the API demands.
 */
final class AnthropicWire {

    static final String DEVELOPER_PREFIX = "[developer note] ";
    /** Used when the request names no {@code max_tokens}: the API requires one. */
    static final int FALLBACK_MAX_TOKENS = 4096;

    private AnthropicWire() {
    }

    static ObjectNode requestBody(ObjectMapper json, CompletionRequest request, ProviderSettings settings,
                                  boolean stream) {
        ObjectNode body = json.createObjectNode();
        body.put("model", request.model());
        body.put("max_tokens", request.maxTokens() != null ? request.maxTokens() : FALLBACK_MAX_TOKENS);
        List<String> system = new ArrayList<>();
        List<ObjectNode> turns = new ArrayList<>();
        for (Message m : request.messages()) {
            if (m.role() == Role.SYSTEM) {
                if (!m.text().isEmpty()) {
                    system.add(m.text());
                }
                continue;
            }
            ObjectNode turn = toTurn(json, m);
            if (turn.path("content").isEmpty()) {
                continue; // the API rejects empty messages
            }
            ObjectNode last = turns.isEmpty() ? null : turns.get(turns.size() - 1);
            if (last != null && last.path("role").asText().equals(turn.path("role").asText())) {
                ((ArrayNode) last.get("content")).addAll((ArrayNode) turn.get("content"));
            } else {
                turns.add(turn);
            }
        }
        if (!system.isEmpty()) {
            body.put("system", String.join("\n\n", system));
        }
        ArrayNode messages = body.putArray("messages");
        for (ObjectNode turn : turns) {
            if (turn.path("role").asText().equals("user")) {
                toolResultsFirst(json, turn);
            }
            messages.add(turn);
        }
        if (!request.tools().isEmpty()) {
            ArrayNode tools = body.putArray("tools");
            for (ToolDefinition t : request.tools()) {
                ObjectNode tool = tools.addObject().put("name", t.name());
                if (t.description() != null) {
                    tool.put("description", t.description());
                }
                if (t.parameters() != null) {
                    tool.set("input_schema", t.parameters());
                } else {
                    tool.putObject("input_schema").put("type", "object").putObject("properties");
                }
            }
        }
        if (request.temperature() != null && !settings.omitsTemperature(request.model())) {
            body.put("temperature", request.temperature());
        } else if (request.topP() != null) {
            // Recent models reject temperature and top_p together: top_p goes only when temperature does not.
            body.put("top_p", request.topP());
        }
        if (!request.stop().isEmpty()) {
            ArrayNode stop = body.putArray("stop_sequences");
            request.stop().forEach(stop::add);
        }
        if (stream) {
            body.put("stream", true);
        }
        return body;
    }

    private static void toolResultsFirst(ObjectMapper json, ObjectNode turn) {
        ArrayNode content = (ArrayNode) turn.get("content");
        ArrayNode ordered = json.createArrayNode();
        for (JsonNode block : content) {
            if (block.path("type").asText().equals("tool_result")) {
                ordered.add(block);
            }
        }
        for (JsonNode block : content) {
            if (!block.path("type").asText().equals("tool_result")) {
                ordered.add(block);
            }
        }
        turn.set("content", ordered);
    }

    private static ObjectNode toTurn(ObjectMapper json, Message m) {
        ObjectNode turn = json.createObjectNode();
        turn.put("role", m.role() == Role.ASSISTANT ? "assistant" : "user");
        ArrayNode content = turn.putArray("content");
        for (ContentPart p : m.content()) {
            if (p instanceof ContentPart.Text t) {
                String text = m.role() == Role.DEVELOPER ? DEVELOPER_PREFIX + t.text() : t.text();
                if (!text.isEmpty()) {
                    content.addObject().put("type", "text").put("text", text);
                }
            } else if (p instanceof ContentPart.Image i) {
                content.add(image(json, i));
            } else if (p instanceof ContentPart.File f) {
                content.addObject().put("type", "text").put("text", "[file: " + f.path() + "]");
            } else if (p instanceof ContentPart.ToolCall c) {
                ObjectNode block = content.addObject().put("type", "tool_use").put("id", c.id()).put("name", c.name());
                block.set("input", arguments(json, c.arguments()));
            } else if (p instanceof ContentPart.ToolResult r) {
                content.addObject().put("type", "tool_result").put("tool_use_id", r.toolCallId())
                        .put("content", r.content());
            } else if (p instanceof ContentPart.Thinking th) {
                // A thinking block without its signature is rejected by the API; unsigned reasoning is dropped.
                if (th.signature() != null && !th.signature().isEmpty() && m.role() == Role.ASSISTANT) {
                    content.addObject().put("type", "thinking").put("thinking", th.text())
                            .put("signature", th.signature());
                }
            }
        }
        return turn;
    }

    private static ObjectNode image(ObjectMapper json, ContentPart.Image i) {
        ObjectNode block = json.createObjectNode().put("type", "image");
        String url = i.url();
        if (url.startsWith("data:")) {
            int comma = url.indexOf(',');
            String meta = url.substring(5, Math.max(5, comma));
            String mediaType = meta.contains(";") ? meta.substring(0, meta.indexOf(';')) : meta;
            if (mediaType.isEmpty()) {
                mediaType = i.mimeType() != null ? i.mimeType() : "image/png";
            }
            block.putObject("source").put("type", "base64").put("media_type", mediaType)
                    .put("data", comma < 0 ? "" : url.substring(comma + 1));
        } else {
            block.putObject("source").put("type", "url").put("url", url);
        }
        return block;
    }

    /** The arguments string as the JSON object {@code tool_use.input} requires; invalid text becomes {}. */
    static JsonNode arguments(ObjectMapper json, String arguments) {
        if (arguments == null || arguments.isBlank()) {
            return json.createObjectNode();
        }
        try {
            JsonNode node = json.readTree(arguments);
            return node != null && node.isObject() ? node : json.createObjectNode();
        } catch (IOException e) {
            return json.createObjectNode();
        }
    }

    /** Usage normalised: prompt = input + cache reads + cache writes (the vendor's input excludes both). */
    static Usage usage(Long input, Long output, Long cacheRead, Long cacheWrite) {
        if (input == null && output == null && cacheRead == null && cacheWrite == null) {
            return null;
        }
        long prompt = nz(input) + nz(cacheRead) + nz(cacheWrite);
        return Usage.of(prompt, nz(output), cacheRead, cacheWrite);
    }

    private static long nz(Long v) {
        return v == null ? 0 : v;
    }

    static Long longOrNull(JsonNode n) {
        return n == null || !n.isNumber() ? null : n.asLong();
    }

    static FinishReason stopReason(String vendor, boolean hasToolCalls) {
        if (vendor == null) {
            return hasToolCalls ? FinishReason.TOOL_CALLS : FinishReason.STOP;
        }
        return switch (vendor) {
            case "max_tokens", "model_context_window_exceeded" -> FinishReason.LENGTH;
            case "tool_use" -> FinishReason.TOOL_CALLS;
            case "refusal" -> FinishReason.CONTENT_FILTER;
            default -> hasToolCalls ? FinishReason.TOOL_CALLS : FinishReason.STOP;
        };
    }

    /** A non-streaming answer: parts ordered thinking, text, tool calls. */
    static CompletionResponse response(ObjectMapper json, JsonNode root) {
        StringBuilder thinking = new StringBuilder();
        String signature = null;
        boolean hasThinking = false;
        StringBuilder text = new StringBuilder();
        List<ContentPart> calls = new ArrayList<>();
        for (JsonNode block : root.path("content")) {
            switch (block.path("type").asText()) {
                case "thinking" -> {
                    hasThinking = true;
                    thinking.append(block.path("thinking").asText(""));
                    if (block.hasNonNull("signature")) {
                        signature = block.get("signature").asText();
                    }
                }
                case "text" -> text.append(block.path("text").asText(""));
                case "tool_use" -> {
                    JsonNode input = block.get("input");
                    calls.add(new ContentPart.ToolCall(block.path("id").asText(), block.path("name").asText(),
                            input == null || input.isNull() ? "{}" : input.toString()));
                }
                default -> {
                    // redacted_thinking, server tools: not represented in the transcript
                }
            }
        }
        List<ContentPart> parts = new ArrayList<>();
        if (hasThinking) {
            parts.add(new ContentPart.Thinking(thinking.toString(), signature));
        }
        if (text.length() > 0) {
            parts.add(new ContentPart.Text(text.toString()));
        }
        parts.addAll(calls);
        JsonNode u = root.path("usage");
        Usage usage = usage(longOrNull(u.get("input_tokens")), longOrNull(u.get("output_tokens")),
                longOrNull(u.get("cache_read_input_tokens")), longOrNull(u.get("cache_creation_input_tokens")));
        String reason = root.hasNonNull("stop_reason") ? root.get("stop_reason").asText() : null;
        return new CompletionResponse(new Message(Role.ASSISTANT, parts), usage, stopReason(reason, !calls.isEmpty()));
    }
}

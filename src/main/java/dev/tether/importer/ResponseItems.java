package dev.tether.importer;

import static dev.tether.importer.RolloutFields.object;
import static dev.tether.importer.RolloutFields.present;
import static dev.tether.importer.RolloutFields.text;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tether.importer.RolloutFields.BadLine;
import dev.tether.session.ContentPart;
import dev.tether.session.Message;
import dev.tether.session.Role;
import java.util.ArrayList;
import java.util.List;

/**
 * One Codex response item as a session message (spec §10.2, §10.4): user, assistant and developer messages,
 * reasoning as thinking, function, custom and local-shell calls as tool calls, their outputs as tool results. Other
 * items and roles map to nothing.
 */
final class ResponseItems {

    private final ObjectMapper json;

    ResponseItems(ObjectMapper json) {
        this.json = json;
    }

    /** The message of a response item, or null when it carries nothing a session holds. */
    Message map(JsonNode item) throws BadLine {
        return switch (text(item.get("type"))) {
            case "message" -> message(item);
            case "reasoning" -> reasoning(item);
            case "function_call" -> functionCall(item);
            case "custom_tool_call" -> customToolCall(item);
            case "local_shell_call" -> localShellCall(item);
            case "function_call_output", "custom_tool_call_output" -> toolOutput(item);
            default -> null; // web_search_call and others are ignored
        };
    }

    private Message message(JsonNode item) throws BadLine {
        String roleName = text(item.get("role"));
        JsonNode content = item.get("content");
        if (content == null || !content.isArray()) {
            throw new BadLine();
        }
        Role role = switch (roleName) {
            case "user" -> Role.USER;
            case "assistant" -> Role.ASSISTANT;
            case "developer" -> Role.DEVELOPER;
            default -> null; // system and anything else are dropped
        };
        if (role == null) {
            return null;
        }
        List<ContentPart> parts = new ArrayList<>(content.size());
        for (JsonNode c : content) {
            String ct = c.path("type").asText("");
            switch (ct) {
                case "input_text", "output_text" -> {
                    JsonNode t = c.get("text");
                    if (t != null && t.isTextual()) {
                        String trimmed = t.asText().trim();
                        if (!trimmed.isEmpty()) {
                            parts.add(new ContentPart.Text(trimmed));
                        }
                    }
                }
                case "input_image" -> {
                    JsonNode url = c.get("image_url");
                    if (url != null && url.isTextual() && !url.asText().isBlank()) {
                        parts.add(new ContentPart.Image(url.asText(), null));
                    }
                }
                default -> {
                    // other content types carry nothing a session can hold
                }
            }
        }
        return parts.isEmpty() ? null : new Message(role, parts);
    }

    private Message reasoning(JsonNode item) throws BadLine {
        String text = reasoningContent(item.get("content"));
        if (text == null || text.isBlank()) {
            text = reasoningSummary(item.get("summary"));
        }
        if (text == null || text.isBlank()) {
            return null;
        }
        return Message.of(Role.ASSISTANT, new ContentPart.Thinking(text, null));
    }

    private static String reasoningContent(JsonNode content) throws BadLine {
        if (content == null || content.isNull()) {
            return null;
        }
        if (content.isTextual()) {
            return content.asText();
        }
        if (!content.isArray()) {
            throw new BadLine();
        }
        return joinTexts(content);
    }

    private static String reasoningSummary(JsonNode summary) throws BadLine {
        if (summary == null || summary.isNull()) {
            return null;
        }
        if (!summary.isArray()) {
            throw new BadLine();
        }
        return joinTexts(summary);
    }

    /** Texts of an array whose items are strings or objects with a {@code text}, joined by newlines. */
    private static String joinTexts(JsonNode array) {
        StringBuilder sb = new StringBuilder();
        boolean any = false;
        for (JsonNode n : array) {
            String t = n.isTextual() ? n.asText() : n.path("text").isTextual() ? n.get("text").asText() : null;
            if (t != null) {
                if (any) {
                    sb.append('\n');
                }
                sb.append(t);
                any = true;
            }
        }
        return any ? sb.toString() : null;
    }

    private Message functionCall(JsonNode item) throws BadLine {
        JsonNode args = present(item.get("arguments"));
        return call(item, text(item.get("name")), args.isTextual() ? args.asText() : encode(args));
    }

    private Message customToolCall(JsonNode item) throws BadLine {
        ObjectNode wrapped = json.createObjectNode();
        wrapped.set("input", present(item.get("input")));
        return call(item, text(item.get("name")), encode(wrapped));
    }

    private Message localShellCall(JsonNode item) throws BadLine {
        return call(item, "local_shell", encode(object(item.get("action"))));
    }

    /** An assistant tool call under the item's call id. */
    private static Message call(JsonNode item, String name, String arguments) throws BadLine {
        return Message.of(Role.ASSISTANT, new ContentPart.ToolCall(callId(item, true), name, arguments));
    }

    private Message toolOutput(JsonNode item) throws BadLine {
        String callId = callId(item, false);
        JsonNode output = item.get("output");
        String content = output == null || output.isNull() ? "" : output.isTextual() ? output.asText() : encode(output);
        return Message.toolResult(callId, content);
    }

    /** {@code call_id}, else (for calls) {@code id}; a call or output without one is a bad line. */
    private static String callId(JsonNode item, boolean idFallback) throws BadLine {
        JsonNode c = item.get("call_id");
        if (c != null && c.isTextual() && !c.asText().isEmpty()) {
            return c.asText();
        }
        if (idFallback) {
            JsonNode i = item.get("id");
            if (i != null && i.isTextual() && !i.asText().isEmpty()) {
                return i.asText();
            }
        }
        throw new BadLine();
    }

    private String encode(JsonNode node) {
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed JSON tree always serialises", e);
        }
    }
}

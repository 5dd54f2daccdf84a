package dev.tether.provider.openai;

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
import java.util.ArrayList;
import java.util.List;

/**
 * The Chat Completions wire format, as JSON trees (no reflection, native-safe). Only fields every
 * OpenAI-compatible server understands are sent; thinking parts are not sent back (servers reject or ignore them).
 */
final class OpenAiWire {

    private OpenAiWire() {
    }

    /** The request body; {@code stream} adds {@code stream_options.include_usage}. */
    static ObjectNode requestBody(ObjectMapper json, CompletionRequest request, ProviderSettings settings,
                                  boolean stream) {
        ObjectNode body = json.createObjectNode();
        body.put("model", request.model());
        ArrayNode messages = body.putArray("messages");
        for (Message m : request.messages()) {
            appendMessage(json, messages, m);
        }
        if (!request.tools().isEmpty()) {
            ArrayNode tools = body.putArray("tools");
            for (ToolDefinition t : request.tools()) {
                ObjectNode fn = tools.addObject().put("type", "function").putObject("function");
                fn.put("name", t.name());
                if (t.description() != null) {
                    fn.put("description", t.description());
                }
                fn.set("parameters", t.parameters() != null ? t.parameters() : emptySchema(json));
            }
        }
        boolean reasoningModel = settings.omitsTemperature(request.model());
        if (request.temperature() != null && !reasoningModel) {
            body.put("temperature", request.temperature());
        }
        if (request.topP() != null && !reasoningModel) {
            body.put("top_p", request.topP());
        }
        if (request.maxTokens() != null) {
            // Reasoning models reject max_tokens; every other compatible server knows only max_tokens.
            body.put(reasoningModel ? "max_completion_tokens" : "max_tokens", request.maxTokens());
        }
        if (!request.stop().isEmpty()) {
            ArrayNode stop = body.putArray("stop");
            request.stop().forEach(stop::add);
        }
        if (stream) {
            body.put("stream", true);
            body.putObject("stream_options").put("include_usage", true);
        }
        return body;
    }

    private static ObjectNode emptySchema(ObjectMapper json) {
        ObjectNode schema = json.createObjectNode().put("type", "object");
        schema.putObject("properties");
        return schema;
    }

    private static void appendMessage(ObjectMapper json, ArrayNode out, Message m) {
        switch (m.role()) {
            case SYSTEM, DEVELOPER -> out.addObject().put("role", "system").put("content", m.text());
            case USER -> appendUser(out, m);
            case ASSISTANT -> appendAssistant(out, m);
            case TOOL -> {
                for (ContentPart p : m.content()) {
                    if (p instanceof ContentPart.ToolResult r) {
                        out.addObject().put("role", "tool").put("tool_call_id", r.toolCallId())
                                .put("content", r.content());
                    }
                }
            }
        }
    }

    private static void appendUser(ArrayNode out, Message m) {
        boolean hasImage = m.content().stream().anyMatch(ContentPart.Image.class::isInstance);
        ObjectNode msg = out.addObject().put("role", "user");
        if (!hasImage) {
            msg.put("content", plainText(m));
            return;
        }
        ArrayNode parts = msg.putArray("content");
        for (ContentPart p : m.content()) {
            if (p instanceof ContentPart.Text t) {
                parts.addObject().put("type", "text").put("text", t.text());
            } else if (p instanceof ContentPart.Image i) {
                parts.addObject().put("type", "image_url").putObject("image_url").put("url", i.url());
            } else if (p instanceof ContentPart.File f) {
                parts.addObject().put("type", "text").put("text", fileRef(f));
            } else if (p instanceof ContentPart.ToolResult r) {
                parts.addObject().put("type", "text").put("text", r.content());
            }
        }
    }

    /** Text, file references and stray tool results of a user message as one string. */
    private static String plainText(Message m) {
        List<String> pieces = new ArrayList<>();
        for (ContentPart p : m.content()) {
            if (p instanceof ContentPart.Text t) {
                pieces.add(t.text());
            } else if (p instanceof ContentPart.File f) {
                pieces.add(fileRef(f));
            } else if (p instanceof ContentPart.ToolResult r) {
                pieces.add(r.content());
            }
        }
        return String.join("\n", pieces);
    }

    static String fileRef(ContentPart.File f) {
        return "[file: " + f.path() + "]";
    }

    private static void appendAssistant(ArrayNode out, Message m) {
        ObjectNode msg = out.addObject().put("role", "assistant");
        String text = m.text();
        List<ContentPart.ToolCall> calls = m.toolCalls();
        if (text.isEmpty() && !calls.isEmpty()) {
            msg.putNull("content");
        } else {
            msg.put("content", text);
        }
        if (!calls.isEmpty()) {
            ArrayNode tc = msg.putArray("tool_calls");
            for (ContentPart.ToolCall c : calls) {
                ObjectNode call = tc.addObject().put("id", c.id()).put("type", "function");
                call.putObject("function").put("name", c.name())
                        .put("arguments", c.arguments().isBlank() ? "{}" : c.arguments());
            }
        }
    }

    /** Usage normalised: {@code prompt_tokens} already includes cached tokens. */
    static Usage usage(JsonNode u) {
        if (u == null || !u.isObject()) {
            return null;
        }
        long prompt = u.path("prompt_tokens").asLong(0);
        long completion = u.path("completion_tokens").asLong(0);
        Long cacheRead = null;
        JsonNode cached = u.path("prompt_tokens_details").path("cached_tokens");
        if (cached.isNumber()) {
            cacheRead = cached.asLong();
        } else if (u.path("prompt_cache_hit_tokens").isNumber()) {
            cacheRead = u.path("prompt_cache_hit_tokens").asLong();
        }
        return Usage.of(prompt, completion, cacheRead, null);
    }

    static FinishReason finishReason(String vendor, boolean hasToolCalls) {
        if (vendor == null || vendor.isEmpty()) {
            return hasToolCalls ? FinishReason.TOOL_CALLS : FinishReason.STOP;
        }
        return switch (vendor) {
            case "length" -> FinishReason.LENGTH;
            case "tool_calls", "function_call" -> FinishReason.TOOL_CALLS;
            case "content_filter" -> FinishReason.CONTENT_FILTER;
            case "error" -> FinishReason.ERROR;
            default -> hasToolCalls ? FinishReason.TOOL_CALLS : FinishReason.STOP;
        };
    }

    /** A non-streaming answer. */
    static CompletionResponse response(JsonNode root) {
        JsonNode choice = root.path("choices").path(0);
        JsonNode msg = choice.path("message");
        List<ContentPart> parts = new ArrayList<>();
        String reasoning = textOf(msg.get("reasoning_content"));
        if (reasoning == null) {
            reasoning = textOf(msg.get("reasoning"));
        }
        if (reasoning != null && !reasoning.isEmpty()) {
            parts.add(new ContentPart.Thinking(reasoning, null));
        }
        String content = contentText(msg.get("content"));
        if (!content.isEmpty()) {
            parts.add(new ContentPart.Text(content));
        }
        int n = 0;
        for (JsonNode call : msg.path("tool_calls")) {
            JsonNode fn = call.path("function");
            JsonNode args = fn.get("arguments");
            String arguments = args == null || args.isNull() ? "" : args.isTextual() ? args.asText() : args.toString();
            String id = textOf(call.get("id"));
            parts.add(new ContentPart.ToolCall(id == null || id.isEmpty() ? "call_" + n : id,
                    fn.path("name").asText(""), arguments));
            n++;
        }
        FinishReason reason = finishReason(textOf(choice.get("finish_reason")), n > 0);
        return new CompletionResponse(new Message(Role.ASSISTANT, parts), usage(root.get("usage")), reason);
    }

    /** {@code content} as a string, or the joined text of a parts array (some servers answer with parts). */
    static String contentText(JsonNode content) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder sb = new StringBuilder();
        for (JsonNode part : content) {
            if (part.path("text").isTextual()) {
                sb.append(part.path("text").asText());
            }
        }
        return sb.toString();
    }

    static String textOf(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }
}

package dev.tether.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.provider.ProviderErrors;
import dev.tether.provider.StreamChunk;
import dev.tether.provider.http.SseEvent;
import dev.tether.provider.http.StreamDecoder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the SSE events of one streamed Messages response into {@link StreamChunk}s: {@code ping} and comments are
 * keep-alives, content blocks map to text, thinking (with {@code signature_delta} as a signature) and tool calls,
 * {@code error} fails with the vendor type, and {@code Done} is emitted at {@code message_stop}, or at a clean end of
 * the body after a {@code message_delta} carried the {@code stop_reason}. Usage is gathered from
 * {@code message_start} and {@code message_delta}. One decoder per stream attempt.
 */
final class AnthropicStreamDecoder extends StreamDecoder {

    private final Map<Integer, String> toolBlocks = new HashMap<>();
    private Long input;
    private Long output;
    private Long cacheRead;
    private Long cacheWrite;
    private String stopReason;
    private boolean sawToolUse;

    AnthropicStreamDecoder(ObjectMapper json, String provider) {
        super(json, provider);
    }

    static boolean isEndMarker(SseEvent e) {
        return "message_stop".equals(e.event())
                || (e.event() == null && e.data() != null && e.data().contains("\"message_stop\""));
    }

    @Override
    protected void decode(SseEvent event, List<StreamChunk> out) {
        String data = event.data() == null ? "" : event.data().strip();
        JsonNode root = data.isEmpty() ? json.createObjectNode() : parse(data);
        String type = root.path("type").asText(event.event() == null ? "" : event.event());
        switch (type) {
            case "ping" -> out.add(new StreamChunk.KeepAlive());
            case "error" -> throw ProviderErrors.fromStreamError(provider, root.path("error"));
            case "message_start" -> readUsage(root.path("message").path("usage"));
            case "content_block_start" -> blockStart(root.path("index").asInt(), root.path("content_block"), out);
            case "content_block_delta" -> blockDelta(root.path("index").asInt(), root.path("delta"), out);
            case "content_block_stop" -> {
                String id = toolBlocks.remove(root.path("index").asInt());
                if (id != null) {
                    out.add(new StreamChunk.ToolCallEnd(id));
                }
            }
            case "message_delta" -> {
                JsonNode reason = root.path("delta").get("stop_reason");
                if (reason != null && !reason.isNull()) {
                    stopReason = reason.asText();
                }
                readUsage(root.path("usage"));
            }
            case "message_stop" -> finish(out);
            default -> {
                // New event types may appear (versioning policy): ignored.
            }
        }
    }

    @Override
    protected boolean stopReasonArrived() {
        return stopReason != null;
    }

    @Override
    protected void closeOpenCalls(List<StreamChunk> out) {
        for (String id : toolBlocks.values()) {
            out.add(new StreamChunk.ToolCallEnd(id));
        }
        toolBlocks.clear();
    }

    @Override
    protected StreamChunk.Done doneChunk() {
        return new StreamChunk.Done(AnthropicWire.usage(input, output, cacheRead, cacheWrite),
                AnthropicWire.stopReason(stopReason, sawToolUse));
    }

    private void blockStart(int index, JsonNode block, List<StreamChunk> out) {
        switch (block.path("type").asText()) {
            case "text" -> addText(block, out);
            case "thinking" -> {
                String text = block.path("thinking").asText("");
                String sig = block.hasNonNull("signature") && !block.get("signature").asText().isEmpty()
                        ? block.get("signature").asText() : null;
                if (!text.isEmpty() || sig != null) {
                    out.add(new StreamChunk.Thinking(text, sig));
                }
            }
            case "tool_use" -> {
                String id = block.path("id").asText();
                toolBlocks.put(index, id);
                sawToolUse = true;
                out.add(new StreamChunk.ToolCallStart(id, block.path("name").asText()));
                JsonNode input = block.get("input");
                if (input != null && input.isObject() && !input.isEmpty()) {
                    out.add(new StreamChunk.ToolCallDelta(id, input.toString()));
                }
            }
            default -> {
                // redacted_thinking and server-tool blocks are not represented
            }
        }
    }

    private void blockDelta(int index, JsonNode delta, List<StreamChunk> out) {
        switch (delta.path("type").asText()) {
            case "text_delta" -> addText(delta, out);
            case "thinking_delta" -> {
                String text = delta.path("thinking").asText("");
                if (!text.isEmpty()) {
                    out.add(new StreamChunk.Thinking(text, null));
                }
            }
            case "signature_delta" -> out.add(new StreamChunk.Thinking("", delta.path("signature").asText("")));
            case "input_json_delta" -> {
                String id = toolBlocks.get(index);
                String partial = delta.path("partial_json").asText("");
                if (id != null && !partial.isEmpty()) {
                    out.add(new StreamChunk.ToolCallDelta(id, partial));
                }
            }
            default -> {
                // citations and future delta types are ignored
            }
        }
    }

    /** The {@code text} of a text block's start or of a text delta, when there is any. */
    private static void addText(JsonNode node, List<StreamChunk> out) {
        String text = node.path("text").asText("");
        if (!text.isEmpty()) {
            out.add(new StreamChunk.Text(text));
        }
    }

    /** Later reports win: message_delta carries the cumulative output (and, lately, input) counts. */
    private void readUsage(JsonNode u) {
        if (u == null || !u.isObject()) {
            return;
        }
        input = pick(u.get("input_tokens"), input);
        output = pick(u.get("output_tokens"), output);
        cacheRead = pick(u.get("cache_read_input_tokens"), cacheRead);
        cacheWrite = pick(u.get("cache_creation_input_tokens"), cacheWrite);
    }

    private static Long pick(JsonNode n, Long previous) {
        Long v = AnthropicWire.longOrNull(n);
        return v != null ? v : previous;
    }
}

package dev.tether.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tether.testing.RecordedRequest.Wire;
import java.util.ArrayList;
import java.util.List;

/** Renders {@link Reply} values in the OpenAI Chat Completions and Anthropic Messages wire formats, byte for byte. */
final class WireRenderer {

    /** One SSE frame; {@code delta} frames carry content and count for fault positions. */
    record Frame(String text, boolean delta, boolean endMarker) {
    }

    private final ObjectMapper json = new ObjectMapper();

    List<Frame> frames(Reply.Turn turn, RecordedRequest req, int seq) {
        return req.wire() == Wire.ANTHROPIC ? anthropicFrames(turn, req, seq) : openAiFrames(turn, req, seq);
    }

    String body(Reply.Turn turn, RecordedRequest req, int seq) {
        return req.wire() == Wire.ANTHROPIC ? anthropicBody(turn, req, seq) : openAiBody(turn, req, seq);
    }

    // ---------------------------------------------------------------- OpenAI

    private ObjectNode openAiChunk(RecordedRequest req, int seq) {
        ObjectNode c = json.createObjectNode();
        c.put("id", "chatcmpl-fake-" + seq).put("object", "chat.completion.chunk").put("created", 1700000000L)
                .put("model", model(req));
        return c;
    }

    private ObjectNode openAiDelta(RecordedRequest req, int seq, ObjectNode delta, String finish) {
        ObjectNode c = openAiChunk(req, seq);
        ObjectNode choice = c.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        if (finish == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finish);
        }
        return c;
    }

    private static Frame data(JsonNode node, boolean delta) {
        return new Frame("data: " + node + "\n\n", delta, false);
    }

    private List<Frame> openAiFrames(Reply.Turn turn, RecordedRequest req, int seq) {
        List<Frame> frames = new ArrayList<>();
        frames.add(data(openAiDelta(req, seq, json.createObjectNode().put("role", "assistant").put("content", ""),
                null), false));
        List<Reply.ToolCall> calls = new ArrayList<>();
        for (Reply.Segment s : turn.segments) {
            if (s instanceof Reply.Thinking t) {
                for (String d : t.deltas()) {
                    frames.add(data(openAiDelta(req, seq, json.createObjectNode().put("reasoning_content", d), null),
                            true));
                }
            } else if (s instanceof Reply.Text t) {
                for (String d : t.deltas()) {
                    frames.add(data(openAiDelta(req, seq, json.createObjectNode().put("content", d), null), true));
                }
            } else if (s instanceof Reply.KeepAlive) {
                frames.add(new Frame(": keep-alive\n\n", false, false));
            } else if (s instanceof Reply.ToolCall c) {
                calls.add(c);
                if (!turn.interleave) {
                    frames.add(toolStart(req, seq, calls.size() - 1, c));
                    for (String d : c.argumentDeltas()) {
                        frames.add(toolArgs(req, seq, calls.size() - 1, d));
                    }
                }
            }
        }
        if (turn.interleave) {
            for (int i = 0; i < calls.size(); i++) {
                frames.add(toolStart(req, seq, i, calls.get(i)));
            }
            int max = calls.stream().mapToInt(c -> c.argumentDeltas().size()).max().orElse(0);
            for (int k = 0; k < max; k++) {
                for (int i = 0; i < calls.size(); i++) {
                    List<String> ds = calls.get(i).argumentDeltas();
                    if (k < ds.size()) {
                        frames.add(toolArgs(req, seq, i, ds.get(k)));
                    }
                }
            }
        }
        frames.add(data(openAiDelta(req, seq, json.createObjectNode(), turn.finishReason()), false));
        boolean includeUsage = req.json() != null
                && req.json().path("stream_options").path("include_usage").asBoolean(false);
        if (includeUsage && turn.promptTokens != null) {
            ObjectNode c = openAiChunk(req, seq);
            c.putArray("choices");
            c.set("usage", openAiUsage(turn));
            frames.add(data(c, false));
        }
        frames.add(new Frame("data: [DONE]\n\n", false, true));
        return frames;
    }

    private Frame toolStart(RecordedRequest req, int seq, int index, Reply.ToolCall c) {
        ObjectNode delta = json.createObjectNode();
        ObjectNode call = delta.putArray("tool_calls").addObject();
        call.put("index", index).put("id", c.id()).put("type", "function");
        call.putObject("function").put("name", c.name()).put("arguments", "");
        return data(openAiDelta(req, seq, delta, null), true);
    }

    private Frame toolArgs(RecordedRequest req, int seq, int index, String piece) {
        ObjectNode delta = json.createObjectNode();
        ObjectNode call = delta.putArray("tool_calls").addObject();
        call.put("index", index);
        call.putObject("function").put("arguments", piece);
        return data(openAiDelta(req, seq, delta, null), true);
    }

    private ObjectNode openAiUsage(Reply.Turn turn) {
        ObjectNode u = json.createObjectNode();
        u.put("prompt_tokens", turn.promptTokens).put("completion_tokens", turn.completionTokens)
                .put("total_tokens", turn.promptTokens + turn.completionTokens);
        if (turn.cacheRead != null) {
            u.putObject("prompt_tokens_details").put("cached_tokens", turn.cacheRead);
        }
        return u;
    }

    private String openAiBody(Reply.Turn turn, RecordedRequest req, int seq) {
        ObjectNode root = json.createObjectNode();
        root.put("id", "chatcmpl-fake-" + seq).put("object", "chat.completion").put("created", 1700000000L)
                .put("model", model(req));
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode msg = choice.putObject("message").put("role", "assistant");
        StringBuilder text = new StringBuilder();
        StringBuilder thinking = new StringBuilder();
        ArrayNode calls = json.createArrayNode();
        for (Reply.Segment s : turn.segments) {
            if (s instanceof Reply.Text t) {
                t.deltas().forEach(text::append);
            } else if (s instanceof Reply.Thinking t) {
                t.deltas().forEach(thinking::append);
            } else if (s instanceof Reply.ToolCall c) {
                ObjectNode call = calls.addObject().put("id", c.id()).put("type", "function");
                call.putObject("function").put("name", c.name()).put("arguments", c.arguments());
            }
        }
        if (text.length() == 0 && !calls.isEmpty()) {
            msg.putNull("content");
        } else {
            msg.put("content", text.toString());
        }
        if (thinking.length() > 0) {
            msg.put("reasoning_content", thinking.toString());
        }
        if (!calls.isEmpty()) {
            msg.set("tool_calls", calls);
        }
        choice.put("finish_reason", turn.finishReason());
        if (turn.promptTokens != null) {
            root.set("usage", openAiUsage(turn));
        }
        return root.toString();
    }

    // ---------------------------------------------------------------- Anthropic

    private static Frame event(String name, JsonNode data, boolean delta) {
        return new Frame("event: " + name + "\ndata: " + data + "\n\n", delta, name.equals("message_stop"));
    }

    private static String anthropicReason(String neutral) {
        return switch (neutral) {
            case "stop" -> "end_turn";
            case "length" -> "max_tokens";
            case "tool_calls" -> "tool_use";
            case "content_filter" -> "refusal";
            default -> neutral;
        };
    }

    private ObjectNode anthropicUsage(Reply.Turn turn, boolean start) {
        ObjectNode u = json.createObjectNode();
        long prompt = turn.promptTokens == null ? 0 : turn.promptTokens;
        long cr = turn.cacheRead == null ? 0 : turn.cacheRead;
        long cw = turn.cacheWrite == null ? 0 : turn.cacheWrite;
        u.put("input_tokens", Math.max(0, prompt - cr - cw));
        if (turn.cacheWrite != null) {
            u.put("cache_creation_input_tokens", cw);
        }
        if (turn.cacheRead != null) {
            u.put("cache_read_input_tokens", cr);
        }
        long completion = turn.completionTokens == null ? 0 : turn.completionTokens;
        u.put("output_tokens", start ? Math.min(1, completion) : completion);
        return u;
    }

    private List<Frame> anthropicFrames(Reply.Turn turn, RecordedRequest req, int seq) {
        List<Frame> frames = new ArrayList<>();
        ObjectNode start = json.createObjectNode().put("type", "message_start");
        ObjectNode message = start.putObject("message");
        message.put("id", "msg_fake_" + seq).put("type", "message").put("role", "assistant")
                .put("model", model(req));
        message.putArray("content");
        message.putNull("stop_reason").putNull("stop_sequence");
        message.set("usage", anthropicUsage(turn, true));
        frames.add(event("message_start", start, false));
        frames.add(event("ping", json.createObjectNode().put("type", "ping"), false));
        int index = 0;
        for (Reply.Segment s : turn.segments) {
            if (s instanceof Reply.KeepAlive) {
                frames.add(event("ping", json.createObjectNode().put("type", "ping"), false));
                continue;
            }
            ObjectNode blockStart = json.createObjectNode().put("type", "content_block_start").put("index", index);
            ObjectNode block = blockStart.putObject("content_block");
            if (s instanceof Reply.Thinking t) {
                block.put("type", "thinking").put("thinking", "");
                frames.add(event("content_block_start", blockStart, false));
                for (String d : t.deltas()) {
                    frames.add(blockDelta(index, json.createObjectNode().put("type", "thinking_delta")
                            .put("thinking", d)));
                }
                if (t.signature() != null) {
                    frames.add(blockDelta(index, json.createObjectNode().put("type", "signature_delta")
                            .put("signature", t.signature())));
                }
            } else if (s instanceof Reply.Text t) {
                block.put("type", "text").put("text", "");
                frames.add(event("content_block_start", blockStart, false));
                for (String d : t.deltas()) {
                    frames.add(blockDelta(index, json.createObjectNode().put("type", "text_delta").put("text", d)));
                }
            } else if (s instanceof Reply.ToolCall c) {
                block.put("type", "tool_use").put("id", c.id()).put("name", c.name());
                block.putObject("input");
                frames.add(event("content_block_start", blockStart, true));
                for (String d : c.argumentDeltas()) {
                    frames.add(blockDelta(index, json.createObjectNode().put("type", "input_json_delta")
                            .put("partial_json", d)));
                }
            }
            frames.add(event("content_block_stop",
                    json.createObjectNode().put("type", "content_block_stop").put("index", index), false));
            index++;
        }
        ObjectNode md = json.createObjectNode().put("type", "message_delta");
        md.putObject("delta").put("stop_reason", anthropicReason(turn.finishReason())).putNull("stop_sequence");
        md.putObject("usage").put("output_tokens", turn.completionTokens == null ? 0 : turn.completionTokens);
        frames.add(event("message_delta", md, false));
        frames.add(event("message_stop", json.createObjectNode().put("type", "message_stop"), false));
        return frames;
    }

    private static Frame blockDelta(int index, ObjectNode delta) {
        ObjectNode e = new ObjectMapper().createObjectNode().put("type", "content_block_delta").put("index", index);
        e.set("delta", delta);
        return event("content_block_delta", e, true);
    }

    private String anthropicBody(Reply.Turn turn, RecordedRequest req, int seq) {
        ObjectNode root = json.createObjectNode();
        root.put("id", "msg_fake_" + seq).put("type", "message").put("role", "assistant").put("model", model(req));
        ArrayNode content = root.putArray("content");
        for (Reply.Segment s : turn.segments) {
            if (s instanceof Reply.Thinking t) {
                ObjectNode b = content.addObject().put("type", "thinking").put("thinking", String.join("", t.deltas()));
                if (t.signature() != null) {
                    b.put("signature", t.signature());
                }
            } else if (s instanceof Reply.Text t) {
                content.addObject().put("type", "text").put("text", String.join("", t.deltas()));
            } else if (s instanceof Reply.ToolCall c) {
                ObjectNode b = content.addObject().put("type", "tool_use").put("id", c.id()).put("name", c.name());
                try {
                    b.set("input", c.arguments().isBlank() ? json.createObjectNode() : json.readTree(c.arguments()));
                } catch (Exception e) {
                    b.put("input", c.arguments());
                }
            }
        }
        root.put("stop_reason", anthropicReason(turn.finishReason())).putNull("stop_sequence");
        root.set("usage", anthropicUsage(turn, false));
        return root.toString();
    }

    // ---------------------------------------------------------------- errors

    String errorBody(Reply.Error e, Wire wire) {
        if (e.rawBody != null) {
            return e.rawBody;
        }
        return errorJson(wire, e.type, e.message, e.code, e.bodyRetryAfter).toString();
    }

    ObjectNode errorJson(Wire wire, String type, String message, String code, Double retryAfter) {
        ObjectNode root = json.createObjectNode();
        ObjectNode err;
        if (wire == Wire.ANTHROPIC) {
            root.put("type", "error");
            err = root.putObject("error");
            err.put("type", type).put("message", message);
        } else {
            err = root.putObject("error");
            err.put("message", message).put("type", type).putNull("param");
            if (code == null) {
                err.putNull("code");
            } else {
                err.put("code", code);
            }
        }
        if (retryAfter != null) {
            err.put("retry_after", retryAfter);
        }
        return root;
    }

    /** The in-stream error frame of {@link Reply.Turn#errorEventAfter}. */
    Frame streamError(Reply.Turn turn, Wire wire) {
        ObjectNode body = errorJson(wire, turn.errorType, turn.errorMessage, null, null);
        if (wire == Wire.ANTHROPIC) {
            return event("error", body, false);
        }
        return data(body, false);
    }

    private static String model(RecordedRequest req) {
        String m = req.model();
        return m == null ? "fake-model" : m;
    }
}

package dev.tether.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.provider.ProviderErrors;
import dev.tether.provider.ProviderException;
import dev.tether.provider.StreamChunk;
import dev.tether.provider.http.SseEvent;
import dev.tether.provider.http.StreamDecoder;
import dev.tether.session.Usage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the SSE events of one streamed Chat Completion into {@link StreamChunk}s. Tool calls are assembled by
 * {@code index} (deltas of parallel calls may interleave); a call opens once its name is known and all open calls
 * close at the finish reason. {@code Done} is emitted at {@code data: [DONE]}, or at a clean end of the body after a
 * {@code finish_reason} arrived (some servers omit the marker); a stream cut before the finish reason ends without
 * one. One decoder per stream attempt.
 */
final class OpenAiStreamDecoder extends StreamDecoder {

    static final String DONE_MARKER = "[DONE]";

    private final Map<Integer, Call> calls = new LinkedHashMap<>();
    private Usage usage;
    private String finishReason;

    OpenAiStreamDecoder(ObjectMapper json, String provider) {
        super(json, provider);
    }

    private static final class Call {
        String id;
        String name = "";
        final StringBuilder pending = new StringBuilder();
        boolean started;
        boolean ended;
    }

    /** Adds the chunks of one event; throws a classified {@link ProviderException} for an error chunk. */
    @Override
    protected void decode(SseEvent event, List<StreamChunk> out) {
        String data = event.data() == null ? "" : event.data().strip();
        if (data.isEmpty()) {
            return;
        }
        if (data.equals(DONE_MARKER)) {
            finish(out);
            return;
        }
        JsonNode root = parse(data);
        if (root.has("error") && !root.get("error").isNull()) {
            throw ProviderErrors.fromStreamError(provider, root.get("error"));
        }
        JsonNode u = root.get("usage");
        if (u != null && u.isObject()) {
            usage = OpenAiWire.usage(u);
        }
        for (JsonNode choice : root.path("choices")) {
            if (choice.path("index").asInt(0) != 0) {
                continue;
            }
            JsonNode delta = choice.path("delta");
            String reasoning = OpenAiWire.textOf(delta.get("reasoning_content"));
            if (reasoning == null) {
                reasoning = OpenAiWire.textOf(delta.get("reasoning"));
            }
            if (reasoning != null && !reasoning.isEmpty()) {
                out.add(new StreamChunk.Thinking(reasoning, null));
            }
            String content = OpenAiWire.contentText(delta.get("content"));
            if (!content.isEmpty()) {
                out.add(new StreamChunk.Text(content));
            }
            int position = 0;
            for (JsonNode tc : delta.path("tool_calls")) {
                int index = tc.path("index").isInt() ? tc.path("index").asInt() : position;
                position++;
                onToolCallDelta(index, tc, out);
            }
            String reason = OpenAiWire.textOf(choice.get("finish_reason"));
            if (reason != null && !reason.isEmpty()) {
                finishReason = reason;
                closeOpenCalls(out);
            }
        }
    }

    @Override
    protected boolean stopReasonArrived() {
        return finishReason != null;
    }

    @Override
    protected StreamChunk.Done doneChunk() {
        return new StreamChunk.Done(usage, OpenAiWire.finishReason(finishReason, !calls.isEmpty()));
    }

    private void onToolCallDelta(int index, JsonNode tc, List<StreamChunk> out) {
        Call call = calls.computeIfAbsent(index, i -> new Call());
        if (call.ended) {
            return;
        }
        String id = OpenAiWire.textOf(tc.get("id"));
        if (!call.started && id != null && !id.isEmpty()) {
            call.id = id;
        }
        JsonNode fn = tc.path("function");
        String name = OpenAiWire.textOf(fn.get("name"));
        if (!call.started && name != null) {
            call.name += name;
        }
        JsonNode argsNode = fn.get("arguments");
        String args = argsNode == null || argsNode.isNull() ? "" : argsNode.isTextual() ? argsNode.asText()
                : argsNode.toString();
        if (!call.started) {
            call.pending.append(args);
            if (!call.name.isEmpty()) {
                start(index, call, out);
            }
        } else if (!args.isEmpty()) {
            out.add(new StreamChunk.ToolCallDelta(call.id, args));
        }
    }

    private void start(int index, Call call, List<StreamChunk> out) {
        if (call.id == null) {
            call.id = "call_" + index;
        }
        call.started = true;
        out.add(new StreamChunk.ToolCallStart(call.id, call.name));
        if (call.pending.length() > 0) {
            out.add(new StreamChunk.ToolCallDelta(call.id, call.pending.toString()));
            call.pending.setLength(0);
        }
    }

    @Override
    protected void closeOpenCalls(List<StreamChunk> out) {
        for (Map.Entry<Integer, Call> e : calls.entrySet()) {
            Call call = e.getValue();
            if (call.ended) {
                continue;
            }
            if (!call.started) {
                start(e.getKey(), call, out);
            }
            call.ended = true;
            out.add(new StreamChunk.ToolCallEnd(call.id));
        }
    }
}

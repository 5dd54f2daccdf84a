package dev.tether.agent;

import dev.tether.provider.CompletionResponse;
import dev.tether.provider.FinishReason;
import dev.tether.provider.ProviderException;
import dev.tether.provider.StreamChunk;
import dev.tether.session.ContentPart;
import dev.tether.session.Message;
import dev.tether.session.Role;
import dev.tether.session.Usage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Accumulates the chunks of one streaming attempt into a {@link CompletionResponse} (spec §11.2): parts ordered
 * thinking, text, tool calls in order of appearance. Enforces the per-step memory guards of §3.8.
 */
final class StreamAccumulator {

    static final long MAX_TEXT_BYTES = 64L * 1024 * 1024;
    static final long MAX_ARGUMENT_BYTES = 16L * 1024 * 1024;

    private final StringBuilder text = new StringBuilder();
    private final StringBuilder thinking = new StringBuilder();
    private String signature;
    private final Map<String, OpenCall> calls = new LinkedHashMap<>();
    private long textBytes;
    private long argumentBytes;
    private boolean done;
    private Usage usage;
    private FinishReason finishReason;
    private int chunks;

    private static final class OpenCall {
        final String id;
        final String name;
        final StringBuilder arguments = new StringBuilder();

        OpenCall(String id, String name) {
            this.id = id;
            this.name = name;
        }
    }

    /** What a chunk changed, so the caller can emit the matching event. */
    enum Change { NONE, TEXT, THINKING }

    Change accept(StreamChunk chunk) {
        chunks++;
        if (chunk instanceof StreamChunk.Text t) {
            textBytes += utf8(t.delta());
            if (textBytes > MAX_TEXT_BYTES) {
                throw guard("streamed text exceeds 64 MiB");
            }
            text.append(t.delta() == null ? "" : t.delta());
            return Change.TEXT;
        }
        if (chunk instanceof StreamChunk.Thinking t) {
            textBytes += utf8(t.delta());
            if (textBytes > MAX_TEXT_BYTES) {
                throw guard("streamed reasoning exceeds 64 MiB");
            }
            thinking.append(t.delta() == null ? "" : t.delta());
            if (t.signature() != null) {
                signature = signature == null ? t.signature() : signature + t.signature();
            }
            return Change.THINKING;
        }
        if (chunk instanceof StreamChunk.ToolCallStart s) {
            String id = s.id() == null || s.id().isBlank() ? "call_" + UUID.randomUUID() : s.id();
            calls.putIfAbsent(id, new OpenCall(id, s.name()));
            return Change.NONE;
        }
        if (chunk instanceof StreamChunk.ToolCallDelta d) {
            OpenCall call = d.id() == null ? null : calls.get(d.id());
            if (call == null) {
                call = lastCall();
            }
            if (call != null && d.argumentsDelta() != null) {
                argumentBytes += utf8(d.argumentsDelta());
                if (argumentBytes > MAX_ARGUMENT_BYTES) {
                    throw guard("streamed tool-call arguments exceed 16 MiB");
                }
                call.arguments.append(d.argumentsDelta());
            }
            return Change.NONE;
        }
        if (chunk instanceof StreamChunk.Done d) {
            done = true;
            usage = d.usage();
            finishReason = d.finishReason();
            return Change.NONE;
        }
        // keep-alives, the start marker and call ends change nothing; the first two do not count as content
        if (chunk instanceof StreamChunk.KeepAlive || chunk instanceof StreamChunk.Started) {
            chunks--;
        }
        return Change.NONE;
    }

    private OpenCall lastCall() {
        OpenCall last = null;
        for (OpenCall c : calls.values()) {
            last = c;
        }
        return last;
    }

    private static ProviderException guard(String message) {
        return new ProviderException(ProviderException.Kind.FATAL, 0, "stream_guard", message, null, null);
    }

    private static long utf8(String s) {
        return s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
    }

    boolean isDone() {
        return done;
    }

    /** Whether any content chunk arrived (keep-alives do not count). */
    boolean hasChunks() {
        return chunks > 0;
    }

    String text() {
        return text.toString();
    }

    String thinking() {
        return thinking.toString();
    }

    CompletionResponse toResponse() {
        return assemble(thinking.toString(), signature, text.toString(), calls.values().stream()
                .map(c -> new ContentPart.ToolCall(c.id, c.name, c.arguments.toString())).toList(), usage, finishReason);
    }

    /**
     * Builds the assistant message of a step (§2.3, §3.3 step 5): thinking, text, then tool calls; calls without an id
     * get {@code call_<uuid>}; blank arguments become {@code {}}.
     */
    static CompletionResponse assemble(String thinking, String signature, String text, List<ContentPart.ToolCall> calls,
                                       Usage usage, FinishReason finishReason) {
        List<ContentPart> parts = new ArrayList<>();
        if (thinking != null && !thinking.isEmpty()) {
            parts.add(new ContentPart.Thinking(thinking, signature));
        }
        if (text != null && !text.isEmpty()) {
            parts.add(new ContentPart.Text(text));
        }
        for (ContentPart.ToolCall c : calls) {
            String id = c.id() == null || c.id().isBlank() ? "call_" + UUID.randomUUID() : c.id();
            String args = c.arguments() == null || c.arguments().isBlank() ? "{}" : c.arguments();
            parts.add(new ContentPart.ToolCall(id, c.name(), args));
        }
        return new CompletionResponse(new Message(Role.ASSISTANT, parts), usage, finishReason);
    }

    /** An empty response: no text, no thinking, no tool calls (retryable unless cut off at max_tokens, §3.7). */
    static boolean isEmpty(CompletionResponse response) {
        for (ContentPart p : response.message().content()) {
            if (p instanceof ContentPart.Text t && !t.text().isBlank()) {
                return false;
            }
            if (p instanceof ContentPart.Thinking t && !t.text().isBlank()) {
                return false;
            }
            if (p instanceof ContentPart.ToolCall) {
                return false;
            }
        }
        return true;
    }
}

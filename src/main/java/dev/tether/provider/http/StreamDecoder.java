package dev.tether.provider.http;

import dev.tether.provider.StreamChunk;
import java.util.List;

/** Turns the SSE events of one streamed answer into {@link StreamChunk}s. One decoder per stream attempt. */
public interface StreamDecoder {

    /** The chunks of one event; throws a classified {@code ProviderException} for an error event. */
    List<StreamChunk> onEvent(SseEvent event);

    /**
     * The body ended cleanly (after the end marker or without it). Without the marker, an answer whose stop reason
     * already arrived (OpenAI {@code finish_reason}, Anthropic {@code message_delta.stop_reason}) is complete: the
     * chunks that close it, ending with {@code Done} (spec §3.8). Otherwise none: the caller sees a premature end.
     */
    List<StreamChunk> onEnd();
}

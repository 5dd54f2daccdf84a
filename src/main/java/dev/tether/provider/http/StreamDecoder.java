package dev.tether.provider.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.provider.ProviderException;
import dev.tether.provider.StreamChunk;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the SSE events of one streamed answer into {@link StreamChunk}s. What every wire format shares lives here:
 * comments are keep-alives, nothing follows {@code Done}, a clean end of the body after the stop reason completes the
 * answer, and an unreadable event is a retryable failure. One decoder per stream attempt.
 */
public abstract class StreamDecoder {

    protected final ObjectMapper json;
    protected final String provider;
    private boolean done;

    protected StreamDecoder(ObjectMapper json, String provider) {
        this.json = json;
        this.provider = provider;
    }

    /** The chunks of one event; throws a classified {@code ProviderException} for an error event. */
    public final List<StreamChunk> onEvent(SseEvent event) {
        List<StreamChunk> out = new ArrayList<>();
        if (done) {
            return out;
        }
        if (event.comment()) {
            out.add(new StreamChunk.KeepAlive());
            return out;
        }
        decode(event, out);
        return out;
    }

    /**
     * The body ended cleanly (after the end marker or without it). Without the marker, an answer whose stop reason
     * already arrived (OpenAI {@code finish_reason}, Anthropic {@code message_delta.stop_reason}) is complete: the
     * chunks that close it, ending with {@code Done} (spec §3.8). Otherwise none: the caller sees a premature end.
     */
    public final List<StreamChunk> onEnd() {
        List<StreamChunk> out = new ArrayList<>();
        if (!done && stopReasonArrived()) {
            finish(out);
        }
        return out;
    }

    /** Adds the chunks of one event (not a comment) that arrived before {@code Done}. */
    protected abstract void decode(SseEvent event, List<StreamChunk> out);

    /** Whether the model already said why it stopped. */
    protected abstract boolean stopReasonArrived();

    /** Adds a {@code ToolCallEnd} for every call still open. */
    protected abstract void closeOpenCalls(List<StreamChunk> out);

    /** The final chunk: usage and finish reason gathered so far. */
    protected abstract StreamChunk.Done doneChunk();

    /** Closes the answer: open calls closed, then {@code Done}; later events are ignored. */
    protected final void finish(List<StreamChunk> out) {
        closeOpenCalls(out);
        done = true;
        out.add(doneChunk());
    }

    /** An event's JSON data; unreadable data is a retryable failure (the stream is restarted). */
    protected final JsonNode parse(String data) {
        try {
            return json.readTree(data);
        } catch (IOException e) {
            throw new ProviderException(ProviderException.Kind.RETRYABLE, 0, null,
                    provider + ": malformed stream event", null, e);
        }
    }
}

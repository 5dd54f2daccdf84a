package dev.tether.provider;

import dev.tether.session.Usage;

/** One piece of a streamed completion (spec §11.2). Providers emit these; the loop accumulates them. */
public sealed interface StreamChunk {

    /**
     * The response status was 2xx: the stream has started (spec §3.8). First of a stream; carries no content and
     * resets the idle timer. A retryable failure after it restarts the stream instead of retrying the request.
     */
    record Started() implements StreamChunk {
    }

    /** Resets the idle timer only. */
    record KeepAlive() implements StreamChunk {
    }

    /** A text delta. */
    record Text(String delta) implements StreamChunk {
    }

    /** A reasoning delta; {@code signature} is set when the provider sends one. */
    record Thinking(String delta, String signature) implements StreamChunk {
    }

    /** Opens a tool call, in order of appearance. */
    record ToolCallStart(String id, String name) implements StreamChunk {
    }

    /** Appends to the arguments of an open call. */
    record ToolCallDelta(String id, String argumentsDelta) implements StreamChunk {
    }

    /** Closes a call; calls still open at {@link Done} are closed then. */
    record ToolCallEnd(String id) implements StreamChunk {
    }

    /** Completes the response; usage is null when the provider reported none. */
    record Done(Usage usage, FinishReason finishReason) implements StreamChunk {
    }
}

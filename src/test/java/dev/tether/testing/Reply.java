package dev.tether.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One scripted answer of {@link FakeLlmServer}: a model {@link Turn} (rendered in the wire format of the request's
 * path, streamed when the request says {@code "stream": true}), an HTTP {@link Error}, a connection {@link Reset}
 * before any byte, a {@link Hang} (nothing sent until released or closed), or a {@link Raw} body sent as is.
 */
public sealed interface Reply permits Reply.Turn, Reply.Error, Reply.Reset, Reply.Hang, Reply.Raw {

    /** An empty model turn to build on. */
    static Turn turn() {
        return new Turn();
    }

    /** A turn answering text; each argument is streamed as its own delta. */
    static Turn text(String... deltas) {
        return new Turn().text(deltas);
    }

    /** A turn making one tool call whose arguments are streamed in the given pieces. */
    static Turn toolCall(String id, String name, String... argumentDeltas) {
        return new Turn().toolCall(id, name, argumentDeltas);
    }

    /**
     * An HTTP error with the vendor's JSON error body: OpenAI {@code {"error":{message,type,code,param}}},
     * Anthropic {@code {"type":"error","error":{type,message}}}.
     */
    static Error error(int status, String type, String message) {
        return new Error(status, type, message);
    }

    /** The connection is reset (TCP RST) after the request was read, before any response byte. */
    static Reset reset() {
        return new Reset();
    }

    /** Nothing is sent, not even a status line, until {@link FakeLlmServer#releaseStalls()} or close. */
    static Hang hang() {
        return new Hang();
    }

    /** A body sent verbatim with the given status and content type (e.g. an SSE fixture). */
    static Raw raw(int status, String contentType, String body) {
        return new Raw(status, contentType, body);
    }

    /** One piece of a turn, in order. */
    sealed interface Segment permits Thinking, Text, ToolCall, KeepAlive {
    }

    record Thinking(List<String> deltas, String signature) implements Segment {
    }

    record Text(List<String> deltas) implements Segment {
    }

    record ToolCall(String id, String name, List<String> argumentDeltas) implements Segment {
        public String arguments() {
            return String.join("", argumentDeltas);
        }
    }

    record KeepAlive() implements Segment {
    }

    /** Where a streamed turn stops short. */
    enum FaultKind { STALL, END_EARLY, RESET, ERROR_EVENT, NON_JSON }

    /**
     * A model turn. Builder methods mutate and return this. Usage is given in the normalised meaning of spec §2.4
     * (prompt tokens include cache reads and writes); the Anthropic rendering subtracts the cache counts from
     * {@code input_tokens} as the real API does. Finish reasons are neutral ({@code stop}, {@code length},
     * {@code tool_calls}, {@code content_filter}) and mapped per wire ({@code end_turn}, {@code max_tokens},
     * {@code tool_use}, {@code refusal}); any other value is sent as is. The default is {@code tool_calls} when the turn
     * has tool calls, else {@code stop}.
     */
    final class Turn implements Reply {
        final List<Segment> segments = new ArrayList<>();
        Long promptTokens;
        Long completionTokens;
        Long cacheRead;
        Long cacheWrite;
        String finish;
        boolean interleave;
        Duration chunkDelay = Duration.ZERO;
        FaultKind fault;
        int faultAfter;
        String errorType;
        String errorMessage;

        /** Reasoning, streamed in the given deltas (OpenAI: {@code reasoning_content}; Anthropic: a thinking block). */
        public Turn thinking(String... deltas) {
            segments.add(new Thinking(List.of(deltas), null));
            return this;
        }

        /** Reasoning with an Anthropic signature ({@code signature_delta}; not rendered for OpenAI). */
        public Turn thinkingSigned(String signature, String... deltas) {
            segments.add(new Thinking(List.of(deltas), signature));
            return this;
        }

        /** Text, streamed in the given deltas. */
        public Turn text(String... deltas) {
            segments.add(new Text(List.of(deltas)));
            return this;
        }

        /** A tool call; its arguments JSON text is streamed in the given pieces (they are concatenated). */
        public Turn toolCall(String id, String name, String... argumentDeltas) {
            segments.add(new ToolCall(id, name, List.of(argumentDeltas)));
            return this;
        }

        /** A keep-alive at this point: Anthropic {@code ping} event, OpenAI SSE comment line. */
        public Turn keepAlive() {
            segments.add(new KeepAlive());
            return this;
        }

        /**
         * OpenAI only: open all tool calls first, then send their argument deltas round-robin, so parallel calls
         * interleave and must be assembled by {@code index}.
         */
        public Turn interleaveToolCalls() {
            interleave = true;
            return this;
        }

        public Turn usage(long prompt, long completion) {
            return usage(prompt, completion, null, null);
        }

        /** Usage with cache counts (null = not reported); {@code prompt} includes the cached tokens. */
        public Turn usage(long prompt, long completion, Long cacheRead, Long cacheWrite) {
            this.promptTokens = prompt;
            this.completionTokens = completion;
            this.cacheRead = cacheRead;
            this.cacheWrite = cacheWrite;
            return this;
        }

        public Turn finish(String reason) {
            this.finish = reason;
            return this;
        }

        /** A pause before every streamed frame. */
        public Turn chunkDelay(Duration delay) {
            this.chunkDelay = delay;
            return this;
        }

        /**
         * Streams up to and including the {@code n}-th content delta (text, thinking, tool-call start or argument
         * piece; 0 = only the preamble such as the role chunk or {@code message_start}), then sends nothing until
         * {@link FakeLlmServer#releaseStalls()} (then the rest follows) or until the client closes the connection.
         * Non-streamed requests stall before the status line.
         */
        public Turn stallAfter(int n) {
            return fault(FaultKind.STALL, n);
        }

        /**
         * Streams up to the {@code n}-th content delta, then ends the response cleanly without the end marker
         * ({@code [DONE]} / {@code message_stop}). A large {@code n} sends everything but the marker. Non-streamed
         * requests get a truncated body and a closed connection.
         */
        public Turn endEarlyAfter(int n) {
            return fault(FaultKind.END_EARLY, n);
        }

        /** Streams up to the {@code n}-th content delta, then resets the connection (RST). */
        public Turn resetAfter(int n) {
            return fault(FaultKind.RESET, n);
        }

        /**
         * Streams up to the {@code n}-th content delta, then an in-stream error (Anthropic {@code event: error},
         * OpenAI {@code data: {"error":{...}}}) and ends the stream. Non-streamed requests get a 500 with that body.
         */
        public Turn errorEventAfter(int n, String type, String message) {
            this.errorType = type;
            this.errorMessage = message;
            return fault(FaultKind.ERROR_EVENT, n);
        }

        /**
         * Streams up to the {@code n}-th content delta, then a {@code data:} line that is not JSON, then the rest of
         * the answer. Non-streamed requests get a 200 whose body is not JSON.
         */
        public Turn nonJsonAfter(int n) {
            return fault(FaultKind.NON_JSON, n);
        }

        private Turn fault(FaultKind kind, int n) {
            this.fault = kind;
            this.faultAfter = n;
            return this;
        }

        public List<Segment> segments() {
            return Collections.unmodifiableList(segments);
        }

        boolean hasToolCalls() {
            return segments.stream().anyMatch(ToolCall.class::isInstance);
        }

        /** The neutral finish reason in effect. */
        String finishReason() {
            return finish != null ? finish : hasToolCalls() ? "tool_calls" : "stop";
        }
    }

    /** An HTTP error answer; see {@link Reply#error}. */
    final class Error implements Reply {
        final int status;
        final String type;
        final String message;
        String code;
        Double bodyRetryAfter;
        String rawBody;
        final Map<String, String> headers = new LinkedHashMap<>();

        Error(int status, String type, String message) {
            this.status = status;
            this.type = type;
            this.message = message;
        }

        /** The OpenAI {@code error.code} (e.g. {@code context_length_exceeded}). */
        public Error code(String code) {
            this.code = code;
            return this;
        }

        /** A {@code Retry-After} header, verbatim: seconds ({@code "7"}) or an HTTP date. */
        public Error retryAfter(String value) {
            headers.put("Retry-After", value);
            return this;
        }

        /** A {@code retry-after-ms} header. */
        public Error retryAfterMs(long millis) {
            headers.put("retry-after-ms", Long.toString(millis));
            return this;
        }

        /** A vendor {@code retry_after} field (seconds) inside the error object. */
        public Error retryAfterInBody(double seconds) {
            this.bodyRetryAfter = seconds;
            return this;
        }

        public Error header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        /** Replaces the JSON error body with this text. */
        public Error body(String raw) {
            this.rawBody = raw;
            return this;
        }
    }

    /** See {@link Reply#reset()}. */
    final class Reset implements Reply {
    }

    /** See {@link Reply#hang()}. */
    final class Hang implements Reply {
    }

    /** See {@link Reply#raw}. */
    record Raw(int status, String contentType, String body) implements Reply {
    }
}

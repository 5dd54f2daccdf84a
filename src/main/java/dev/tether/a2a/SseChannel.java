package dev.tether.a2a;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Streams A2A events as server-sent events (A2A 0.3 §7.2): each a {@code data:} line holding a JSON-RPC response
 * whose {@code result} is the event and whose {@code id} is the request's; a failure ends the stream with one
 * JSON-RPC error response. A keep-alive comment every {@code tether.events.keep-alive}. A client that goes away
 * cancels the subscription (the turn itself goes on, as with {@code POST /prompt}).
 */
record SseChannel(ObjectMapper mapper, Duration keepAlive) {

    private static final String END = "";

    void send(HttpServerResponse response, JsonNode id, Multi<StreamEvent> events) {
        response.setStatusCode(200).setChunked(true)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
        Multi<String> frames = events.map(e -> data(new JsonRpc.Result(id, e)))
                .onFailure().recoverWithItem(f -> data(new JsonRpc.Failure(id, Errors.of(f))))
                .onCompletion().continueWith(END);
        Multi<String> ticks = Multi.createFrom().ticks().every(keepAlive).onOverflow().drop().map(t -> ": keep-alive\n\n");
        // the handler is set first: a short stream may have ended the response by the time subscribe returns
        AtomicReference<Cancellable> subscription = new AtomicReference<>();
        response.closeHandler(closed -> cancel(subscription.get()));
        subscription.set(Multi.createBy().merging().streams(frames, ticks)
                .select().first(f -> !END.equals(f))
                .subscribe().with(frame -> write(response, frame), failure -> end(response), () -> end(response)));
        if (response.closed()) {
            cancel(subscription.get());
        }
    }

    private static void cancel(Cancellable subscription) {
        if (subscription != null) {
            subscription.cancel();
        }
    }

    private String data(Object value) {
        try {
            return "data: " + mapper.writeValueAsString(value) + "\n\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an A2A event", e);
        }
    }

    private static void write(HttpServerResponse response, String frame) {
        if (!response.ended() && !response.closed()) {
            response.write(frame);
        }
    }

    private static void end(HttpServerResponse response) {
        if (!response.ended() && !response.closed()) {
            response.end();
        }
    }
}

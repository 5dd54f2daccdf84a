package dev.tether.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.UncheckedIOException;

/**
 * Writes a {@link Problem} as a whole Vert.x response, for the errors answered below the REST layer (the HTTP gate,
 * route failures, malformed HTTP). Resource errors leave through {@link ProblemMapper} instead.
 */
@ApplicationScoped
public class ProblemWriter {

    /** How long, and how many bytes, an unread request body is drained after a closing answer. */
    static final long LINGER_MILLIS = 2_000;
    static final long LINGER_BYTES = 4L << 20;

    private final ObjectMapper json;
    private final Vertx vertx;

    public ProblemWriter(ObjectMapper json, Vertx vertx) {
        this.json = json;
        this.vertx = vertx;
    }

    /**
     * Answers {@code problem}. With {@code close} the HTTP/1 connection is closed after the answer: the rest of the
     * request (an unread body, bytes after a malformed head) is then never parsed as a next request. A body still
     * arriving is drained first for a moment (a lingering close): closing a socket with unread input resets the
     * connection, and the reset can destroy the answer before the client has read it.
     */
    public void send(HttpServerRequest request, Problem problem, boolean close) {
        HttpServerResponse response = request.response();
        if (response.ended() || response.closed()) {
            return;
        }
        if (response.headWritten()) {
            // a streamed answer already started: cutting it is the only signal left
            response.reset();
            return;
        }
        boolean closeAfter = close && request.version() != HttpVersion.HTTP_2;
        response.setStatusCode(problem.status()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        if (closeAfter) {
            response.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
        }
        response.end(Buffer.buffer(bytes(problem))).onComplete(done -> {
            if (!closeAfter) {
                return;
            }
            boolean headInvalid = request.decoderResult() != null && request.decoderResult().isFailure();
            if (request.isEnded() || headInvalid || done.failed()) {
                request.connection().close();
            } else {
                lingerThenClose(request);
            }
        });
    }

    private void lingerThenClose(HttpServerRequest request) {
        long timer = vertx.setTimer(LINGER_MILLIS, t -> request.connection().close());
        long[] drained = {0};
        Runnable close = () -> {
            vertx.cancelTimer(timer);
            request.connection().close();
        };
        request.handler(chunk -> {
            drained[0] += chunk.length();
            if (drained[0] > LINGER_BYTES) {
                close.run();
            }
        });
        request.endHandler(end -> close.run());
        request.exceptionHandler(e -> vertx.cancelTimer(timer));
        request.resume();
    }

    /**
     * Whether a body may still be on its way: declared by {@code Content-Length} or chunked, and not read to its end.
     * Answering such a request early must close the connection, or its body would be parsed as the next request.
     */
    static boolean bodyPending(HttpServerRequest request) {
        if (request.isEnded()) {
            return false;
        }
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        return request.headers().contains(HttpHeaders.TRANSFER_ENCODING) || length != null && !"0".equals(length.trim());
    }

    /** 401 with {@code WWW-Authenticate: Bearer}. */
    public void sendUnauthorized(HttpServerRequest request, String instance, boolean close) {
        request.response().putHeader("WWW-Authenticate", "Bearer");
        send(request, Problem.ofStatus(401, "Missing or invalid bearer token", instance), close);
    }

    private byte[] bytes(Problem problem) {
        try {
            return json.writeValueAsBytes(problem);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}

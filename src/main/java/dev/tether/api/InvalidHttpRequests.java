package dev.tether.api;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.quarkus.vertx.VertxOptionsCustomizer;
import io.quarkus.vertx.http.runtime.VertxHttpRecorder;
import io.vertx.core.Context;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.HttpServerConnection;
import io.vertx.core.spi.VertxTracerFactory;
import io.vertx.core.spi.tracing.SpanKind;
import io.vertx.core.spi.tracing.TagExtractor;
import io.vertx.core.spi.tracing.VertxTracer;
import io.vertx.core.tracing.TracingOptions;
import io.vertx.core.tracing.TracingPolicy;
import jakarta.inject.Singleton;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Problem responses for requests rejected before any route runs, which would otherwise get a bare status with an
 * empty body:
 * <ul>
 * <li>heads the HTTP/1 decoder rejects: a request line over {@code quarkus.http.limits.max-initial-line-length}
 * (414), headers over {@code max-header-size} (431), malformed heads such as a NUL in a header or
 * {@code Content-Length: abc} (400). Vert.x answers these through the server's {@code invalidRequestHandler}, and
 * Quarkus creates the server without exposing it;</li>
 * <li>request targets Quarkus' root handler refuses before routing (it answers 400 to anything
 * {@link URI} cannot parse, such as {@code %zz} or a backslash), and targets {@link RequestSyntax} refuses.</li>
 * </ul>
 *
 * <p>The one place that sees such a request before it is dispatched is the Vert.x tracer SPI: Vert.x reports each
 * request to the tracer, then reads the connection's handler and dispatches. So this customizer installs a tracer
 * that does no tracing (it delegates to a tracer configured before it, if any) and, for a request it must answer,
 * points that connection's handler at {@link #answer} (which closes the connection; requests already pipelined behind
 * it go on to Quarkus' root handler). A Vert.x without that internal connection type keeps the default answers;
 * {@code MalformedHttpTest} notices.
 */
@Singleton
public record InvalidHttpRequests(ProblemWriter problems, AccessPolicy access) implements VertxOptionsCustomizer {

    @Override
    public void accept(VertxOptions options) {
        TracingOptions tracing = options.getTracingOptions() == null ? new TracingOptions()
                : options.getTracingOptions();
        VertxTracerFactory delegate = tracing.getFactory();
        tracing.setFactory(o -> new Hook(delegate == null ? VertxTracer.NOOP : delegate.tracer(o), this));
        options.setTracingOptions(tracing);
    }

    /** Whether the request must be answered here rather than dispatched to Quarkus. */
    static boolean rejected(HttpServerRequest request) {
        DecoderResult result = request.decoderResult();
        return result != null && result.isFailure() || !RequestSyntax.wellFormedTarget(request.uri())
                || !parsesAsUri(request.uri());
    }

    private static boolean parsesAsUri(String target) {
        try {
            new URI(target);
            return true;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    void answer(HttpServerRequest request) {
        if (!rejected(request)) {
            VertxHttpRecorder.getRootHandler().handle(request);
            return;
        }
        Throwable cause = request.decoderResult() == null ? null : request.decoderResult().cause();
        Problem problem;
        if (cause == null) {
            // the head is fine, the target is not: it is in no allow-list, so without the token the answer is 401
            if (!access.allows(request)) {
                problems.sendUnauthorized(request, null, true);
                return;
            }
            problem = Problem.ofStatus(400, RequestSyntax.MALFORMED_TARGET, null);
        } else if (cause instanceof TooLongHttpLineException) {
            problem = Problem.ofStatus(414, "The request line is longer than the server accepts", null);
        } else if (cause instanceof TooLongHttpHeaderException) {
            problem = Problem.ofStatus(431, "The request headers are larger than the server accepts", null);
        } else {
            problem = Problem.ofStatus(400, "Malformed HTTP request: invalid request line, header or framing", null);
        }
        problems.send(request, problem, true);
    }

    /** A pass-through tracer that hands the requests {@link #rejected} names to {@link #answer}. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private record Hook(VertxTracer delegate, InvalidHttpRequests target) implements VertxTracer<Object, Object> {

        @Override
        public <R> Object receiveRequest(Context context, SpanKind kind, TracingPolicy policy, R request,
                                         String operation, Iterable<Map.Entry<String, String>> headers,
                                         TagExtractor<R> tagExtractor) {
            if (request instanceof HttpServerRequest r && rejected(r)
                    && r.connection() instanceof HttpServerConnection connection) {
                connection.invalidRequestHandler(target::answer);
                connection.handler(target::answer);
            }
            return delegate.receiveRequest(context, kind, policy, request, operation, headers, tagExtractor);
        }

        @Override
        public <R> void sendResponse(Context context, R response, Object payload, Throwable failure,
                                     TagExtractor<R> tagExtractor) {
            delegate.sendResponse(context, response, payload, failure, tagExtractor);
        }

        @Override
        public <R> Object sendRequest(Context context, SpanKind kind, TracingPolicy policy, R request,
                                      String operation, BiConsumer<String, String> headers,
                                      TagExtractor<R> tagExtractor) {
            return delegate.sendRequest(context, kind, policy, request, operation, headers, tagExtractor);
        }

        @Override
        public <R> void receiveResponse(Context context, R response, Object payload, Throwable failure,
                                        TagExtractor<R> tagExtractor) {
            delegate.receiveResponse(context, response, payload, failure, tagExtractor);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}

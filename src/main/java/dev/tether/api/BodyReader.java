package dev.tether.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Reads a request body into the routing context, where the REST layer takes it from ({@code RoutingContext#getBody}),
 * under {@code quarkus.http.limits.max-body-size}. A body that goes over the limit fails the route with 413, one
 * whose framing breaks (a bad chunk size) with 400, a client that goes away with its disconnect; {@link RouteFailures}
 * turns each into a problem. Without this, a chunked body over the limit got an empty 413 from the REST layer.
 */
final class BodyReader {

    private final long limit;

    BodyReader(long limit) {
        this.limit = limit;
    }

    @SuppressWarnings("deprecation") // setBody is what RoutingContext#getBody, read by the REST layer, returns
    void read(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (request.isEnded()) {
            ctx.next();
            return;
        }
        Buffer body = Buffer.buffer();
        boolean[] failed = {false};
        request.handler(chunk -> {
            if (failed[0]) {
                return;
            }
            if (body.length() + (long) chunk.length() > limit) {
                failed[0] = true;
                ctx.fail(413);
                return;
            }
            body.appendBuffer(chunk);
        });
        request.exceptionHandler(e -> {
            if (!failed[0]) {
                failed[0] = true;
                if (Disconnects.isDisconnect(e)) {
                    ctx.fail(e);
                } else {
                    ctx.fail(400, e);
                }
            }
        });
        request.endHandler(end -> {
            if (!failed[0]) {
                ctx.setBody(body);
                ctx.next();
            }
        });
        if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
            ctx.response().writeContinue();
        }
        request.resume();
    }
}

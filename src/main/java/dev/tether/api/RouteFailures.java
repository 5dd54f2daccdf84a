package dev.tether.api;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * Failures of the HTTP router (a path Vert.x cannot decode, a body over the limit, an exception outside the REST
 * layer) and paths no route serves, as problem responses instead of Quarkus' empty or HTML bodies. A client that
 * went away is logged at DEBUG and not answered.
 */
@Singleton
public record RouteFailures(ProblemWriter problems, AccessPolicy access, long maxBodyBytes) {

    private static final Logger LOG = Logger.getLogger(RouteFailures.class);

    @Inject
    public RouteFailures(ProblemWriter problems, AccessPolicy access, Config config) {
        this(problems, access, HttpGate.maxBodyBytes(config));
    }

    static String tooLarge(long limit) {
        return "The request body is larger than the limit of " + limit + " bytes";
    }

    void handle(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        String path = ctx.request().path();
        if (failure != null && Disconnects.isDisconnect(failure)) {
            LOG.debugf("client went away during %s: %s", path, failure);
            return;
        }
        if (!access.allows(ctx.request())) {
            // failed before the gate ran (e.g. a path routing cannot take): the caller still only learns 401
            problems.sendUnauthorized(ctx.request(), null, true);
            return;
        }
        int status = failure instanceof HttpException h ? h.getStatusCode() : ctx.statusCode();
        if (status < 400 || status > 599) {
            status = 500;
        }
        if (status >= 500) {
            LOG.errorf(failure, "request %s failed with %d", path, status);
        }
        problems.send(ctx.request(), Problem.ofStatus(status, detail(status), status == 400 ? null : path),
                status == 413 || ProblemWriter.bodyPending(ctx.request()));
    }

    void notFound(RoutingContext ctx) {
        problems.send(ctx.request(), Problem.ofStatus(404, "No resource at this path", ctx.request().path()),
                ProblemWriter.bodyPending(ctx.request()));
    }

    private String detail(int status) {
        return switch (status) {
            case 400 -> "Malformed request: its target, headers or body framing cannot be decoded";
            case 404 -> "No resource at this path";
            case 413 -> tooLarge(maxBodyBytes);
            case 500 -> "Internal error; see the service log";
            default -> HttpResponseStatus.valueOf(status).reasonPhrase();
        };
    }
}

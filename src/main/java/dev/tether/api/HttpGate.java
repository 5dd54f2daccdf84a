package dev.tether.api;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.config.Config;

/**
 * The first route of the HTTP router, in front of every other one (REST resources, {@code /q/*}, static and dev
 * routes, unknown paths): requires the bearer token on every path {@link PublicPaths} does not name, then rejects
 * request heads no later layer could decode. Every rejection is a problem response. Running on the router, not as
 * a REST filter, means the check sees every request whatever path spelling routing later normalises.
 */
@ApplicationScoped
public class HttpGate {

    /** Before Quarkus' own handlers (body handler, upload limit, CORS, REST): only access-log and timing run earlier. */
    static final int ORDER = Integer.MIN_VALUE + 1;
    private static final long DEFAULT_MAX_BODY_BYTES = 10240 * 1024L;

    private final AccessPolicy access;
    private final long maxBodyBytes;
    private final ProblemWriter problems;
    private final RouteFailures failures;
    private final BodyReader bodies;

    @Inject
    public HttpGate(AccessPolicy access, Config quarkusConfig, ProblemWriter problems, RouteFailures failures) {
        this(access, maxBodyBytes(quarkusConfig), problems, failures);
    }

    HttpGate(AccessPolicy access, long maxBodyBytes, ProblemWriter problems, RouteFailures failures) {
        this.access = access;
        this.maxBodyBytes = maxBodyBytes;
        this.problems = problems;
        this.failures = failures;
        this.bodies = new BodyReader(maxBodyBytes);
    }

    /** {@code quarkus.http.limits.max-body-size}, which the REST layer enforces too. */
    static long maxBodyBytes(Config config) {
        return config.getOptionalValue("quarkus.http.limits.max-body-size", MemorySize.class)
                .map(MemorySize::asLongValue).orElse(DEFAULT_MAX_BODY_BYTES);
    }

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::check);
        router.route().order(ORDER).failureHandler(failures::handle);
        router.route().order(Integer.MAX_VALUE).handler(failures::notFound);
        // failures no failure route can take (a path Vert.x cannot decode matches no route)
        for (int status = 400; status < 600; status++) {
            router.errorHandler(status, failures::handle);
        }
    }

    private void check(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String path = request.path();
        boolean body = ProblemWriter.bodyPending(request);
        if (!access.allows(request)) {
            problems.sendUnauthorized(request, path, body);
            return;
        }
        if (!RequestSyntax.wellFormedTarget(request.uri())) {
            problems.send(request, Problem.ofStatus(400, RequestSyntax.MALFORMED_TARGET, null), body);
            return;
        }
        List<String> types = request.headers().getAll(HttpHeaders.CONTENT_TYPE);
        if (types.size() > 1 || types.size() == 1 && !RequestSyntax.validMediaType(types.get(0))) {
            problems.send(request, Problem.ofStatus(415, "Content-Type must be one media type, e.g. "
                    + "application/json", path), body);
            return;
        }
        long length = declaredLength(request);
        if (length > maxBodyBytes) {
            problems.send(request, Problem.ofStatus(413, RouteFailures.tooLarge(maxBodyBytes), path), true);
            return;
        }
        if ((length > 0 || request.headers().contains(HttpHeaders.TRANSFER_ENCODING)) && !isForm(types)) {
            // A chunked body has no length to check up front; read here under the limit (the REST layer takes the
            // body read here), so going over it fails the route as a 413 instead of an empty answer from below.
            bodies.read(ctx);
            return;
        }
        ctx.next();
    }

    /** Forms are no API input (the resources answer 415); they are not parsed here. */
    private static boolean isForm(List<String> types) {
        if (types.isEmpty()) {
            return false;
        }
        String type = types.get(0).toLowerCase(Locale.ROOT).strip();
        return type.startsWith("multipart/") || type.startsWith("application/x-www-form-urlencoded");
    }

    /** The declared Content-Length; -1 without one (the HTTP decoder has already rejected malformed values). */
    private static long declaredLength(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            return -1;
        }
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}

package dev.tether.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Requires {@code Authorization: Bearer <token>} on {@code /api/**} when a token is configured; answers 401 problem
 * otherwise. Runs before resource matching, so unauthenticated callers learn nothing about which paths exist.
 */
public class ApiAuthFilter {

    private final ApiAuth auth;

    public ApiAuthFilter(ApiAuth auth) {
        this.auth = auth;
    }

    @ServerRequestFilter(preMatching = true)
    public Response authenticate(ContainerRequestContext request) {
        if (!auth.required()) {
            return null;
        }
        String path = request.getUriInfo().getRequestUri().getRawPath();
        String p = path == null ? "" : path.replaceFirst("^/+", "");
        if (!(p.equals("api") || p.startsWith("api/"))) {
            return null;
        }
        if (auth.accepts(request.getHeaderString(HttpHeaders.AUTHORIZATION))) {
            return null;
        }
        Problem problem = Problem.of("unauthorized", 401, "Missing or invalid bearer token", path);
        return Response.status(401).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").type(Problem.MEDIA_TYPE)
                .entity(problem).build();
    }
}

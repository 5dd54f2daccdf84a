package dev.tether.api;

import dev.tether.config.TetherConfig;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Who may be answered: with a token configured, a request carrying it, or one for a {@link PublicPaths public path}.
 * The one decision behind every answer of the HTTP layer (the gate, route failures, malformed targets), so an
 * unauthenticated client learns nothing but 401 from any protected spelling.
 */
@Singleton
public record AccessPolicy(ApiAuth auth, boolean publicMetrics) {

    @Inject
    public AccessPolicy(ApiAuth auth, TetherConfig config) {
        this(auth, config.auth().publicMetrics());
    }

    boolean allows(HttpServerRequest request) {
        return !auth.required() || PublicPaths.isPublic(request.path(), publicMetrics)
                || auth.accepts(request.getHeader(HttpHeaders.AUTHORIZATION));
    }
}

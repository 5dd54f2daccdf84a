package dev.tether.api;

import java.util.regex.Pattern;

/**
 * The paths served without the bearer token: {@code /q/health} and below, the A2A agent card
 * ({@code /.well-known/agent-card.json}, exactly that spelling; spec §14.1), and with
 * {@code tether.auth.public-metrics} also {@code /q/metrics} and {@code /q/openapi}. The decision is made on the raw path and is default-deny: only the
 * plain spelling counts (letters, digits, {@code -}, {@code _}, single slashes), so no percent-encoding, dot segment,
 * matrix parameter, backslash or doubled slash can make a path look public to this check and protected to routing,
 * or the other way round. Any other spelling needs the token, whatever it routes to.
 */
final class PublicPaths {

    private static final Pattern HEALTH = Pattern.compile("/q/health(/[A-Za-z0-9_-]+)*/?");
    private static final Pattern METRICS = Pattern.compile("/q/(metrics|openapi|openapi\\.json|openapi\\.yaml|openapi\\.yml)/?");

    /** The A2A agent card: public so that clients can discover how to authenticate (§14.1). */
    static final String AGENT_CARD = "/.well-known/agent-card.json";

    private PublicPaths() {
    }

    /** Whether {@code rawPath} (as sent, not decoded) may be served without the token. */
    static boolean isPublic(String rawPath, boolean publicMetrics) {
        if (rawPath == null) {
            return false;
        }
        return HEALTH.matcher(rawPath).matches() || AGENT_CARD.equals(rawPath)
                || publicMetrics && METRICS.matcher(rawPath).matches();
    }
}

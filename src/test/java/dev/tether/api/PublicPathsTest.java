package dev.tether.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The allow-list is decided on the raw path and only its plain spelling counts (default deny). */
class PublicPathsTest {

    @Test
    void onlyThePlainHealthPathsArePublic() {
        for (String p : new String[] {"/q/health", "/q/health/", "/q/health/live", "/q/health/ready",
            "/q/health/started", "/q/health/group/x-1"}) {
            assertTrue(PublicPaths.isPublic(p, false), p);
        }
        for (String p : new String[] {"/q/health/../../api/sessions", "/q/health/%2e%2e/api", "/q/health;x/../api",
            "/q/health//live", "/q/health/./live", "/q/%68ealth", "/Q/health", "/q/healthz", "//q/health",
            "/q/health\\..\\api", "/q/metrics", "/q/openapi", "/api/sessions", "/", "", "*", "/q/health/live?x"}) {
            assertFalse(PublicPaths.isPublic(p, false), p);
        }
        assertFalse(PublicPaths.isPublic(null, true));
    }

    @Test
    void metricsAndOpenApiArePublicOnlyWhenConfigured() {
        for (String p : new String[] {"/q/metrics", "/q/metrics/", "/q/openapi", "/q/openapi.json", "/q/openapi.yaml"}) {
            assertTrue(PublicPaths.isPublic(p, true), p);
            assertFalse(PublicPaths.isPublic(p, false), p);
        }
        for (String p : new String[] {"/q/metrics/../../api/sessions", "/q/%6detrics", "/q/metrics;x", "/q/swagger-ui",
            "/q/openapi/../x", "/q/dev-ui"}) {
            assertFalse(PublicPaths.isPublic(p, true), p);
        }
    }

    @Test
    void theAgentCardIsPublicInExactlyOneSpelling() {
        assertTrue(PublicPaths.isPublic("/.well-known/agent-card.json", false));
        for (String p : new String[] {"/.well-known/agent-card.json/", "/.well-known/agent-card.json/../../a2a",
            "/.well-known/agent-card%2ejson", "/.well-known//agent-card.json", "/.well-known/./agent-card.json",
            "/.WELL-KNOWN/agent-card.json", "/.well-known/agent.json", "/.well-known/agent-card.json;x",
            "/a2a", "/.well-known/"}) {
            assertFalse(PublicPaths.isPublic(p, true), p);
        }
    }
}

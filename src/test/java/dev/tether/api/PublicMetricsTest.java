package dev.tether.api;

import static dev.tether.api.ProblemAssertions.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tether.testing.RawHttp;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code tether.auth.public-metrics=true} opens the plain {@code /q/metrics} and {@code /q/openapi}, nothing else. */
@QuarkusTest
@TestProfile(PublicMetricsTest.Profile.class)
class PublicMetricsTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tether.auth.token", TokenProfile.TOKEN, "tether.auth.public-metrics", "true");
        }
    }

    private static RawHttp.Response get(String target) throws Exception {
        return RawHttp.request(RestAssured.port, "GET", target, List.of(), null);
    }

    @Test
    void metricsAndOpenApiAnswerWithoutTheTokenAndTheApiStillNeedsIt() throws Exception {
        assertEquals(200, get("/q/metrics").status());
        assertEquals(200, get("/q/openapi").status());
        assertEquals(200, get("/q/health/live").status());
        for (String target : new String[] {"/api/sessions", "/%61pi/sessions", "/q/metrics/../../api/sessions",
            "/q/metrics/%2e%2e/%2e%2e/api/sessions", "/q/openapi/..;/..;/api/sessions", "/q/%6detrics",
            "/q/metrics;x=1", "/q/swagger-ui/index.html", "/nothing"}) {
            RawHttp.Response r = get(target);
            assertProblem(r, 401, target);
            assertEquals("Bearer", r.header("WWW-Authenticate"), target);
        }
        assertEquals(200, RawHttp.request(RestAssured.port, "GET", "/api/sessions",
                List.of(TokenProfile.AUTHORIZATION), null).status());
    }
}

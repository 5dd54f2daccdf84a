package dev.tether.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.testing.RawHttp;
import io.restassured.response.Response;
import java.io.IOException;

/** Checks that a response is an RFC 7807 problem of the service. */
final class ProblemAssertions {

    static final String TYPE_BASE = "https://tether.dev/problems/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ProblemAssertions() {
    }

    /** Whether {@code r} is {@code application/problem+json} with a parseable body whose type and status fit. */
    static boolean isProblem(RawHttp.Response r) {
        if (!"application/problem+json".equals(r.mediaType())) {
            return false;
        }
        try {
            JsonNode body = JSON.readTree(r.body());
            return body != null && body.path("type").asText().startsWith(TYPE_BASE)
                    && body.path("status").asInt() == r.status();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Asserts that a rest-assured response is a problem with the given status whose type ends with {@code typeSuffix}
     * (any type when null).
     */
    static void expectProblem(Response r, int status, String typeSuffix) {
        assertEquals(status, r.statusCode(), r.asString());
        assertEquals("application/problem+json", r.contentType());
        if (typeSuffix != null) {
            assertTrue(r.jsonPath().getString("type").endsWith(typeSuffix), r.asString());
        }
        assertEquals(status, r.jsonPath().getInt("status"));
    }

    /** Asserts a problem with the given status and returns its body. */
    static JsonNode assertProblem(RawHttp.Response r, int status, String context) {
        assertEquals(status, r.status(), context + " -> " + r.status() + " " + r.text());
        assertTrue(isProblem(r), context + " -> not a problem: " + r.headers() + " " + r.text());
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            return fail(e);
        }
    }
}

package dev.tether.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.testing.RawHttp;
import java.io.IOException;

/** Checks that a raw response is an RFC 7807 problem of the service. */
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

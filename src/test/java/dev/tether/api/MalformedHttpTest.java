package dev.tether.api;

import static dev.tether.api.ProblemAssertions.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tether.testing.RawHttp;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Errors made below the REST layer are problems too: what the HTTP decoder rejects (414, 431, 400 for a NUL in a
 * header or an unparsable Content-Length), what Quarkus' root handler rejects (a target {@code java.net.URI} cannot
 * parse), body limits (413, also for chunked bodies) and unparsable Content-Types (415, also on the prompt route).
 */
@QuarkusTest
@TestProfile(TokenProfile.class)
class MalformedHttpTest {

    private static final String AUTH = TokenProfile.AUTHORIZATION;

    private static RawHttp.Response raw(String text) throws Exception {
        return RawHttp.send(RestAssured.port, text.getBytes(StandardCharsets.UTF_8));
    }

    private static RawHttp.Response request(String method, String target, List<String> headers, String body)
            throws Exception {
        return RawHttp.request(RestAssured.port, method, target, headers,
                body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void decoderRejectionsAreProblems() throws Exception {
        assertProblem(raw("GET /api/sessions HTTP/1.1\r\nHost: x\r\n" + AUTH + "\r\nX-A: a\u0000b\r\n\r\n"), 400, "NUL");
        assertProblem(raw("POST /api/sessions HTTP/1.1\r\nHost: x\r\n" + AUTH + "\r\nContent-Length: abc\r\n\r\n"), 400,
                "Content-Length: abc");
        assertProblem(raw("GARBAGE\r\n\r\n"), 400, "request line");
        RawHttp.Response uri = raw("GET /api/sessions?q=" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals("https://tether.dev/problems/uri-too-long", assertProblem(uri, 414, "URI").path("type").asText());
        assertProblem(raw("GET /api/sessions HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(30_000) + "\r\n\r\n"), 431,
                "headers");
    }

    @Test
    void targetsTheRootHandlerCannotParseAreProblems() throws Exception {
        for (String target : new String[] {"/%zz", "/api/sessions?limit=%zz", "\\api\\sessions", "/api/sessions/a|b",
            "/api/sessions/%C3%28", "/api/sessions/%00"}) {
            JsonNode problem = assertProblem(request("GET", target, List.of(AUTH), null), 400, target);
            assertEquals("https://tether.dev/problems/invalid-request", problem.path("type").asText());
            // without the token they are one more spelling of a protected path
            assertProblem(request("GET", target, List.of(), null), 401, target + " without token");
        }
    }

    @Test
    void bodiesOverTheLimitAre413ProblemsNamingTheLimit() throws Exception {
        RawHttp.Response declared = raw("POST /api/sessions HTTP/1.1\r\nHost: x\r\n" + AUTH
                + "\r\nContent-Type: application/json\r\nContent-Length: 20000000\r\n\r\n{\"title\":\"");
        String limit = Long.toString(TokenProfile.MAX_BODY_BYTES);
        assertTrue(assertProblem(declared, 413, "Content-Length").path("detail").asText().contains(limit));
        RawHttp.Response chunked = RawHttp.send(RestAssured.port, RawRequests.chunkedOverflow(AUTH).bytes());
        assertTrue(assertProblem(chunked, 413, "chunked").path("detail").asText().contains(limit));
        // a chunked body under the limit is read as usual
        assertEquals(201, raw("POST /api/sessions HTTP/1.1\r\nHost: x\r\n" + AUTH + "\r\nConnection: close\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n").status());
    }

    @Test
    void unparsableContentTypesAre415Everywhere() throws Exception {
        String id = "no-such-session";
        for (String type : new String[] {"application/json, text/plain", "%%%", "application/", "json"}) {
            for (String target : new String[] {"/api/sessions/" + id + "/prompt", "/api/sessions", "/api/import/codex",
                "/api/sessions/" + id + "/abort"}) {
                RawHttp.Response r = request("POST", target, List.of(AUTH, "Content-Type: " + type, "Accept: "
                        + "text/event-stream"), "{\"message\":\"hi\"}");
                assertEquals("https://tether.dev/problems/unsupported-media-type",
                        assertProblem(r, 415, type + " " + target).path("type").asText());
            }
        }
    }

    @Test
    void unknownPathsAndMethodsAreProblems() throws Exception {
        assertProblem(request("GET", "/nothing/here", List.of(AUTH), null), 404, "unknown path");
        assertProblem(request("BREW", "/api/sessions", List.of(AUTH), null), 405, "unknown method");
        assertProblem(request("GET", "*", List.of(AUTH), null), 404, "asterisk");
    }
}

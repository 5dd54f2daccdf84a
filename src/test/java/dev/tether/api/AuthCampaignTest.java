package dev.tether.api;

import static dev.tether.api.ProblemAssertions.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.testing.RawHttp;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * With a token configured, every protected path (each {@code /api/**} route with its method, {@code /q/metrics},
 * {@code /q/openapi}, Swagger UI, dev routes and unknown paths) in 40+ spellings, sent raw over a socket so that no
 * client normalises them: without the token always a 401 problem with {@code WWW-Authenticate: Bearer}; with it the
 * answer of the plain spelling, or a 4xx problem for spellings that do not route. Health stays open.
 */
@QuarkusTest
@TestProfile(TokenProfile.class)
class AuthCampaignTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> TOKEN = List.of(TokenProfile.AUTHORIZATION, "Content-Type: application/json");
    private static final List<String> NO_TOKEN = List.of("Content-Type: application/json");
    private static final List<String> WRONG_TOKEN = List.of("Authorization: Bearer s3cre", "Content-Type: application/json");

    /** One protected route; {@code expected} is its status for the plain spelling with the token (0: not asserted). */
    private record Target(String method, String path, String query, String body, int expected) {
    }

    private int port;

    @BeforeEach
    void port() {
        port = RestAssured.port;
    }

    private RawHttp.Response send(String method, String target, List<String> headers, String body) throws Exception {
        return RawHttp.request(port, method, target, headers, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void healthIsOpenAndEverythingElseNeedsTheToken() throws Exception {
        assertEquals(200, send("GET", "/q/health/live", List.of(), null).status());
        assertEquals(200, send("GET", "/q/health/ready", List.of(), null).status());
        assertEquals(200, send("GET", "/q/health", List.of(), null).status());
        RawHttp.Response r = send("GET", "/api/sessions", List.of(), null);
        assertProblem(r, 401, "no token");
        assertEquals("Bearer", r.header("WWW-Authenticate"));
        assertProblem(send("GET", "/api/sessions", WRONG_TOKEN, null), 401, "wrong token");
        assertProblem(send("GET", "/api/sessions", List.of("Authorization: Basic czNjcmV0"), null), 401, "basic");
        assertEquals(200, send("GET", "/api/sessions", List.of("Authorization: bearer " + TokenProfile.TOKEN), null).status());
        assertProblem(send("GET", "/q/metrics", List.of(), null), 401, "metrics");
        assertProblem(send("GET", "/q/openapi", List.of(), null), 401, "openapi");
        assertProblem(send("GET", "/nothing-here", List.of(), null), 401, "unknown path");
        assertProblem(send("GET", "/nothing-here", TOKEN, null), 404, "unknown path with token");
    }

    @Test
    void noSpellingOfAProtectedPathSkipsTheToken() throws Exception {
        String victim = JSON.readTree(send("POST", "/api/sessions", TOKEN, "{\"title\":\"auth target\"}").body())
                .get("id").asText();
        String missing = "no-such-session-4f1c";
        List<Target> targets = List.of(
                new Target("GET", "/api/sessions", "", null, 200),
                new Target("POST", "/api/sessions", "", "{}", 201),
                new Target("GET", "/api/sessions/" + victim, "", null, 200),
                new Target("DELETE", "/api/sessions/" + missing, "", null, 404),
                new Target("POST", "/api/sessions/" + missing + "/prompt", "", "{\"message\":\"hi\"}", 404),
                new Target("POST", "/api/sessions/" + victim + "/abort", "", null, 200),
                new Target("GET", "/api/sessions/" + missing + "/events", "", null, 404),
                new Target("GET", "/api/sessions/" + victim + "/context", "", null, 200),
                new Target("POST", "/api/sessions/" + victim + "/compact", "?dry_run=true", null, 200),
                new Target("POST", "/api/import/codex", "", "{\"id\":\"" + missing + "\"}", 404),
                new Target("GET", "/q/metrics", "", null, 200),
                new Target("GET", "/q/openapi", "", null, 200),
                new Target("GET", "/q/swagger-ui/index.html", "", null, 0),
                new Target("GET", "/q/dev-ui/welcome", "", null, 0),
                new Target("GET", "/no/such/path", "", null, 404));
        int requests = 0;
        int sameAsPlain = 0;
        int otherProblem = 0;
        Map<Integer, Integer> withTokenStatuses = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        for (Target t : targets) {
            RawHttp.Response plain = send(t.method(), t.path() + t.query(), TOKEN, t.body());
            requests++;
            if (t.expected() != 0) {
                assertEquals(t.expected(), plain.status(), t.method() + " " + t.path() + ": " + plain.text());
            }
            assertTrue(plain.status() < 500 && plain.status() != 401, t.method() + " " + t.path() + " " + plain.status());
            List<String> spellings = AuthSpellings.of(t.path(), port);
            assertTrue(spellings.size() >= 30, t.path() + " has " + spellings.size() + " spellings");
            for (String spelling : spellings) {
                String target = spelling + (spelling.contains("?") || spelling.contains("#") ? "" : t.query());
                String what = t.method() + " " + target;
                RawHttp.Response anonymous = send(t.method(), target, NO_TOKEN, t.body());
                RawHttp.Response wrong = send(t.method(), target, WRONG_TOKEN, t.body());
                RawHttp.Response authed = send(t.method(), target, TOKEN, t.body());
                requests += 3;
                check(failures, what + " without token", anonymous.status() == 401 && ProblemAssertions.isProblem(anonymous)
                        && "Bearer".equals(anonymous.header("WWW-Authenticate")), anonymous);
                check(failures, what + " with a wrong token", wrong.status() == 401 && ProblemAssertions.isProblem(wrong),
                        wrong);
                withTokenStatuses.merge(authed.status(), 1, Integer::sum);
                if (authed.status() == plain.status()) {
                    sameAsPlain++;
                } else {
                    otherProblem++;
                    check(failures, what + " with token (plain spelling: " + plain.status() + ")",
                            authed.status() >= 400 && authed.status() < 500 && ProblemAssertions.isProblem(authed), authed);
                }
            }
        }
        System.out.printf("auth campaign: %d targets, %d requests; with the token %d spellings answered like the plain "
                + "one, %d with a 4xx problem; statuses with token %s%n", targets.size(), requests, sameAsPlain,
                otherProblem, withTokenStatuses);
        assertTrue(failures.isEmpty(), failures.size() + " failures:\n" + String.join("\n", failures));
    }

    private static void check(List<String> failures, String what, boolean ok, RawHttp.Response r) {
        if (!ok) {
            failures.add(what + " -> " + r.status() + " " + r.header("content-type") + " "
                    + r.text().substring(0, Math.min(160, r.text().length())));
        }
    }
}

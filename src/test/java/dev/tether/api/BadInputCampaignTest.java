package dev.tether.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.session.Message;
import dev.tether.session.Session;
import dev.tether.session.store.SessionStore;
import dev.tether.testing.RawHttp;
import dev.tether.testing.SessionFixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A seeded campaign of bad input over every endpoint (see {@link BadInputs}, {@link RawRequests}), sent raw over
 * sockets: no answer is a 5xx, every error answer is a parseable {@code application/problem+json} problem, the service
 * is healthy afterwards, and the stored session the campaign aims at is unchanged. Prints the figures.
 */
@QuarkusTest
@TestProfile(TokenProfile.class)
class BadInputCampaignTest {

    private static final long SEED = 20_261_202L;
    private static final int REQUESTS = 2_400;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    SessionStore store;

    @Test
    void badInputGetsProblemsNeverA5xxAndChangesNothingStored() throws Exception {
        int port = RestAssured.port;
        String victim = createVictim(port);
        Session before = store.load(victim);

        BadInputs inputs = new BadInputs(new Random(SEED), victim, TokenProfile.AUTHORIZATION);
        List<BadInputs.Request> requests = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            requests.add(inputs.next());
        }
        requests.add(RawRequests.chunkedOverflow(TokenProfile.AUTHORIZATION));
        requests.add(RawRequests.chunkedOverflow(TokenProfile.AUTHORIZATION));

        Map<Integer, Integer> statuses = new TreeMap<>();
        Map<String, Integer> categories = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        Map<String, Integer> closedBy = new TreeMap<>();
        long started = System.nanoTime();
        for (BadInputs.Request request : requests) {
            RawHttp.Response r;
            try {
                r = RawHttp.send(port, request.bytes());
            } catch (SocketTimeoutException e) {
                failures.add(request.category() + " " + request.summary() + " -> no answer within the read timeout");
                continue;
            }
            statuses.merge(r.status(), 1, Integer::sum);
            categories.merge(request.category(), 1, Integer::sum);
            String what = request.category() + " " + request.summary();
            if (r.status() == -1) {
                closedBy.merge(request.category(), 1, Integer::sum);
                if (!request.mayClose()) {
                    failures.add(what + " -> connection closed without an answer");
                }
            } else if (r.status() >= 500) {
                failures.add(what + " -> " + r.status() + " " + r.text());
            } else if (r.status() >= 400 && !ProblemAssertions.isProblem(r)) {
                failures.add(what + " -> " + r.status() + " not a problem: " + r.header("content-type") + " "
                        + r.text().substring(0, Math.min(120, r.text().length())));
            }
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        int fiveXx = statuses.entrySet().stream().filter(e -> e.getKey() >= 500).mapToInt(Map.Entry::getValue).sum();
        System.out.printf("bad-input campaign: seed %d, %d requests (%d raw malformed HTTP) in %d ms; statuses %s; "
                + "5xx %d; closed without an answer %s; categories %s%n", SEED, requests.size(),
                categories.entrySet().stream().filter(e -> e.getKey().startsWith("raw-")).mapToInt(Map.Entry::getValue)
                        .sum(), millis, statuses, fiveXx, closedBy, categories);
        assertTrue(failures.isEmpty(), failures.size() + " failures:\n" + String.join("\n", failures));

        RawHttp.Response ready = RawHttp.request(port, "GET", "/q/health/ready", List.of(), null);
        assertEquals(200, ready.status(), ready.text());
        assertEquals("UP", JSON.readTree(ready.body()).path("status").asText());
        assertEquals(before, store.load(victim), "the stored session changed");
    }

    /** A stored session with history, created over HTTP, that every mutating campaign request aims at. */
    private String createVictim(int port) throws Exception {
        RawHttp.Response created = RawHttp.request(port, "POST", "/api/sessions",
                List.of(TokenProfile.AUTHORIZATION, "Content-Type: application/json"),
                "{\"title\":\"campaign victim\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals(201, created.status(), created.text());
        String id = JSON.readTree(created.body()).get("id").asText();
        SessionFixtures.seed(store, id, "campaign victim", List.of(Message.userText("Fix the parser"),
                Message.assistantText("Done: the parser handles dates.")), m -> m);
        return id;
    }
}

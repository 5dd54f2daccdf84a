package dev.tether.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.session.Message;
import dev.tether.session.store.SessionStore;
import dev.tether.session.store.SessionWriter;
import dev.tether.testing.ApiSessions;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.common.WithTestResource;
import dev.tether.testing.FakeLlmResource;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The session CRUD API over HTTP, against the real file store (data dir of the test profile). */
@QuarkusTest
@WithTestResource(FakeLlmResource.class) // shares the application of the loop tests
class SessionResourceTest {

    private static final String PROBLEM = "application/problem+json";

    @Inject
    SessionStore store;

    /** A directory of its own inside the workspace root (the working directory), so listings see only our sessions. */
    private static Path freshDir() throws Exception {
        return Files.createDirectories(Path.of("target", "api-test", UUID.randomUUID().toString())).toRealPath();
    }

    @Test
    void createReturns201WithSpecDefaults() throws Exception {
        Path dir = freshDir();
        Response r = given().contentType(ContentType.JSON)
                .body("{\"title\":\"  Fix   the\\nparser \",\"directory\":\"" + dir + "\",\"model\":\"openai/gpt-4o\"}")
                .when().post("/api/sessions");
        r.then().statusCode(201).contentType(ContentType.JSON)
                .header("Location", containsString("/api/sessions/"))
                .body("title", equalTo("Fix the parser"))
                .body("agent", equalTo("build"))
                .body("metadata.directory", equalTo(dir.toString()))
                .body("metadata.model", equalTo("openai/gpt-4o"))
                .body("metadata.rlm.mode", equalTo("auto"))
                .body("messages", hasSize(0))
                .body("tool_uses", hasSize(0))
                .body("usage.prompt_tokens", equalTo(0))
                .body("usage.cache_read_tokens", nullValue());
        String id = r.path("id");
        assertTrue(id.matches("[0-9a-f-]{36}"));
        given().when().get("/api/sessions/" + id).then().statusCode(200).body("id", equalTo(id))
                .body("created_at", equalTo(r.path("created_at")));

        String plain = given().contentType(ContentType.JSON).body("{}").when().post("/api/sessions")
                .then().statusCode(201).body("title", nullValue()).extract().path("metadata.directory");
        assertEquals(Path.of("").toAbsolutePath().toRealPath().toString(), plain, "default: the workspace root");
    }

    @Test
    void createRejectsBadBodiesAs400Problems() {
        for (String body : new String[] {
                "{\"directory\":\"/\"}", "{\"directory\":\"../..\"}", "{\"directory\":\"   \"}",
                "{\"directory\":\"pom.xml\"}", "{\"model\":\"\"}", "{\"model\":\"open ai/x\"}", "{\"model\":\"openai/\"}",
                "{\"agent\":\"../x\"}", "{\"title\":[1]}", "{not json"}) {
            given().contentType(ContentType.JSON).body(body).when().post("/api/sessions")
                    .then().statusCode(400).contentType(PROBLEM).body("status", equalTo(400))
                    .body("type", startsWith("https://tether.dev/problems/"))
                    .body("detail", not(containsString("Exception"))).body("detail", not(containsString("\tat ")));
        }
    }

    @Test
    void badIdsNeverReachTheStore() {
        String[] paths = {"/api/sessions/..%2Fx", "/api/sessions/" + "a".repeat(200), "/api/sessions/a%2Fb",
                "/api/sessions/a.json", "/api/sessions/%2E%2E", "/api/sessions/a/b", "/api/sessions/%20"};
        for (String path : paths) {
            for (String method : new String[] {"GET", "DELETE"}) {
                Response r = given().urlEncodingEnabled(false).when().request(method, path);
                int status = r.statusCode();
                assertTrue(status == 400 || status == 404 || status == 405, method + " " + path + " -> " + status);
                assertEquals(PROBLEM, r.contentType().split(";")[0], method + " " + path);
            }
        }
        given().urlEncodingEnabled(false).when().get("/api/sessions/..%2Fx").then().statusCode(400)
                .body("type", equalTo("https://tether.dev/problems/invalid-session-id"));
        given().when().delete("/api/sessions/").then().statusCode(405).contentType(PROBLEM);
    }

    @Test
    void unknownSessionIs404Problem() {
        given().when().get("/api/sessions/a_B-9").then().statusCode(404).contentType(PROBLEM)
                .body("type", equalTo("https://tether.dev/problems/session-not-found"))
                .body("instance", equalTo("/api/sessions/a_B-9"));
        given().when().delete("/api/sessions/a_B-9").then().statusCode(404).contentType(PROBLEM);
    }

    @Test
    void listingPagesWithCursorNewestFirst() throws Exception {
        Path dir = freshDir();
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(ApiSessions.createWith("{\"title\":\"s" + i + "\",\"directory\":\"" + dir + "\"}"));
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var req = given().queryParam("directory", dir.toString()).queryParam("limit", 2);
            if (cursor != null) {
                req = req.queryParam("cursor", cursor);
            }
            Response r = req.when().get("/api/sessions");
            r.then().statusCode(200).contentType(ContentType.JSON).body("sessions.size()", is(pages < 2 ? 2 : 1));
            seen.addAll(r.path("sessions.id"));
            cursor = r.path("next_cursor");
            pages++;
        } while (cursor != null);
        assertEquals(3, pages);
        assertEquals(5, seen.stream().distinct().count());
        assertTrue(seen.containsAll(created));
        given().queryParam("directory", dir.toString()).when().get("/api/sessions").then().statusCode(200)
                .body("sessions[0].message_count", equalTo(0)).body("sessions[0].directory", equalTo(dir.toString()))
                .body("next_cursor", nullValue());

        given().queryParam("limit", 0).when().get("/api/sessions").then().statusCode(400).contentType(PROBLEM);
        given().queryParam("limit", 1001).when().get("/api/sessions").then().statusCode(400).contentType(PROBLEM);
        given().queryParam("limit", "ten").when().get("/api/sessions").then().statusCode(400).contentType(PROBLEM);
        given().queryParam("cursor", "bogus!").when().get("/api/sessions").then().statusCode(400).contentType(PROBLEM);
    }

    @Test
    void tailReturnsTheLastMessagesAndDeleteRemoves() throws Exception {
        String id = ApiSessions.createWith("{}");
        try (SessionWriter w = store.openWriter(id)) {
            for (int i = 1; i <= 4; i++) {
                w.appendMessage(Message.userText("m" + i), Instant.now());
            }
            // While a writer holds the session, delete is refused.
            given().when().delete("/api/sessions/" + id).then().statusCode(409).contentType(PROBLEM);
        }
        given().queryParam("tail", 2).when().get("/api/sessions/" + id).then().statusCode(200)
                .header(SessionResource.DROPPED_MESSAGES, "2")
                .body("messages.content.text.flatten()", contains("m3", "m4"));
        given().when().get("/api/sessions/" + id).then().statusCode(200).body("messages", hasSize(4));
        given().queryParam("tail", -1).when().get("/api/sessions/" + id).then().statusCode(400).contentType(PROBLEM);

        given().when().delete("/api/sessions/" + id).then().statusCode(204);
        given().when().get("/api/sessions/" + id).then().statusCode(404);
        assertFalse(store.exists(id));
    }

    @Test
    void corruptSnapshotIs500ProblemAndListingStillWorks() throws Exception {
        String id = ApiSessions.createWith("{}");
        Path snapshot = Path.of("target/test-data/sessions", id + ".json");
        assertTrue(Files.exists(snapshot));
        Files.writeString(snapshot, "{\"id\":\"" + id + "\",\"created_at\":");
        given().when().get("/api/sessions/" + id).then().statusCode(500).contentType(PROBLEM)
                .body("type", equalTo("https://tether.dev/problems/session-unreadable"))
                .body("detail", startsWith("Session " + id + " is unreadable"));
        given().when().get("/api/sessions?limit=1000").then().statusCode(200).body("sessions", notNullValue());
        Files.delete(snapshot);
    }

    @Test
    void healthAndMetricsAreExposed() {
        ApiSessions.createWith("{}");
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/health/ready").then()
                .body("checks.find { it.name == 'data-dir-writable' }.status", equalTo("UP"));
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("tether_store_operation_seconds_count{op=\"create\"}"), "create timer");
        assertTrue(metrics.contains("tether_sessions"), "session gauge");
        assertNotEquals(-1, metrics.indexOf("op=\"list\""));
    }
}

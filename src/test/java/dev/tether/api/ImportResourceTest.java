package dev.tether.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tether.importer.CodexImporter;
import dev.tether.session.SessionSummary;
import dev.tether.session.store.SessionStore;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(ImportResourceTest.CodexHome.class)
class ImportResourceTest {

    static final Path HOME = Path.of("target/import-resource-test/codex").toAbsolutePath();
    static final String ID = "0199e3c1-4b2a-7d10-b6e2-5f0a9c7d3e18";

    /** A Codex home and data directory of this test's own. */
    public static class CodexHome implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tether.codex.home", HOME.toString(),
                    "tether.data-dir", "target/import-resource-test/data");
        }
    }

    @Inject
    SessionStore store;

    @Inject
    CodexImporter importer;

    Path project;

    @BeforeEach
    void tree() throws IOException {
        project = Files.createDirectories(HOME.resolveSibling("project")).toRealPath();
        Path file = rollout();
        Files.createDirectories(file.getParent());
        Files.writeString(file, String.join("\n",
                "{\"timestamp\":\"2026-10-14T08:41:05.812Z\",\"type\":\"session_meta\",\"payload\":{\"id\":\"" + ID
                        + "\",\"timestamp\":\"2026-10-14T08:41:05.790Z\",\"cwd\":\"" + project + "\"}}",
                "{\"timestamp\":\"2026-10-14T08:41:09.010Z\",\"type\":\"response_item\",\"payload\":{\"type\":\"message\","
                        + "\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"Which migration?\"}]}}",
                "{broken",
                ""), StandardCharsets.UTF_8);
        if (store.exists(ID)) {
            store.delete(ID);
        }
    }

    @Test
    void listingWithIncludeCodexMergesRolloutsWithoutImporting() {
        given().queryParam("directory", project.toString()).queryParam("include", "codex")
                .when().get("/api/sessions")
                .then().statusCode(200)
                .body("sessions.find { it.id == '" + ID + "' }.title", equalTo("[Codex] Which migration?"))
                .body("sessions.find { it.id == '" + ID + "' }.message_count", equalTo(1));
        assertEquals(false, store.exists(ID), "listing does not import");
        given().queryParam("directory", project.toString())
                .when().get("/api/sessions")
                .then().statusCode(200).body("sessions.findAll { it.id == '" + ID + "' }", hasSize(0));
        given().queryParam("include", "everything").when().get("/api/sessions")
                .then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void importByIdAnswersAOneFileReportWithTheSessionId() {
        given().contentType("application/json").body("{\"id\":\"" + ID + "\"}")
                .when().post("/api/import/codex")
                .then().statusCode(200).contentType("application/json")
                .body("imported", equalTo(1)).body("skipped", equalTo(0)).body("session_id", equalTo(ID))
                .body("files", hasSize(1))
                .body("files[0].session_id", equalTo(ID)).body("files[0].outcome", equalTo("imported"))
                .body("files[0].lines_parsed", equalTo(2)).body("files[0].lines_skipped", equalTo(1))
                .body("files[0].messages_dropped", equalTo(0)).body("files[0].error", nullValue());
        given().contentType("application/json").body("{\"id\":\"" + ID + "\"}")
                .when().post("/api/import/codex")
                .then().statusCode(200).body("files[0].outcome", equalTo("unchanged")).body("imported", equalTo(0));
        assertEquals(List.of("import"), contextChanges(), "the hook ran for the import, not for the unchanged one");
    }

    @Test
    void importByDirectoryAnswersTheReportWithoutSessionId() {
        given().contentType("application/json").body("{\"directory\":\"" + project + "\"}")
                .when().post("/api/import/codex")
                .then().statusCode(200)
                .body("imported", equalTo(1)).body("files[0].outcome", equalTo("imported"))
                .body("$", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("session_id")));
        List<SessionSummary> listed = importer.listAllForDirectory(project.toString());
        assertEquals(1, listed.size());
        assertEquals("Which migration?", listed.get(0).title(), "the stored copy is as new as the rollout: native stays");
    }

    @Test
    void unknownIdIsA404Problem() {
        given().contentType("application/json").body("{\"id\":\"nope\"}")
                .when().post("/api/import/codex")
                .then().statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("https://tether.dev/problems/codex-session-not-found"))
                .body("detail", equalTo("Codex session not found: nope"));
    }

    @Test
    void getWithImportCodexImportsTheRolloutOnceAndTellsFollowers() throws IOException {
        given().queryParam("import", "codex").when().get("/api/sessions/" + ID)
                .then().statusCode(200).contentType("application/json")
                .body("id", equalTo(ID)).body("title", equalTo("Which migration?"))
                .body("label", equalTo("Which migration?")).body("messages", hasSize(1))
                .body("updated_at", equalTo("2026-10-14T08:41:09.010Z"));
        assertTrue(store.exists(ID), "imported into the store");
        assertEquals(List.of("import"), contextChanges(), "the import went through the context-change hook");

        given().queryParam("import", "codex").when().get("/api/sessions/" + ID)
                .then().statusCode(200).body("updated_at", equalTo("2026-10-14T08:41:09.010Z"));
        assertEquals(List.of("import"), contextChanges(), "unchanged: no second import, no event");

        // a newer rollout replaces the stored copy
        Files.writeString(rollout(), "\n{\"timestamp\":\"2026-10-14T09:00:00.000Z\",\"type\":\"response_item\","
                + "\"payload\":{\"type\":\"message\",\"role\":\"assistant\",\"content\":[{\"type\":"
                + "\"output_text\",\"text\":\"Migration 0042.\"}]}}\n", StandardOpenOption.APPEND);
        given().queryParam("import", "codex").queryParam("tail", 1).when().get("/api/sessions/" + ID)
                .then().statusCode(200).body("messages", hasSize(1)).body("messages[0].role", equalTo("assistant"))
                .body("updated_at", equalTo("2026-10-14T09:00:00.000Z"));
        assertEquals(List.of("import", "import"), contextChanges());
    }

    @Test
    void getWithImportCodexReturnsANativeSessionAndIsA404WhenNeitherExists() {
        String nativeId = given().contentType("application/json").body("{\"title\":\"Native only\"}")
                .when().post("/api/sessions").then().statusCode(201).extract().path("id");
        given().queryParam("import", "codex").when().get("/api/sessions/" + nativeId)
                .then().statusCode(200).body("id", equalTo(nativeId)).body("title", equalTo("Native only"));
        given().queryParam("import", "codex").when().get("/api/sessions/0199ffff-0000-7000-8000-000000000000")
                .then().statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("https://tether.dev/problems/session-not-found"));
        given().queryParam("import", "elsewhere").when().get("/api/sessions/" + nativeId)
                .then().statusCode(400).contentType("application/problem+json");
        assertFalse(store.exists(ID), "a native read imports nothing else");
    }

    private Path rollout() {
        return HOME.resolve("sessions/2026/10/14/rollout-2026-10-14T08-41-05-" + ID + ".jsonl");
    }

    private List<String> contextChanges() {
        return store.eventsAfter(ID, 0).stream().map(e -> e.event())
                .filter(e -> e.path("type").asText().equals("context_changed"))
                .map(e -> e.path("reason").asText()).toList();
    }

    @Test
    void neitherOrBothFieldsAreA400Problem() {
        for (String body : List.of("{}", "{\"id\":\"" + ID + "\",\"directory\":\"/x\"}", "{\"id\":\" \"}")) {
            given().contentType("application/json").body(body)
                    .when().post("/api/import/codex")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("type", equalTo("https://tether.dev/problems/invalid-request"));
        }
    }
}

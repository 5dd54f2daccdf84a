package dev.tether.api;

import static dev.tether.api.ProblemAssertions.expectProblem;
import dev.tether.testing.ApiSessions;
import dev.tether.testing.FakeLlmApiTest;
import dev.tether.testing.StoreDefaults;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.agent.SlowTool;
import dev.tether.session.Message;
import dev.tether.session.Session;
import dev.tether.session.Titles;
import dev.tether.session.store.FileSessionStore;
import dev.tether.session.store.SessionStore;
import dev.tether.session.store.StoredEvent;
import dev.tether.testing.FakeLlmResource;
import dev.tether.testing.Reply;
import dev.tether.testing.RoutedLlm;
import dev.tether.testing.RoutedLlm.Kind;
import dev.tether.testing.SessionFixtures;
import dev.tether.testing.SseClient;
import dev.tether.testing.SseTurns;
import dev.tether.testing.Workspaces;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@code PATCH /api/sessions/{id}} over HTTP (spec §8.3, §8.4): title set and clear with the derived label, the
 * session's {@code max_steps} applied by the next turn, directory changes confined to the workspace root, 409 while a
 * turn runs, the context-change hook's durable event and {@code updated_at} bump, persistence across a store reopen.
 */
@QuarkusTest
@WithTestResource(FakeLlmResource.class)
class SessionPatchTest extends FakeLlmApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Older than anything the test writes, so every bump is visible. */
    private static final Instant LONG_AGO = Instant.parse("2026-01-01T00:00:00Z");
    private static final String REQUEST = "Please refactor the invoice exporter so it streams rows to disk";

    @Inject
    SessionStore store;

    @Test
    void titleIsSetNormalisedAndClearedAndTheLabelFollows() {
        String id = ApiSessions.createWith(Map.of("directory", workspace.toString()));
        JsonNode fresh = ApiSessions.read(id);
        assertEquals(id.substring(0, 8), fresh.path("label").asText(), "no title: the id's first 8 characters");
        assertEquals(id.substring(0, 8), summary(id).path("label").asText());

        JsonNode titled = patch(id, "{\"title\":\"  Fix   the\\nparser \"}");
        assertEquals("Fix the parser", titled.path("title").asText(), "set_title normalises (§8.3)");
        assertEquals("Fix the parser", titled.path("label").asText());
        assertEquals("Fix the parser", summary(id).path("label").asText());
        assertEquals("Fix the parser", summary(id).path("title").asText());
        assertTrue(store.eventsAfter(id, 0).isEmpty(), "setting a title is no context change");

        JsonNode cleared = patch(id, "{\"title\":null}");
        assertTrue(cleared.path("title").isNull(), "nothing to derive a title from: null");
        assertEquals(id.substring(0, 8), cleared.path("label").asText());
        assertEquals(List.of("title_cleared"), reasons(id));

        // a title that set_title turns into null clears too (injected boilerplate is no title)
        patch(id, "{\"title\":\"Keep\"}");
        JsonNode boilerplate = patch(id, "{\"title\":\"<environment_context>x</environment_context>\"}");
        assertTrue(boilerplate.path("title").isNull());
        assertEquals(List.of("title_cleared", "title_cleared"), reasons(id));

        // absent fields are unchanged; an empty patch changes nothing and writes nothing
        patch(id, "{\"title\":\"Again\"}");
        JsonNode same = patch(id, "{}");
        assertEquals("Again", same.path("title").asText());
        assertEquals(ApiSessions.read(id).path("updated_at"), same.path("updated_at"));
    }

    @Test
    void clearingRegeneratesTheHeuristicTitleBumpsUpdatedAtAndTellsFollowers() throws Exception {
        String id = ApiSessions.createWith(Map.of("directory", workspace.toString()));
        saveLongAgo(id, "AI title", List.of(Message.userText("<environment_context><cwd>/w</cwd></environment_context>"),
                Message.userText(REQUEST), Message.assistantText("Streaming now.")));

        try (SseClient follower = SseClient.get(sessions.resolve(id + "/events"), Map.of(), null).awaitFollowing()) {
            JsonNode cleared = patch(id, "{\"title\":null}");
            String heuristic = REQUEST.substring(0, 47) + "...";
            assertEquals(heuristic, cleared.path("title").asText(), "the heuristic title of §8.2");
            assertEquals(heuristic, cleared.path("label").asText());
            Instant updated = Instant.parse(cleared.path("updated_at").asText());
            assertTrue(updated.isAfter(LONG_AGO), "the hook bumps updated_at");

            SseClient.Frame frame = follower.next();
            assertEquals("context_changed", frame.event());
            assertTrue(frame.durable(), "durable: it has a journal sequence");
            JsonNode event = JSON.readTree(frame.data());
            assertEquals("title_cleared", event.path("reason").asText());
            assertEquals(heuristic, event.path("title").asText());
            assertEquals(cleared.path("updated_at").asText(), event.path("updated_at").asText());
        }
        assertEquals(List.of("title_cleared"), reasons(id), "recorded for replay");
    }

    @Test
    void sessionMaxStepsBoundsTheNextTurnAndAPromptOverridesIt() {
        String id = ApiSessions.createWith(Map.of("directory", workspace.toString(), "max_steps", 2));
        assertEquals(2, ApiSessions.read(id).path("metadata").path("max_steps").asInt());
        AtomicInteger calls = new AtomicInteger();
        routed.always(Kind.LOOP, r -> Reply.text("Looking.").toolCall("c" + calls.incrementAndGet(), "list", "{}"));

        JsonNode first = ApiSessions.promptResult(id, Map.of("message", "Keep listing"));
        assertEquals("max_steps", first.path("terminal_reason").asText(), first.toString());
        assertEquals(2, first.path("steps").asInt());

        assertEquals(3, patch(id, "{\"max_steps\":3}").path("metadata").path("max_steps").asInt());
        assertEquals(3, ApiSessions.promptResult(id, Map.of("message", "Keep listing")).path("steps").asInt());

        JsonNode overridden = ApiSessions.promptResult(id, Map.of("message", "Once", "max_steps", 1));
        assertEquals(1, overridden.path("steps").asInt(), "the prompt's max_steps wins");
        assertEquals(6, routed.requests(Kind.LOOP).size());

        JsonNode removed = patch(id, "{\"max_steps\":null}");
        assertFalse(removed.path("metadata").has("max_steps"), "removed: the service default applies again");

        for (String bad : new String[] {"0", "1001", "\"3\"", "2.5", "-1", "99999999999"}) {
            expectProblem(patchRequest(id, "{\"max_steps\":" + bad + "}"), 400, "/invalid-request");
        }
        for (Object bad : new Object[] {0, 1001}) {
            expectProblem(given().contentType(ContentType.JSON).body(Map.of("max_steps", bad)).post("/api/sessions"),
                    400, "/invalid-request");
        }
        assertFalse(ApiSessions.read(id).path("metadata").has("max_steps"), "rejected patches change nothing");
    }

    @Test
    void directoryMovesInsideTheWorkspaceRootOnly() throws Exception {
        String id = ApiSessions.createWith(Map.of("directory", workspace.toString()));
        Path other = Workspaces.create();
        Files.writeString(other.resolve("b-only.txt"), "b\n");

        JsonNode moved = patch(id, "{\"directory\":\"" + other + "\"}");
        assertEquals(other.toString(), moved.path("metadata").path("directory").asText());
        assertEquals(List.of("directory"), reasons(id));

        routed.script(Kind.LOOP, Reply.toolCall("c1", "list", "{}"), Reply.text("Listed."));
        ApiSessions.promptResult(id, Map.of("message", "List the files"));
        String listing = ApiSessions.read(id).path("messages").get(2).path("content").get(0).path("content").asText();
        assertTrue(listing.contains("b-only.txt") && !listing.contains("a.txt"), listing);
        String system = RoutedLlm.text(routed.requests(Kind.LOOP).get(0).messages().get(0));
        assertTrue(system.contains(other.toString()), "the system prompt names the new directory");

        for (String bad : new String[] {"\"/\"", "\"../..\"", "\"   \"", "\"pom.xml\"", "null", "5"}) {
            expectProblem(patchRequest(id, "{\"directory\":" + bad + "}"), 400, "/invalid-request");
        }
        assertEquals(other.toString(), ApiSessions.read(id).path("metadata").path("directory").asText());
        patch(id, "{\"directory\":\"" + other + "\"}");
        assertEquals(List.of("directory"), reasons(id), "the same directory again is no change");
    }

    @Test
    void patchWhileATurnRunsIsABusyProblem() throws Exception {
        String id = ApiSessions.createWith(Map.of("directory", workspace.toString(), "title", "Busy"));
        routed.script(Kind.LOOP, Reply.toolCall("s1", SlowTool.NAME, "{}"));
        CompletableFuture<JsonNode> turn = CompletableFuture.supplyAsync(
                () -> ApiSessions.promptResult(id, Map.of("message", "wait")));
        assertTrue(SlowTool.STARTED.tryAcquire(20, TimeUnit.SECONDS), "the turn is running");
        try {
            expectProblem(patchRequest(id, "{\"title\":\"Other\"}"), 409, "/session-busy");
        } finally {
            given().post("/api/sessions/" + id + "/abort").then().statusCode(200);
        }
        assertEquals("aborted", turn.get(20, TimeUnit.SECONDS).path("terminal_reason").asText());
        assertEquals("Busy", ApiSessions.read(id).path("title").asText(), "the refused patch changed nothing");
        assertEquals("Other", patch(id, "{\"title\":\"Other\"}").path("title").asText());
    }

    @Test
    void unknownSessionsBadBodiesAndMediaTypesAreProblems() {
        expectProblem(patchRequest("no-such-session", "{\"title\":\"x\"}"), 404, "/session-not-found");
        expectProblem(given().urlEncodingEnabled(false).contentType(ContentType.JSON).body("{}")
                .patch("/api/sessions/..%2Fx"), 400, "/invalid-session-id");
        String id = ApiSessions.createWith(Map.of("directory", workspace.toString(), "title", "Stays"));
        for (String body : new String[] {"[1]", "\"x\"", "{\"title\":5}", "{\"title\":[\"a\"]}", "{\"agent\":\"x\"}",
                "{\"title\":\"x\",\"model\":\"openai/gpt-4o\"}", "{not json", "",
                "{\"title\":\"" + "t".repeat(Titles.MAX_SET_CHARS + 1) + "\"}"}) {
            expectProblem(patchRequest(id, body), 400, "/invalid-request");
        }
        expectProblem(given().contentType(ContentType.TEXT).body("{\"title\":\"x\"}").patch("/api/sessions/" + id),
                415, "/unsupported-media-type");
        assertEquals("Stays", ApiSessions.read(id).path("title").asText());
        assertTrue(store.eventsAfter(id, 0).isEmpty());

        // the JSON merge-patch media type is accepted as well
        Response merged = given().contentType("application/merge-patch+json").body("{\"title\":\"Merged\"}")
                .patch("/api/sessions/" + id);
        assertEquals(200, merged.statusCode(), merged.asString());
        assertEquals("Merged", merged.jsonPath().getString("title"));
    }

    @Test
    void changesAreJournaledAndSurviveAStoreReopen() throws Exception {
        Path other = Workspaces.create();
        String id = ApiSessions.createWith(Map.of("directory", workspace.toString()));
        patch(id, "{\"title\":\"Durable title\",\"max_steps\":7,\"directory\":\"" + other + "\"}");

        try (FileSessionStore reopened = new FileSessionStore(Path.of("target/test-data"), StoreDefaults.settings(),
                new SimpleMeterRegistry())) {
            Session s = reopened.load(id);
            assertEquals("Durable title", s.title());
            assertEquals(7, s.metadata().maxSteps());
            assertEquals(other.toString(), s.metadata().directory());
            assertEquals(List.of("directory"), reopened.eventsAfter(id, 0).stream()
                    .map(e -> e.event().path("reason").asText()).toList());
            try (var writer = reopened.openWriter(id)) {
                writer.checkpoint(); // snapshots are rewritten in the background, by journal size: now, to read it
            }
        }
        String snapshot = Files.readString(Path.of("target/test-data/sessions", id + ".json"));
        JsonNode stored = JSON.readTree(snapshot);
        assertFalse(stored.has("label"), "the label is derived, never stored: " + snapshot);
        assertEquals(7, stored.path("metadata").path("max_steps").asInt());
    }

    @Test
    void compactionCommitsGoThroughTheHookAndDirectoryChangesDropTheCachedSummary() {
        String id = ApiSessions.createWith(Map.of("directory", workspace.toString()));
        saveLongAgo(id, "Seeded", SessionFixtures.overBudgetHistory());

        given().post("/api/sessions/" + id + "/compact").then().statusCode(200);
        List<JsonNode> replay = SseTurns.replay(sessions, id, 0,
                e -> e.path("type").asText().equals("context_changed"));
        JsonNode changed = replay.get(replay.size() - 1);
        assertEquals("compaction", changed.path("reason").asText(), SseTurns.types(replay).toString());
        assertEquals("compaction_completed", replay.get(replay.size() - 2).path("type").asText());
        assertTrue(Instant.parse(ApiSessions.read(id).path("updated_at").asText()).isAfter(LONG_AGO),
                "updated_at bumped");
        assertEquals("Seeded", ApiSessions.read(id).path("title").asText(), "a compaction keeps the title");
        assertTrue(context(id).path("cached_summary").asBoolean(), "the commit is the cache: the hook keeps it");

        patch(id, "{\"directory\":\"" + workspace.resolve("sub") + "\"}");
        assertFalse(context(id).path("cached_summary").asBoolean(), "a directory change drops the cached summary");
    }

    // ---------------------------------------------------------------- helpers

    /** Replaces the stored history and title, with timestamps long past so that every later bump shows. */
    private void saveLongAgo(String id, String title, List<Message> messages) {
        Session s = store.load(id);
        store.save(new Session(id, title, LONG_AGO, LONG_AGO, s.metadata(), s.agent(), messages, List.of(), s.usage()));
    }

    private static Response patchRequest(String id, String body) {
        return given().contentType(ContentType.JSON).body(body).patch("/api/sessions/" + id);
    }

    private static JsonNode patch(String id, String body) {
        Response r = patchRequest(id, body);
        assertEquals(200, r.statusCode(), r.asString());
        assertTrue(r.contentType().startsWith("application/json"), r.contentType());
        return read(r.asString());
    }

    private static JsonNode context(String id) {
        return read(given().get("/api/sessions/" + id + "/context").then().statusCode(200).extract().asString());
    }

    private JsonNode summary(String id) {
        JsonNode listed = read(given().queryParam("directory", workspace.toString()).get("/api/sessions").then()
                .statusCode(200).extract().asString());
        for (JsonNode s : listed.path("sessions")) {
            if (s.path("id").asText().equals(id)) {
                return s;
            }
        }
        throw new AssertionError("not listed: " + id + " in " + listed);
    }

    /** The reasons of the session's recorded {@code context_changed} events, in order. */
    private List<String> reasons(String id) {
        return store.eventsAfter(id, 0).stream().map(StoredEvent::event)
                .filter(e -> e.path("type").asText().equals("context_changed"))
                .map(e -> e.path("reason").asText()).toList();
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}

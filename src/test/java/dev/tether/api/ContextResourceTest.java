package dev.tether.api;

import static dev.tether.api.ProblemAssertions.expectProblem;

import dev.tether.testing.ApiSessions;
import dev.tether.testing.FakeLlmApiTest;
import dev.tether.testing.Workspaces;
import static dev.tether.testing.SseTurns.ofType;
import static dev.tether.testing.SseTurns.types;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.agent.SlowTool;
import dev.tether.session.store.SessionStore;
import dev.tether.testing.FakeLlmResource;
import dev.tether.testing.RecordedRequest;
import dev.tether.testing.Reply;
import dev.tether.testing.RoutedLlm;
import dev.tether.testing.RoutedLlm.Kind;
import dev.tether.testing.SessionFixtures;
import dev.tether.testing.SseTurns;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/sessions/{id}/context} and {@code POST /api/sessions/{id}/compact[?dry_run=true]} over HTTP (spec
 * §6.3): estimates, dry runs that change nothing, manual compactions whose events are durable and whose summary the
 * next step reuses, and the problem responses.
 */
@QuarkusTest
@WithTestResource(FakeLlmResource.class)
class ContextResourceTest extends FakeLlmApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    SessionStore store;

    @Override
    protected Path newWorkspace() throws IOException {
        return Workspaces.create();
    }

    @Test
    void contextOfASmallSessionFitsTheGpt4oBudget() {
        String id = ApiSessions.create(workspace);
        JsonNode c = context(id);
        assertEquals("openai/gpt-4o", c.path("model").asText());
        assertEquals(105_984, c.path("budget").asLong());
        assertEquals(105_984, c.path("usable_budget").asLong());
        assertEquals(128_000, c.path("window").asLong());
        long tokens = c.path("request_tokens").asLong();
        assertTrue(tokens > 0 && tokens < 105_984, "system prompt and tools only: " + tokens);
        assertEquals((double) tokens / 105_984, c.path("fraction").asDouble(), 1e-6);
        assertFalse(c.path("would_compact").asBoolean());
        assertFalse(c.path("cached_summary").asBoolean());
        assertEquals(0, llm.requestCount(), "an estimate calls no model");
    }

    @Test
    void budgetFollowsTheSessionModel() {
        String id = given().contentType(ContentType.JSON).body(Map.of("directory", workspace.toString(),
                "model", "anthropic/claude-sonnet-4-20250514")).post("/api/sessions").then().statusCode(201)
                .extract().path("id");
        JsonNode c = context(id);
        assertEquals("anthropic/claude-sonnet-4-20250514", c.path("model").asText());
        assertEquals(200_000, c.path("window").asLong());
        assertEquals(170_784, c.path("budget").asLong());
    }

    @Test
    void budgetTokensOfThePolicyLowersTheBudget() {
        String id = ApiSessions.create(workspace);
        SessionFixtures.seed(store, id, "Seeded", List.of(), m -> new dev.tether.session.SessionMetadata(m.directory(),
                m.model(), m.autoApplyEdits(), m.allowNetwork(), m.rlm(),
                new dev.tether.session.ContextPolicy(dev.tether.session.ContextPolicy.Policy.AUTO, 500)));
        JsonNode c = context(id);
        assertEquals(500, c.path("budget").asLong());
        assertEquals(105_984, c.path("usable_budget").asLong());
        assertTrue(c.path("would_compact").asBoolean());
    }

    @Test
    void dryRunChangesNothingAndManualCompactionIsDurableAndReused() {
        String id = ApiSessions.create(workspace);
        SessionFixtures.seed(store, id, "Seeded", SessionFixtures.overBudgetHistory(), m -> m);
        JsonNode before = context(id);
        assertTrue(before.path("would_compact").asBoolean());
        assertTrue(before.path("request_tokens").asLong() > 105_984);
        String transcript = sessionJson(id);
        int journal = store.eventsAfter(id, 0).size();

        // dry run: a preview, no model call, no events, no cache, no write
        JsonNode dry = read(given().post("/api/sessions/" + id + "/compact?dry_run=true").then().statusCode(200)
                .extract().asString());
        assertTrue(dry.path("dry_run").asBoolean());
        assertTrue(dry.path("compacted").asBoolean(), dry.toString());
        assertEquals("rlm", dry.path("strategy").asText());
        assertEquals(14, dry.path("split_index").asInt(), "30 messages, keep-last 16");
        assertEquals(17, dry.path("kept_messages").asInt(), "summary + 16");
        assertEquals(before.path("request_tokens").asLong(), dry.path("before_tokens").asLong());
        assertTrue(dry.path("after_tokens").asLong() < dry.path("before_tokens").asLong());
        assertEquals(0, llm.requestCount());
        assertEquals(journal, store.eventsAfter(id, 0).size());
        assertEquals(transcript, sessionJson(id));
        assertFalse(context(id).path("cached_summary").asBoolean());

        // the real thing: one summary call, durable events, the transcript untouched
        JsonNode done = read(given().post("/api/sessions/" + id + "/compact").then().statusCode(200)
                .extract().asString());
        assertFalse(done.path("dry_run").asBoolean());
        assertTrue(done.path("compacted").asBoolean());
        assertEquals("rlm", done.path("strategy").asText());
        assertEquals(14, done.path("split_index").asInt());
        assertEquals(1, routed.requests(Kind.SUMMARY).size());
        assertEquals(1, llm.requestCount());
        JsonNode usage = read(sessionJson(id)).get("usage");
        assertTrue(usage.path("prompt_tokens").asLong() > 0, "the summary call's usage is added: " + usage);
        List<JsonNode> replay = SseTurns.replay(sessions, id, journal,
                e -> e.path("type").asText().equals("compaction_completed"));
        List<JsonNode> started = ofType(replay, "compaction_started");
        assertEquals(1, started.size(), types(replay).toString());
        assertEquals("manual", started.get(0).path("reason").asText());
        JsonNode completed = ofType(replay, "compaction_completed").get(0);
        assertEquals("rlm", completed.path("strategy").asText());
        assertEquals(17, completed.path("kept_messages").asInt());
        assertEquals(done.path("after_tokens").asLong(), completed.path("after_tokens").asLong());
        assertTrue(replay.stream().allMatch(e -> e.has("_seq")), "replayed from the journal");
        JsonNode messagesBefore = read(transcript).get("messages");
        assertEquals(messagesBefore, read(sessionJson(id)).get("messages"));

        JsonNode after = context(id);
        assertTrue(after.path("cached_summary").asBoolean());
        assertFalse(after.path("would_compact").asBoolean());
        assertEquals(done.path("after_tokens").asLong(), after.path("request_tokens").asLong());

        // the next step sends the cached summary: no compaction, no summary call
        routed.script(Kind.LOOP, Reply.text("Continuing."));
        List<JsonNode> events = SseTurns.prompt(sessions, id, Map.of("message", "continue"));
        assertEquals("done", events.get(events.size() - 1).path("type").asText(), types(events).toString());
        assertTrue(types(events).stream().noneMatch(t -> t.startsWith("compaction_")), types(events).toString());
        assertEquals(1, routed.requests(Kind.SUMMARY).size());
        RecordedRequest loop = routed.requests(Kind.LOOP).get(0);
        assertTrue(RoutedLlm.text(loop.messages().get(1)).startsWith("[CONTEXT SUMMARY]"));
        assertEquals(1 + 1 + 16 + 1, loop.messages().size(), "system, summary, 16 kept, the prompt");
    }

    @Test
    void compactingASessionWithoutAPrefixCompactsNothing() {
        String id = ApiSessions.create(workspace);
        JsonNode dry = read(given().post("/api/sessions/" + id + "/compact?dry_run=true").then().statusCode(200)
                .extract().asString());
        assertFalse(dry.path("compacted").asBoolean());
        JsonNode done = read(given().post("/api/sessions/" + id + "/compact").then().statusCode(200)
                .extract().asString());
        assertFalse(done.path("compacted").asBoolean());
        assertEquals(0, llm.requestCount());
    }

    @Test
    void unknownSessionsAreNotFoundProblems() {
        expectProblem(given().get("/api/sessions/no-such-session/context"), 404, "/session-not-found");
        expectProblem(given().post("/api/sessions/no-such-session/compact"), 404, "/session-not-found");
        expectProblem(given().post("/api/sessions/no-such-session/compact?dry_run=true"), 404, "/session-not-found");
        expectProblem(given().get("/api/sessions/bad.id/context"), 400, null);
    }

    @Test
    void compactingWhileATurnRunsIsABusyProblem() throws Exception {
        String id = ApiSessions.create(workspace);
        SessionFixtures.seed(store, id, "Seeded", List.of(), m -> m);
        routed.script(Kind.LOOP, Reply.toolCall("s1", SlowTool.NAME, "{}"));
        CompletableFuture<Response> turn = CompletableFuture.supplyAsync(() -> given().contentType(ContentType.JSON)
                .accept(ContentType.JSON).body(Map.of("message", "wait")).post("/api/sessions/" + id + "/prompt"));
        assertTrue(SlowTool.STARTED.tryAcquire(20, TimeUnit.SECONDS), "the turn is running");
        try {
            expectProblem(given().post("/api/sessions/" + id + "/compact"), 409, "/session-busy");
            // reading the estimate is allowed while a turn runs
            given().get("/api/sessions/" + id + "/context").then().statusCode(200);
        } finally {
            given().post("/api/sessions/" + id + "/abort").then().statusCode(200);
        }
        assertEquals(200, turn.get(20, TimeUnit.SECONDS).statusCode());
    }

    // ---------------------------------------------------------------- helpers

    private static JsonNode context(String id) {
        return read(given().get("/api/sessions/" + id + "/context").then().statusCode(200).extract().asString());
    }

    private static String sessionJson(String id) {
        return given().get("/api/sessions/" + id).then().statusCode(200).extract().asString();
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}

package dev.tether.agent;

import dev.tether.testing.ApiSessions;
import dev.tether.testing.FakeLlmApiTest;
import static dev.tether.testing.SseTurns.ofType;
import static dev.tether.testing.SseTurns.types;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tether.session.ContextPolicy;
import dev.tether.session.SessionMetadata;
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
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Context management end to end (spec §3.7, §6; scenarios 16, 17, 30–33): seeded transcripts, the loop over HTTP,
 * real provider clients and the fake LLM on 127.0.0.1; events read from the prompt's SSE stream, requests as the
 * model received them, transcripts fetched with {@code GET /api/sessions/{id}}.
 */
@QuarkusTest
@WithTestResource(FakeLlmResource.class)
class ContextFlowTest extends FakeLlmApiTest {

    static final long GPT4O_BUDGET = 105_984;
    static final String ACTIVE = SessionFixtures.ACTIVE;

    @Inject
    SessionStore store;

    // ---------------------------------------------------------------- scenarios 30 and 32

    @Test
    void overBudgetHistoryIsSummarisedOnceAndTheSummaryReusedOnTheNextStep() {
        String id = overBudgetSession(m -> m);
        JsonNode before = messages(id);
        routed.script(Kind.LOOP, Reply.toolCall("call_1", "list", "{}"), Reply.text("Done."));

        List<JsonNode> events = SseTurns.prompt(sessions, id, Map.of("message", "continue"));

        assertEquals("done", last(events).path("type").asText(), types(events).toString());
        List<JsonNode> started = ofType(events, "compaction_started");
        List<JsonNode> completed = ofType(events, "compaction_completed");
        assertEquals(1, started.size(), "one compaction in the whole turn (step 2 reuses it): " + types(events));
        assertEquals(1, completed.size());
        assertTrue(ofType(events, "compaction_failed").isEmpty());
        JsonNode start = started.get(0);
        assertEquals("context_budget", start.path("reason").asText());
        assertEquals(GPT4O_BUDGET, start.path("budget").asLong());
        assertTrue(start.path("before_tokens").asLong() > GPT4O_BUDGET);
        JsonNode done = completed.get(0);
        assertEquals("rlm", done.path("strategy").asText());
        assertEquals(start.path("trace_id").asText(), done.path("trace_id").asText());
        assertTrue(done.path("after_tokens").asLong() <= GPT4O_BUDGET);
        JsonNode rlm = ofType(events, "rlm_complete").get(0);
        assertEquals("converged", rlm.path("outcome").asText());
        assertEquals(start.path("trace_id").asText(), rlm.path("trace_id").asText());
        assertTrue(types(events).indexOf("compaction_started") < types(events).indexOf("compaction_completed"));

        assertEquals(1, routed.requests(Kind.SUMMARY).size(), "exactly one summary call");
        List<RecordedRequest> loop = routed.requests(Kind.LOOP);
        assertEquals(2, loop.size());
        List<String> stored = texts(before);
        for (RecordedRequest r : loop) {
            JsonNode sent = r.messages();
            assertEquals("system", sent.get(0).path("role").asText());
            assertEquals("user", sent.get(1).path("role").asText());
            String summary = RoutedLlm.text(sent.get(1));
            assertTrue(summary.startsWith("[CONTEXT SUMMARY]"), summary);
            assertTrue(summary.contains(RoutedLlm.SUMMARY_TEXT), summary);
        }
        // step 1: after the summary, the transcript's tail verbatim, from before the active request to the prompt
        JsonNode first = loop.get(0).messages();
        List<String> sentTail = new ArrayList<>();
        for (int i = 2; i < first.size(); i++) {
            sentTail.add(RoutedLlm.text(first.get(i)));
        }
        List<String> transcript = new ArrayList<>(stored);
        transcript.add("continue");
        assertTrue(sentTail.size() >= 5 && sentTail.size() < transcript.size(), "kept " + sentTail.size());
        assertEquals(transcript.subList(transcript.size() - sentTail.size(), transcript.size()), sentTail);
        assertTrue(sentTail.contains(ACTIVE));
        // step 2: the same summary message, then the same tail plus the tool exchange
        JsonNode second = loop.get(1).messages();
        assertEquals(RoutedLlm.text(first.get(1)), RoutedLlm.text(second.get(1)));
        assertEquals(first.size() + 2, second.size());
        assertEquals("tool", second.get(second.size() - 1).path("role").asText());
        List<JsonNode> estimates = ofType(events, "token_estimate");
        assertTrue(last(estimates).path("request_tokens").asLong() <= GPT4O_BUDGET);
        // §5.3: the derivation's events sit between the step's thinking and its loop token_estimate
        List<String> order = types(events);
        int loopEstimate = events.indexOf(estimates.stream().filter(e -> e.path("source").asText().equals("root"))
                .findFirst().orElseThrow());
        assertEquals("thinking", order.get(0));
        assertTrue(order.indexOf("compaction_completed") < loopEstimate);
        // the commit went through the context-change hook (§8.4) once, right after it
        List<JsonNode> changed = ofType(events, "context_changed");
        assertEquals(1, changed.size(), order.toString());
        assertEquals("compaction", changed.get(0).path("reason").asText());
        assertEquals(order.indexOf("compaction_completed") + 1, order.indexOf("context_changed"));
        assertEquals("rlm_iteration", estimates.get(0).path("source").asText(), "the summary call's estimate");
        // the summary call's usage is part of the turn's usage
        long prompted = ofType(events, "token_usage").stream().mapToLong(e -> e.path("prompt_tokens").asLong()).sum();
        assertEquals(prompted, last(events).path("result").path("usage").path("prompt_tokens").asLong());
        assertEquals(3, ofType(events, "token_usage").size(), "summary + two loop calls");

        // the stored transcript is append-only: the seeded messages are unchanged
        JsonNode after = messages(id);
        assertEquals(before.size() + 4, after.size());
        for (int i = 0; i < before.size(); i++) {
            assertEquals(before.get(i), after.get(i), "message " + i);
        }
    }

    // ---------------------------------------------------------------- scenario 31

    @Test
    void failingSummaryCallFallsBackToChunkCompression() {
        String id = overBudgetSession(m -> m);
        routed.script(Kind.SUMMARY, Reply.error(503, "server_error", "The server is overloaded"));
        routed.script(Kind.LOOP, Reply.text("Done."));

        List<JsonNode> events = SseTurns.prompt(sessions, id, Map.of("message", "continue"));

        assertEquals("done", last(events).path("type").asText());
        List<String> compaction = types(events).stream().filter(t -> t.startsWith("compaction_")).toList();
        assertEquals(List.of("compaction_started", "compaction_failed", "compaction_completed"), compaction);
        JsonNode failed = ofType(events, "compaction_failed").get(0);
        assertEquals("chunk_compress", failed.path("fell_back_to").asText());
        assertTrue(failed.path("reason").asText().startsWith("summary failed: "), failed.toString());
        assertEquals("chunk_compress", ofType(events, "compaction_completed").get(0).path("strategy").asText());
        assertEquals("failed", ofType(events, "rlm_complete").get(0).path("outcome").asText());
        assertEquals(1, routed.requests(Kind.SUMMARY).size(), "auxiliary calls do not retry");
        String summary = RoutedLlm.text(routed.requests(Kind.LOOP).get(0).messages().get(1));
        assertTrue(summary.startsWith("[CONTEXT SUMMARY]"), summary);
    }

    @Test
    void abortDuringTheSummaryCallEndsTheTurnWithoutACompaction() throws Exception {
        String id = overBudgetSession(m -> m);
        routed.script(Kind.SUMMARY, Reply.hang());
        try {
            CompletableFuture<List<JsonNode>> turn = CompletableFuture.supplyAsync(
                    () -> SseTurns.prompt(sessions, id, Map.of("message", "continue")));
            assertTrue(llm.awaitRequests(1, Duration.ofSeconds(30)), "the summary call was made");
            assertEquals(Kind.SUMMARY, RoutedLlm.kind(llm.requests().get(0)));
            given().post("/api/sessions/" + id + "/abort").then().statusCode(200).body("aborted", equalTo(true));
            List<JsonNode> events = turn.get(30, TimeUnit.SECONDS);

            JsonNode done = last(events);
            assertEquals("done", done.path("type").asText(), types(events).toString());
            assertEquals("aborted", done.path("result").path("terminal_reason").asText());
            assertEquals(1, ofType(events, "compaction_started").size());
            assertTrue(ofType(events, "compaction_completed").isEmpty() && ofType(events, "compaction_failed").isEmpty(),
                    types(events).toString());
            assertEquals("aborted", ofType(events, "rlm_complete").get(0).path("outcome").asText());
            assertTrue(routed.requests(Kind.LOOP).isEmpty());
            JsonNode context = PromptFlowTest.read(given().get("/api/sessions/" + id + "/context").then()
                    .statusCode(200).extract().asString());
            assertFalse(context.path("cached_summary").asBoolean(), "an aborted compaction caches nothing");
        } finally {
            llm.releaseStalls();
        }
    }

    // ---------------------------------------------------------------- scenario 33

    @Test
    void historyThatCannotFitIsTruncatedAndStillSent() {
        String id = ApiSessions.create(workspace);
        SessionFixtures.seed(store, id, "Seeded", List.of(),
                m -> new SessionMetadata(m.directory(), m.model(), m.autoApplyEdits(), m.allowNetwork(), m.rlm(),
                        new ContextPolicy(ContextPolicy.Policy.AUTO, 500)));
        routed.script(Kind.LOOP, Reply.text("Too long to read."));
        String huge = "abcdefghij".repeat(60_000);

        List<JsonNode> events = SseTurns.prompt(sessions, id, Map.of("message", huge));

        assertEquals("done", last(events).path("type").asText(), types(events).toString());
        assertEquals(1, ofType(events, "context_truncated").size());
        List<JsonNode> failed = ofType(events, "compaction_failed");
        assertEquals(1, failed.size());
        assertTrue(failed.get(0).has("fell_back_to") && failed.get(0).get("fell_back_to").isNull(),
                failed.get(0).toString());
        assertEquals("context still exceeds the budget after terminal truncation", failed.get(0).path("reason").asText());
        assertTrue(ofType(events, "compaction_completed").isEmpty());
        assertEquals(500, ofType(events, "compaction_started").get(0).path("budget").asLong());
        assertTrue(routed.requests(Kind.SUMMARY).isEmpty(), "nothing precedes the only message: no summary");

        List<RecordedRequest> loop = routed.requests(Kind.LOOP);
        assertEquals(1, loop.size(), "the request is sent anyway");
        JsonNode sent = loop.get(0).messages();
        String user = RoutedLlm.text(sent.get(sent.size() - 1));
        assertTrue(user.contains("removed to fit the context window"), user.substring(0, Math.min(300, user.length())));
        assertTrue(user.length() < huge.length() / 10, "shrunk to " + user.length());
        // the transcript keeps the full message
        assertEquals(huge, messages(id).get(0).path("content").get(0).path("text").asText());
    }

    // ---------------------------------------------------------------- scenario 16 and 413

    @Test
    void promptTooLongHalvesTheBudgetForTheRetry() {
        String id = ApiSessions.create(workspace);
        SessionFixtures.seed(store, id, "Seeded", List.of(), m -> m);
        routed.script(Kind.LOOP,
                Reply.error(400, "invalid_request_error", "prompt is too long: 210000 tokens > 200000"),
                Reply.text("Fits now."));
        assertHalvedAndCompleted(id);
    }

    @Test
    void payloadTooLargeWalksTheSamePlan() {
        String id = ApiSessions.create(workspace);
        SessionFixtures.seed(store, id, "Seeded", List.of(), m -> m);
        routed.script(Kind.LOOP, Reply.error(413, "request_too_large", "Request exceeds the maximum allowed size"),
                Reply.text("Fits now."));
        assertHalvedAndCompleted(id);
    }

    private void assertHalvedAndCompleted(String id) {
        List<JsonNode> events = SseTurns.prompt(sessions, id, Map.of("message", "hello"));
        JsonNode done = last(events);
        assertEquals("done", done.path("type").asText(), types(events).toString());
        assertEquals("completed", done.path("result").path("terminal_reason").asText());
        assertEquals(1, done.path("result").path("steps").asInt());
        assertEquals("Fits now.", done.path("result").path("text").asText());
        List<Long> budgets = ofType(events, "token_estimate").stream().map(e -> e.path("budget").asLong()).toList();
        assertEquals(List.of(GPT4O_BUDGET, 52_992L), budgets);
        assertEquals(2, routed.requests(Kind.LOOP).size());
        assertTrue(ofType(events, "compaction_started").isEmpty(), "a small history needs no compaction");
    }

    // ---------------------------------------------------------------- scenario 17

    @Test
    void contextLengthOnEveryCallWalksThePlanAndEndsInError() {
        String id = ApiSessions.create(workspace);
        SessionFixtures.seed(store, id, "Seeded", SessionFixtures.history(40, 1_500), m -> m);
        routed.always(Kind.LOOP, r -> Reply.error(400, "invalid_request_error",
                "This model's maximum context length is 128000 tokens").code("context_length_exceeded"));

        List<JsonNode> events = SseTurns.prompt(sessions, id, Map.of("message", "Fix the failing parser tests"));

        JsonNode error = last(events);
        assertEquals("error", error.path("type").asText(), types(events).toString());
        assertEquals("context length exceeded after all reductions", error.path("message").asText());
        assertEquals("error", error.path("result").path("terminal_reason").asText());
        List<RecordedRequest> loop = routed.requests(Kind.LOOP);
        assertEquals(5, loop.size(), "original, halved, keep-last 6, 3, 1");
        List<JsonNode> started = ofType(events, "compaction_started");
        assertEquals(4, started.size(), "halved-budget cascade, then keep-last 6, 3, 1: " + types(events));
        started.forEach(s -> assertEquals("prompt_too_long", s.path("reason").asText()));
        assertEquals(4, ofType(events, "compaction_completed").size());
        // without the system message: the whole transcript, then summary + the kept tail
        assertEquals(41, loop.get(0).messages().size() - 1);
        assertEquals(List.of(7, 4, 2), List.of(loop.get(2).messages().size() - 1,
                loop.get(3).messages().size() - 1, loop.get(4).messages().size() - 1));
        for (int i = 1; i < 5; i++) {
            assertTrue(RoutedLlm.text(loop.get(i).messages().get(1)).startsWith("[CONTEXT SUMMARY]"), "request " + i);
            assertEquals("Fix the failing parser tests", loop.get(i).lastMessageText());
        }
        List<Long> budgets = ofType(events, "token_estimate").stream()
                .filter(e -> e.path("source").asText().equals("root")).map(e -> e.path("budget").asLong()).toList();
        assertEquals(List.of(GPT4O_BUDGET, 52_992L, 52_992L, 52_992L, 52_992L), budgets);
    }

    // ---------------------------------------------------------------- helpers

    private String overBudgetSession(UnaryOperator<SessionMetadata> metadata) {
        String id = ApiSessions.create(workspace);
        SessionFixtures.seed(store, id, "Seeded", SessionFixtures.overBudgetHistory(), metadata);
        return id;
    }

    static JsonNode messages(String id) {
        return ApiSessions.read(id).get("messages");
    }

    private static List<String> texts(JsonNode messages) {
        List<String> out = new ArrayList<>();
        messages.forEach(m -> out.add(m.path("content").get(0).path("text").asText()));
        return out;
    }

    static JsonNode last(List<JsonNode> events) {
        assertFalse(events.isEmpty(), "no events");
        return events.get(events.size() - 1);
    }
}

package dev.tether.agent;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.event.EventJournal;
import dev.tether.event.SessionBuses;
import dev.tether.session.KeyedTurn;
import dev.tether.session.SessionResult;
import dev.tether.session.store.SessionStore;
import dev.tether.testing.ApiSessions;
import dev.tether.testing.FakeLlmApiTest;
import dev.tether.testing.FakeLlmResource;
import dev.tether.testing.Reply;
import dev.tether.testing.RoutedLlm;
import dev.tether.testing.SseClient;
import dev.tether.testing.SseClient.Frame;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code Idempotency-Key} on {@code POST /prompt} end to end (HTTP → loop → fake LLM → real store): a retry gets the
 * first turn's result and never a second turn (counted as user messages and model calls), also as SSE and under
 * concurrent duplicates; another body under the same key is 422, a malformed key 400; an expired key starts anew.
 */
@QuarkusTest
@WithTestResource(FakeLlmResource.class)
class IdempotentPromptsTest extends FakeLlmApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    AgentService agent;

    @Inject
    SessionStore store;

    @Inject
    SessionBuses buses;

    @Inject
    EventJournal journal;

    @Inject
    ObjectMapper mapper;

    @Test
    void aRetryWithTheSameKeyGetsTheSameResultAndRunsNoSecondTurn() throws Exception {
        String id = ApiSessions.create(workspace, null, "Keyed");
        routed.script(RoutedLlm.Kind.LOOP, Reply.toolCall("c1", "read", "{\"path\":\"a.txt\"}"),
                Reply.text("It says hello.").usage(120, 9));
        Instant before = Instant.now();
        Response first = promptJson(id, Map.of("message", "What does a.txt say?"), "retry-1");
        Instant after = Instant.now();
        assertEquals(200, first.statusCode(), first.asString());
        Response again = promptJson(id, Map.of("message", "What does a.txt say?"), "retry-1");
        assertEquals(200, again.statusCode(), again.asString());
        assertEquals(read(first.asString()), read(again.asString()));
        assertEquals("It says hello.", read(again.asString()).get("text").asText());

        assertEquals(List.of("user", "assistant", "tool", "assistant"), roles(id));
        assertEquals(2, routed.requests(RoutedLlm.Kind.LOOP).size(), "the model was asked once per step, once");
        KeyedTurn turn = store.keyedTurn(id, "retry-1", Instant.now()).orElseThrow();
        assertEquals(0, turn.firstMessage());
        assertFalse(turn.expiresAt().isBefore(before.plus(Duration.ofHours(24)).minusMillis(1)),
                "remembered for the default 24h from the turn's start");
        assertFalse(turn.expiresAt().isAfter(after.plus(Duration.ofHours(24))));
        // the key belongs to its session: another session runs its own turn under it
        String other = ApiSessions.create(workspace, null, "Keyed");
        routed.script(RoutedLlm.Kind.LOOP, Reply.text("Other session."));
        assertEquals("Other session.", read(promptJson(other, Map.of("message", "What does a.txt say?"), "retry-1")
                .asString()).get("text").asText());
    }

    @Test
    void anSseRetryAfterTheTurnReplaysItsEventsAndTheSameDone() throws Exception {
        String id = ApiSessions.create(workspace, null, "Keyed");
        routed.script(RoutedLlm.Kind.LOOP, Reply.toolCall("c1", "list", "{}"), Reply.text("Two entries."));
        String body = JSON.writeValueAsString(Map.of("message", "List the files"));
        List<Frame> first = readTurn(id, body, "sse-1");
        List<Frame> replay = readTurn(id, body, "sse-1");
        assertEquals(first.stream().filter(Frame::durable).toList(), replay,
                "the retry replays exactly the turn's durable events, with their ids, ending with its done");
        Frame done = replay.get(replay.size() - 1);
        assertEquals("done", done.event());
        JsonNode result = read(done.data()).get("result");
        assertEquals(result, read(promptJson(id, Map.of("message", "List the files"), "sse-1").asString()),
                "a JSON retry of an SSE prompt gets the result its done carried");
        assertEquals(List.of("user", "assistant", "tool", "assistant"), roles(id));
        assertEquals(2, routed.requests(RoutedLlm.Kind.LOOP).size());
    }

    @Test
    void concurrentDuplicatesRunOneTurnAndAllGetItsResult() throws Exception {
        String id = ApiSessions.create(workspace, null, "Keyed");
        routed.script(RoutedLlm.Kind.LOOP, Reply.text("One", " slow", " answer", ".").chunkDelay(Duration.ofMillis(150)));
        Map<String, String> body = Map.of("message", "Answer once");
        String json = JSON.writeValueAsString(body);
        int jsonClients = 4;
        int sseClients = 3;
        CountDownLatch gate = new CountDownLatch(1);
        List<CompletableFuture<JsonNode>> results = new ArrayList<>();
        for (int i = 0; i < jsonClients + sseClients; i++) {
            boolean sse = i >= jsonClients;
            results.add(CompletableFuture.supplyAsync(() -> {
                try {
                    assertTrue(gate.await(20, TimeUnit.SECONDS));
                    if (!sse) {
                        Response r = promptJson(id, body, "burst");
                        assertEquals(200, r.statusCode(), r.asString());
                        return read(r.asString());
                    }
                    List<Frame> frames = readTurn(id, json, "burst");
                    Frame last = frames.get(frames.size() - 1);
                    assertEquals("done", last.event());
                    return read(last.data()).get("result");
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }));
        }
        gate.countDown();
        JsonNode expected = results.get(0).get(60, TimeUnit.SECONDS);
        assertEquals("One slow answer.", expected.get("text").asText());
        for (CompletableFuture<JsonNode> r : results) {
            assertEquals(expected, r.get(60, TimeUnit.SECONDS));
        }
        assertEquals(List.of("user", "assistant"), roles(id), "one turn for seven requests");
        assertEquals(1, routed.requests(RoutedLlm.Kind.LOOP).size());
    }

    @Test
    void theSameKeyWithAnotherBodyIsRefusedWhileRunningAndAfter() throws Exception {
        String id = ApiSessions.create(workspace, null, "Keyed");
        routed.script(RoutedLlm.Kind.LOOP, Reply.text("Slow", " reply", ".").chunkDelay(Duration.ofMillis(400)));
        CompletableFuture<Response> running = CompletableFuture.supplyAsync(
                () -> promptJson(id, Map.of("message", "first body"), "reused"));
        assertTrue(llm.awaitRequests(1, Duration.ofSeconds(20)), "the first turn reached the model");
        expectReused(promptJson(id, Map.of("message", "second body"), "reused"));
        assertEquals(200, running.get(30, TimeUnit.SECONDS).statusCode());
        expectReused(promptJson(id, Map.of("message", "second body"), "reused"));
        expectReused(promptJson(id, Map.of("message", "first body", "max_steps", 3), "reused"));
        assertEquals(List.of("user", "assistant"), roles(id));
    }

    @Test
    void malformedKeysAreRefusedBeforeAnythingRuns() {
        String id = ApiSessions.create(workspace, null, "Keyed");
        for (String key : List.of("k".repeat(256), "tab\there", "caf\u00e9")) {
            Response r = promptJson(id, Map.of("message", "hi"), key);
            assertEquals(400, r.statusCode(), r.asString());
            assertEquals("application/problem+json", r.contentType());
            assertTrue(r.jsonPath().getString("detail").contains("Idempotency-Key"), r.asString());
        }
        assertEquals(List.of(), roles(id));
        assertEquals(0, llm.requestCount());
        routed.script(RoutedLlm.Kind.LOOP, Reply.text("Long keys are fine."));
        Response longest = promptJson(id, Map.of("message", "hi"), "~ !".repeat(85));
        assertEquals(200, longest.statusCode(), longest.asString());
    }

    @Test
    void anExpiredKeyNoLongerCountsAndStartsANewTurn() throws Exception {
        String id = ApiSessions.create(workspace, null, "Keyed");
        routed.script(RoutedLlm.Kind.LOOP, Reply.text("First."), Reply.text("Second."));
        MovableClock clock = new MovableClock();
        IdempotentPrompts prompts = new IdempotentPrompts(agent, store, buses, journal, mapper, Duration.ofHours(1),
                clock);
        PromptRequest request = PromptRequest.of("hello");
        SessionResult first = prompts.start(id, request, "expiring", b -> { }, e -> { }).get(30, TimeUnit.SECONDS);
        clock.advance(Duration.ofMinutes(59));
        assertEquals(first, prompts.start(id, request, "expiring", b -> { }, e -> { }).get(30, TimeUnit.SECONDS));
        assertEquals(List.of("user", "assistant"), roles(id));
        clock.advance(Duration.ofMinutes(2));
        SessionResult second = prompts.start(id, request, "expiring", b -> { }, e -> { }).get(30, TimeUnit.SECONDS);
        assertEquals("Second.", second.text());
        assertEquals(List.of("user", "assistant", "user", "assistant"), roles(id));
    }

    /** The system clock moved forward by a settable amount. */
    private static final class MovableClock extends Clock {
        private volatile Duration offset = Duration.ZERO;

        void advance(Duration d) {
            offset = offset.plus(d);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset);
        }
    }

    // ---------------------------------------------------------------- helpers

    private static Response promptJson(String id, Map<String, ?> body, String key) {
        return given().contentType(ContentType.JSON).accept(ContentType.JSON).header("Idempotency-Key", key)
                .body(body).post("/api/sessions/" + id + "/prompt");
    }

    /** The frames of a keyed SSE prompt up to its terminal event. */
    private List<Frame> readTurn(String id, String body, String key) throws Exception {
        List<Frame> frames = new ArrayList<>();
        try (SseClient client = SseClient.post(sessions.resolve(id + "/prompt"), body, Map.of("Idempotency-Key", key))) {
            for (; ; ) {
                Frame f = client.next();
                frames.add(f);
                if (f.event().equals("done") || f.event().equals("error")) {
                    client.awaitEnd();
                    return frames;
                }
            }
        }
    }

    private static void expectReused(Response r) {
        assertEquals(422, r.statusCode(), r.asString());
        assertEquals("application/problem+json", r.contentType());
        assertTrue(r.jsonPath().getString("type").endsWith("/idempotency-key-reused"), r.asString());
    }

    private List<String> roles(String id) {
        JsonNode session = read(given().get("/api/sessions/" + id).then().statusCode(200).extract().asString());
        List<String> roles = new ArrayList<>();
        session.get("messages").forEach(m -> roles.add(m.get("role").asText()));
        return roles;
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}

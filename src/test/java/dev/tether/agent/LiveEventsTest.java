package dev.tether.agent;

import dev.tether.testing.ApiSessions;
import dev.tether.testing.FakeLlmApiTest;
import dev.tether.testing.RoutedLlm;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.testing.FakeLlmResource;
import dev.tether.testing.Reply;
import dev.tether.testing.SseClient;
import dev.tether.testing.SseClient.Frame;
import dev.tether.testing.SseTurns;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Live events of real turns over HTTP (spec §5, scenarios 6, 26, 28): the SSE stream of {@code POST /prompt} and of
 * {@code GET /events}, against the fake LLM on 127.0.0.1 and real tools.
 */
@QuarkusTest
@WithTestResource(FakeLlmResource.class)
class LiveEventsTest extends FakeLlmApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL = "openai/gpt-4o";
    private static final long GPT_4O_BUDGET = 105_984;
    private static final Set<String> DURABLE = Set.of("text_complete", "thinking_complete", "token_usage",
            "usage_report", "tool_call_start", "tool_call_metadata", "tool_call_complete", "compaction_started",
            "compaction_completed", "compaction_failed", "context_truncated", "rlm_complete", "rlm_subcall_fallback",
            "done", "error");

    /** Spec §5.3 order and every field, for a turn with two tool round trips on a new session. */
    @Test
    void promptStreamOfTwoToolRoundTripsFollowsTheSpecOrderWithEveryField() throws Exception {
        String id = ApiSessions.create(workspace);
        routed.script(RoutedLlm.Kind.LOOP, Reply.text("Reading.").toolCall("call_r", "read", "{\"path\":", "\"a.txt\"}").usage(100, 10, 30L, null),
                Reply.text("Listing.").toolCall("call_l", "list", "{}").usage(150, 12),
                Reply.text("It says ", "hello.").usage(200, 8));
        List<Frame> frames = promptStream(id, "What does a.txt say?");

        assertEquals(List.of("token_estimate", "token_usage",
                "thinking", "token_estimate", "text_chunk", "token_usage", "usage_report", "text_complete",
                "tool_call_start", "tool_call_metadata", "tool_call_complete", // read reports metadata
                "thinking", "token_estimate", "text_chunk", "token_usage", "usage_report", "text_complete",
                "tool_call_start", "tool_call_complete",
                "thinking", "token_estimate", "text_chunk", "token_usage", "usage_report", "text_complete",
                "done"), collapsedTypes(frames));
        assertIdsExactlyOnDurableEventsAndIncreasing(frames);
        frames.forEach(f -> assertEquals(f.event(), data(f).get("type").asText(), "event name = JSON type"));

        List<JsonNode> estimates = ofType(frames, "token_estimate");
        List<JsonNode> usages = ofType(frames, "token_usage");
        assertEquals(4, estimates.size());
        for (JsonNode e : estimates) {
            assertEquals(Set.of("type", "source", "model", "request_tokens", "budget"), fieldNames(e));
            assertEquals("root", e.get("source").asText());
            assertEquals(MODEL, e.get("model").asText());
            assertTrue(e.get("request_tokens").asLong() > 0, e.toString());
            assertTrue(e.get("budget").asLong() > 0, e.toString());
        }
        for (JsonNode e : estimates.subList(1, 4)) {
            assertEquals(GPT_4O_BUDGET, e.get("budget").asLong(), "loop requests use the session's budget");
        }
        // later steps send more (the transcript grows)
        assertTrue(estimates.get(2).get("request_tokens").asLong() > estimates.get(1).get("request_tokens").asLong());
        assertTrue(estimates.get(3).get("request_tokens").asLong() > estimates.get(2).get("request_tokens").asLong());

        for (JsonNode u : usages) {
            assertEquals(Set.of("type", "source", "model", "prompt_tokens", "completion_tokens", "cache_read_tokens",
                    "cache_write_tokens", "duration_ms"), fieldNames(u));
            assertEquals("root", u.get("source").asText());
            assertEquals(MODEL, u.get("model").asText());
            assertTrue(u.get("duration_ms").asLong() >= 0);
            assertTrue(u.get("cache_write_tokens").isNull(), u.toString());
        }
        // the title call reports no usage: the estimates stand in
        assertTrue(usages.get(0).get("prompt_tokens").asLong() > 0);
        assertTrue(usages.get(0).get("cache_read_tokens").isNull());
        assertUsage(usages.get(1), 100, 10, 30L);
        assertUsage(usages.get(2), 150, 12, null);
        assertUsage(usages.get(3), 200, 8, null);

        List<JsonNode> reports = ofType(frames, "usage_report");
        long[][] expected = {{100, 10}, {150, 12}, {200, 8}};
        for (int i = 0; i < 3; i++) {
            JsonNode r = reports.get(i);
            assertEquals(Set.of("type", "prompt_tokens", "completion_tokens", "duration_ms", "model"), fieldNames(r));
            assertEquals(expected[i][0], r.get("prompt_tokens").asLong());
            assertEquals(expected[i][1], r.get("completion_tokens").asLong());
            assertTrue(r.get("duration_ms").asLong() >= 0);
            assertEquals(MODEL, r.get("model").asText());
        }

        assertEquals(List.of("Reading.", "Listing.", "It says hello."),
                ofType(frames, "text_complete").stream().map(n -> n.get("text").asText()).toList());
        List<JsonNode> chunks = ofType(frames, "text_chunk");
        assertEquals("It says hello.", chunks.get(chunks.size() - 1).get("text").asText(), "chunks are snapshots");

        List<JsonNode> starts = ofType(frames, "tool_call_start");
        assertEquals(JSON.readTree("{\"type\":\"tool_call_start\",\"tool_call_id\":\"call_r\",\"name\":\"read\","
                + "\"arguments\":\"{\\\"path\\\":\\\"a.txt\\\"}\"}"), starts.get(0));
        assertEquals(JSON.readTree("{\"type\":\"tool_call_start\",\"tool_call_id\":\"call_l\",\"name\":\"list\","
                + "\"arguments\":\"{}\"}"), starts.get(1));
        JsonNode metadata = ofType(frames, "tool_call_metadata").get(0);
        assertEquals(Set.of("type", "tool_call_id", "name", "metadata"), fieldNames(metadata));
        assertEquals("call_r", metadata.get("tool_call_id").asText());
        assertEquals("read", metadata.get("name").asText());
        assertTrue(metadata.get("metadata").isObject() && metadata.get("metadata").size() > 0, metadata.toString());
        List<JsonNode> completes = ofType(frames, "tool_call_complete");
        assertToolComplete(completes.get(0), "call_r", "read", "     1\thello");
        assertToolComplete(completes.get(1), "call_l", "list", "a.txt");

        JsonNode result = ofType(frames, "done").get(0).get("result");
        JsonNode session = ApiSessions.read(id);
        assertEquals("It says hello.", result.get("text").asText());
        assertEquals(id, result.get("session_id").asText());
        assertEquals("completed", result.get("terminal_reason").asText());
        assertEquals(3, result.get("steps").asInt());
        assertTrue(result.get("error").isNull());
        assertEquals(SseTurns.usageSum(usages), result.get("usage"), "result usage = sum of the turn's token_usage deltas");
        assertEquals(session.get("usage"), result.get("usage"));
        assertEquals(Set.of("text", "session_id", "terminal_reason", "steps", "usage", "error"), fieldNames(result));

        // The journal holds exactly the durable events the stream showed, with the same ids.
        assertEquals(durable(frames), journal(id));
    }

    /** Scenario 6: a one-step turn on a new session; the JSON answer equals the stream's done result. */
    @Test
    void scenario6OneStepTurnOnANewSession() throws Exception {
        String id = ApiSessions.create(workspace);
        routed.script(RoutedLlm.Kind.LOOP, Reply.text("Hi ", "there"));
        List<Frame> frames = promptStream(id, "hello");
        assertEquals(List.of("token_estimate", "token_usage", "thinking", "token_estimate", "text_chunk",
                "token_usage", "usage_report", "text_complete", "done"), collapsedTypes(frames));
        assertEquals("root", data(frames.get(0)).get("source").asText(), "title call estimate");
        assertEquals("root", data(frames.get(1)).get("source").asText(), "title call usage");
        JsonNode result = ofType(frames, "done").get(0).get("result");
        assertEquals("Hi there", result.get("text").asText());
        assertEquals("completed", result.get("terminal_reason").asText());
        assertEquals(1, result.get("steps").asInt());
        assertEquals(2, ApiSessions.read(id).get("messages").size());
        assertEquals("Scripted title", ApiSessions.read(id).get("title").asText());

        // The same prompt answered as JSON gives the same result semantics (second turn: no title call now).
        routed.script(RoutedLlm.Kind.LOOP, Reply.text("Hi again"));
        JsonNode json = ApiSessions.promptResult(id, body("hello"));
        assertEquals(result.get("session_id"), json.get("session_id"));
        assertEquals(Set.of("text", "session_id", "terminal_reason", "steps", "usage", "error"), fieldNames(json));
        assertEquals("Hi again", json.get("text").asText());
        assertEquals(1, json.get("steps").asInt());
        JsonNode last = data(journal(id).get(journal(id).size() - 1));
        assertEquals(json, last.get("result"), "the journaled done carries the JSON result");
    }

    /** Scenario 26: title + 2 loop calls, each bracketed by token_estimate and token_usage; usage sums. */
    @Test
    void scenario26EveryCallHasAnEstimateBeforeAndAUsageAfter() throws Exception {
        String id = ApiSessions.create(workspace);
        routed.script(RoutedLlm.Kind.LOOP, Reply.toolCall("c1", "list", "{}").usage(100, 10, 40L, null), Reply.text("done").usage(200, 5));
        List<Frame> frames = promptStream(id, "hello");
        List<String> tokenEvents = frames.stream().map(Frame::event)
                .filter(t -> t.equals("token_estimate") || t.equals("token_usage")).toList();
        assertEquals(List.of("token_estimate", "token_usage", "token_estimate", "token_usage", "token_estimate",
                "token_usage"), tokenEvents);
        assertEquals(3, llm.requestCount());
        List<JsonNode> usages = ofType(frames, "token_usage");
        JsonNode result = ofType(frames, "done").get(0).get("result");
        JsonNode expected = SseTurns.usageSum(usages);
        assertEquals(expected, result.get("usage"));
        assertEquals(expected, ApiSessions.read(id).get("usage"));
        assertEquals(40L, expected.get("cache_read_tokens").asLong());
    }

    /**
     * A client of the prompt stream leaves in the middle of the turn; reconnecting to {@code GET /events} with
     * {@code Last-Event-ID} gives every durable event exactly once, and the live ones of the rest of the turn.
     */
    @Test
    void reconnectingWithLastEventIdMidTurnLosesAndRepeatsNothing() throws Exception {
        String id = ApiSessions.create(workspace);
        routed.script(RoutedLlm.Kind.LOOP, Reply.text("Reading.").toolCall("call_r", "read", "{\"path\":\"a.txt\"}"),
                // a slow second step: the client is back while it streams
                Reply.text("Listing", " the", " files", " now", " and", " then", " I", " will", " answer", ".")
                        .toolCall("call_l", "list", "{}").chunkDelay(Duration.ofMillis(300)),
                Reply.text("It says hello."));
        List<Frame> first = new ArrayList<>();
        try (SseClient stream = SseClient.post(sessions.resolve(id + "/prompt"), body("What does a.txt say?"))) {
            for (; ; ) {
                Frame f = stream.next();
                first.add(f);
                if (f.event().equals("tool_call_complete")) {
                    break; // leave in the middle of the turn
                }
            }
        }
        String lastSeen = lastId(first);
        List<Frame> second = new ArrayList<>();
        try (SseClient again = SseClient.get(sessions.resolve(id + "/events"), Map.of("Last-Event-ID", lastSeen),
                null)) {
            for (; ; ) {
                Frame f = again.next();
                second.add(f);
                if (f.event().equals("done")) {
                    break;
                }
            }
        }
        assertTrue(second.stream().anyMatch(f -> f.event().equals("text_chunk")),
                "the reconnected client followed the running turn live");
        List<Frame> seen = new ArrayList<>(durable(first));
        seen.addAll(durable(second));
        List<Frame> all = journal(id);
        assertEquals(all, seen, "every durable event exactly once, in order, with the journal's ids");
        assertEquals(Set.copyOf(ids(all)).size(), all.size());
        assertEquals("completed", JSON.readTree(all.get(all.size() - 1).data()).get("result")
                .get("terminal_reason").asText());
    }

    /**
     * Scenario 28 over HTTP: a subscriber reading one event per second does not slow the turn (its JSON result comes
     * back while the reader is far behind) and later receives every durable event, in order.
     */
    @Test
    void aSlowSubscriberDoesNotSlowTheTurnAndLosesNoDurableEvent() throws Exception {
        String id = ApiSessions.create(workspace);
        String[] deltas = new String[120];
        for (int i = 0; i < deltas.length; i++) {
            deltas[i] = "x".repeat(2048); // snapshots grow to 240 KiB: ~15 MB of text_chunk, beyond socket buffers
        }
        routed.script(RoutedLlm.Kind.LOOP, Reply.text("Reading.").toolCall("call_r", "read", "{\"path\":\"a.txt\"}"),
                Reply.text(deltas).toolCall("call_l", "list", "{}"), Reply.text("It says hello."));
        Semaphore pace = new Semaphore(0);
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        try (SseClient slow = SseClient.get(sessions.resolve(id + "/events"), Map.of(), pace).awaitFollowing()) {
            clock.scheduleAtFixedRate(pace::release, 0, 1, TimeUnit.SECONDS);
            JsonNode result = ApiSessions.promptResult(id, body("What does a.txt say?"));
            int readDuringTurn = slow.buffered();
            assertEquals("completed", result.get("terminal_reason").asText());
            assertTrue(readDuringTurn < 20, "the turn ended while the slow reader had read " + readDuringTurn
                    + " frames of more than 130");
            clock.shutdownNow();
            pace.release(1_000_000);
            List<Frame> got = new ArrayList<>();
            for (; ; ) {
                Frame f = slow.next();
                got.add(f);
                if (f.event().equals("done")) {
                    break;
                }
            }
            assertEquals(journal(id), durable(got), "every durable event, in order, exactly once");
            assertEquals(result, data(got.get(got.size() - 1)).get("result"));
        } finally {
            clock.shutdownNow();
        }
    }

    // ---------------------------------------------------------------- helpers

    private static String body(String message) {
        return JSON.createObjectNode().put("message", message).toString();
    }

    /** All frames of a prompt stream; the server ends it after the terminal event. */
    private List<Frame> promptStream(String id, String message) throws Exception {
        List<Frame> frames = new ArrayList<>();
        try (SseClient stream = SseClient.post(sessions.resolve(id + "/prompt"), body(message))) {
            for (; ; ) {
                Frame f = stream.next();
                frames.add(f);
                if (f.event().equals("done") || f.event().equals("error")) {
                    break;
                }
            }
            stream.awaitEnd();
        }
        return frames;
    }

    /**
     * The durable events recorded in the session's journal: {@code GET /events} with {@code Last-Event-ID: 0}, read
     * up to the terminal event of the last finished turn (the stream then goes on live, so the reader stops there).
     */
    private List<Frame> journal(String id) throws Exception {
        List<Frame> frames = new ArrayList<>();
        try (SseClient replay = SseClient.get(sessions.resolve(id + "/events"), Map.of("Last-Event-ID", "0"),
                null)) {
            int terminals = countTerminals(id);
            for (int seen = 0; seen < terminals; ) {
                Frame f = replay.next();
                frames.add(f);
                if (f.event().equals("done") || f.event().equals("error")) {
                    seen++;
                }
            }
        }
        return frames;
    }

    /** How many turns ended on the session so far: one terminal event each (user messages count the turns). */
    private static int countTerminals(String id) {
        int turns = 0;
        for (JsonNode m : ApiSessions.read(id).get("messages")) {
            if (m.get("role").asText().equals("user")) {
                turns++;
            }
        }
        return turns;
    }

    private static JsonNode data(Frame f) {
        return PromptFlowTest.read(f.data());
    }

    /** Event types in order, with runs of text_chunk collapsed into one (chunks are ephemeral snapshots). */
    private static List<String> collapsedTypes(List<Frame> frames) {
        List<String> types = new ArrayList<>();
        for (Frame f : frames) {
            if (f.event().equals("text_chunk") && !types.isEmpty() && types.get(types.size() - 1).equals("text_chunk")) {
                continue;
            }
            types.add(f.event());
        }
        return types;
    }

    private static List<JsonNode> ofType(List<Frame> frames, String type) {
        return frames.stream().filter(f -> f.event().equals(type)).map(LiveEventsTest::data).toList();
    }

    private static List<Frame> durable(List<Frame> frames) {
        return frames.stream().filter(Frame::durable).toList();
    }

    private static List<Long> ids(List<Frame> frames) {
        return frames.stream().map(f -> Long.parseLong(f.id())).toList();
    }

    private static String lastId(List<Frame> frames) {
        List<Frame> d = durable(frames);
        return d.get(d.size() - 1).id();
    }

    private static void assertIdsExactlyOnDurableEventsAndIncreasing(List<Frame> frames) {
        long previous = 0;
        for (Frame f : frames) {
            if (DURABLE.contains(f.event())) {
                assertTrue(f.id() != null, "durable " + f.event() + " has an id");
                long id = Long.parseLong(f.id());
                assertTrue(id > previous, "ids strictly increase: " + id + " after " + previous);
                previous = id;
            } else {
                assertNull(f.id(), "ephemeral " + f.event() + " has no id");
            }
        }
    }

    private static Set<String> fieldNames(JsonNode n) {
        Set<String> names = new HashSet<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static void assertUsage(JsonNode u, long prompt, long completion, Long cacheRead) {
        assertEquals(prompt, u.get("prompt_tokens").asLong(), u.toString());
        assertEquals(completion, u.get("completion_tokens").asLong(), u.toString());
        if (cacheRead == null) {
            assertTrue(u.get("cache_read_tokens").isNull(), u.toString());
        } else {
            assertEquals(cacheRead.longValue(), u.get("cache_read_tokens").asLong(), u.toString());
        }
    }

    private static void assertToolComplete(JsonNode c, String id, String name, String outputPart) {
        assertEquals(Set.of("type", "tool_call_id", "name", "output", "success", "duration_ms"), fieldNames(c));
        assertEquals(id, c.get("tool_call_id").asText());
        assertEquals(name, c.get("name").asText());
        assertTrue(c.get("output").asText().contains(outputPart), c.toString());
        assertTrue(c.get("success").asBoolean());
        assertTrue(c.get("duration_ms").asLong() >= 0);
    }
}

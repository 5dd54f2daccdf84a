package dev.tether.agent;

import dev.tether.event.BusEvent;
import dev.tether.event.BusEvents;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tether.config.TetherConfig;
import dev.tether.event.SessionBus;
import dev.tether.event.SinkAttachment;
import dev.tether.event.SessionBuses;
import dev.tether.event.SessionEvent;
import dev.tether.provider.ModelResolver;
import dev.tether.provider.ResolvedModel;
import dev.tether.session.Cancellation;
import dev.tether.session.Message;
import dev.tether.session.SessionResult;
import dev.tether.session.TerminalReason;
import dev.tether.session.store.SessionStore;
import dev.tether.session.store.SessionWriter;
import dev.tether.testing.ApiSessions;
import dev.tether.testing.FailingJournalSinks;
import dev.tether.testing.FakeLlmResource;
import dev.tether.testing.FakeLlmServer;
import dev.tether.testing.InjectFakeLlm;
import dev.tether.testing.Reply;
import dev.tether.testing.RoutedLlm;
import dev.tether.testing.SseClient;
import dev.tether.testing.SseTurns;
import dev.tether.testing.Workspaces;
import dev.tether.tool.ProcessAssertions;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Acceptance scenarios 14, 19, 25 and 27 (spec §13) at the level of whole turns, against the fake model on 127.0.0.1:
 * provider failures that end the turn with a turn-level {@code error} result and event (the turn runs in-process with
 * a {@link Sleeper} that records its waits instead of sleeping 3 × 60 s), and over HTTP an abort of a real
 * {@code bash} child process and a durable sink that fails on every write.
 */
@QuarkusTest
@TestProfile(TurnScenariosTest.BashAndFailingSink.class)
@WithTestResource(FakeLlmResource.class)
class TurnScenariosTest {

    /** {@code bash} enabled, and a journal sink that a test can make fail for its session. */
    public static class BashAndFailingSink implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tether.tools.bash.enabled", "true");
        }

        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(FailingJournalSinks.class);
        }
    }

    @InjectFakeLlm
    FakeLlmServer llm;

    @TestHTTPResource("/api/sessions/")
    URI sessions;

    @Inject
    TetherConfig config;
    @Inject
    TurnServices services;
    @Inject
    SessionStore store;
    @Inject
    SessionBuses buses;
    @Inject
    ModelResolver models;
    @Inject
    FailingJournalSinks sinks;
    @Inject
    ObjectMapper mapper;

    private RoutedLlm routed;
    private Path workspace;
    private final List<Duration> waits = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void setUp() throws Exception {
        routed = new RoutedLlm(llm);
        workspace = Workspaces.withHello();
        waits.clear();
    }

    // ---------------------------------------------------------------- scenario 14

    @Test
    void scenario14RateLimitedOnEveryCallSendsFourRequestsWaits60sAndEndsWithAnErrorEvent() {
        String id = ApiSessions.create(workspace);
        routed.always(RoutedLlm.Kind.LOOP, r -> Reply.error(429, "rate_limit_error", "Rate limit reached for gpt-4o")
                .retryAfter("120"));
        Turn turn = runTurn(id, "hello");

        assertEquals(4, routed.requests(RoutedLlm.Kind.LOOP).size());
        assertEquals(List.of(Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(60)), waits,
                "Retry-After: 120 is clamped to 60 s and grants no extra attempt");
        List<SessionEvent.PlayBreak> breaks = turn.of(SessionEvent.PlayBreak.class);
        assertEquals(6, breaks.size(), "each wait bracketed");
        assertEquals(List.of(60_000L, 60_000L, 60_000L), breaks.stream().filter(SessionEvent.PlayBreak::active)
                .map(SessionEvent.PlayBreak::delayMs).toList());
        assertTurnError(turn, "Rate limit reached");
    }

    // ---------------------------------------------------------------- scenario 19

    @Test
    void scenario19StreamEndingWithoutDoneSixTimesExhaustsFiveRestartsAndEndsWithAnErrorEvent() {
        String id = ApiSessions.create(workspace);
        routed.always(RoutedLlm.Kind.LOOP, r -> Reply.text("Hel", "lo").endEarlyAfter(1));
        Turn turn = runTurn(id, "hello");

        assertEquals(6, routed.requests(RoutedLlm.Kind.LOOP).size(), "no retry follows the exhausted restarts");
        List<SessionEvent.StreamRetry> retries = turn.of(SessionEvent.StreamRetry.class);
        assertEquals(List.of(1, 2, 3, 4, 5), retries.stream().map(SessionEvent.StreamRetry::attempt).toList());
        assertTrue(retries.stream().allMatch(r -> r.maxRestarts() == 5 && r.reason().equals("premature_end")),
                retries.toString());
        assertTrue(turn.of(SessionEvent.PlayBreak.class).isEmpty(), "no retry wait");
        assertEquals(5, waits.size());
        for (int n = 1; n <= 5; n++) {
            long ms = waits.get(n - 1).toMillis();
            long base = 200L << (n - 1);
            assertTrue(ms >= base && ms < base * 3 / 2 + 1, "restart " + n + " waited " + ms + " ms");
        }
        assertTurnError(turn, "restarts exhausted");
    }

    // ---------------------------------------------------------------- scenario 25

    @Test
    void scenario25AbortingAnHttpTurnKillsTheRunningBashProcessTree() throws Exception {
        String id = ApiSessions.create(workspace);
        routed.script(RoutedLlm.Kind.LOOP, Reply.toolCall("b1", "bash",
                "{\"command\":\"sleep 30 & echo $!; echo $$; wait\"}"));
        List<SseClient.Frame> frames = new ArrayList<>();
        StringBuilder printed = new StringBuilder();
        try (SseClient stream = SseClient.post(sessions.resolve(id + "/prompt"), "{\"message\":\"sleep a while\"}")) {
            // the shell prints the pid of `sleep 30` and its own: both are running now
            while (printed.chars().filter(c -> c == '\n').count() < 2) {
                SseClient.Frame f = stream.next();
                frames.add(f);
                if (f.event().equals("tool_output_chunk")) {
                    printed.append(PromptFlowTest.read(f.data()).get("chunk").asText());
                }
            }
            String[] pids = printed.toString().split("\n");
            long sleepPid = Long.parseLong(pids[0].trim());
            long shellPid = Long.parseLong(pids[1].trim());
            assertTrue(ProcessAssertions.running(sleepPid), "sleep 30 runs");

            given().post("/api/sessions/" + id + "/abort").then().statusCode(200).body("aborted", equalTo(true));
            for (SseClient.Frame f = stream.next(); ; f = stream.next()) {
                frames.add(f);
                if (f.event().equals("done") || f.event().equals("error")) {
                    break;
                }
            }
            ProcessAssertions.assertDead(sleepPid);
            ProcessAssertions.assertDead(shellPid);
        }

        SseClient.Frame last = frames.get(frames.size() - 1);
        assertEquals("done", last.event());
        JsonNode result = PromptFlowTest.read(last.data()).get("result");
        assertEquals("aborted", result.get("terminal_reason").asText());
        assertTrue(result.get("error").isNull());
        JsonNode complete = frames.stream().filter(f -> f.event().equals("tool_call_complete"))
                .map(f -> PromptFlowTest.read(f.data())).findFirst().orElseThrow();
        assertEquals("b1", complete.get("tool_call_id").asText());
        assertFalse(complete.get("success").asBoolean());
        assertTrue(complete.get("output").asText().contains(ToolCallExecutor.ABORTED_OUTPUT), complete.toString());

        JsonNode messages = ApiSessions.read(id).get("messages");
        PromptFlowTest.assertPaired(messages);
        assertEquals(List.of("user", "assistant", "tool"), messages.findValuesAsText("role"));
        assertTrue(messages.get(2).get("content").get(0).get("content").asText()
                .contains(ToolCallExecutor.ABORTED_OUTPUT));
    }

    // ---------------------------------------------------------------- scenario 27

    @Test
    void scenario27DurableSinkThrowingOnEveryWriteStillDeliversEverythingAndTheTurnCompletes() throws Exception {
        String id = ApiSessions.create(workspace);
        sinks.failFor(id);
        int failedBefore = sinks.failedWrites();
        routed.script(RoutedLlm.Kind.LOOP, Reply.text("Reading.").toolCall("c1", "read", "{\"path\":\"a.txt\"}"),
                Reply.text("It says ", "hello."));
        List<JsonNode> followed = new ArrayList<>();
        List<JsonNode> streamed;
        try (SseClient follower = SseClient.get(sessions.resolve(id + "/events"), Map.of(), null).awaitFollowing()) {
            streamed = SseTurns.prompt(sessions, id, Map.of("message", "What does a.txt say?"));
            for (; ; ) {
                SseClient.Frame f = follower.next();
                assertNull(f.id(), "nothing was recorded, so no frame has an id: " + f);
                JsonNode event = PromptFlowTest.read(f.data());
                followed.add(event);
                if (f.event().equals("done")) {
                    break;
                }
            }
        }

        assertEquals(streamed, followed, "both subscribers received every event, in the same order");
        assertTrue(streamed.stream().noneMatch(e -> e.has("_seq")), "no durable event got a sequence");
        long durable = streamed.stream().filter(this::isDurable).count();
        assertEquals(durable, sinks.failedWrites() - failedBefore, "every durable write was attempted and failed");

        JsonNode result = streamed.get(streamed.size() - 1).get("result");
        assertEquals("completed", result.get("terminal_reason").asText());
        assertEquals("It says hello.", result.get("text").asText());
        assertEquals(2, result.get("steps").asInt());
        JsonNode session = ApiSessions.read(id);
        assertEquals(List.of("user", "assistant", "tool", "assistant"), session.get("messages").findValuesAsText("role"),
                "the transcript does not go through the event sink");
        assertEquals(result.get("usage"), session.get("usage"));
    }

    // ---------------------------------------------------------------- helpers

    /** The events of one in-process turn, in emission order, and its result. */
    private record Turn(List<SessionEvent> events, SessionResult result) {
        <T extends SessionEvent> List<T> of(Class<T> type) {
            return events.stream().filter(type::isInstance).map(type::cast).collect(Collectors.toList());
        }
    }

    /**
     * Runs one turn as {@code AgentService} does (writer, journal sink, bus, the real providers, context, tools),
     * except that retry and restart waits are recorded instead of slept.
     */
    private Turn runTurn(String id, String message) {
        SessionBus bus = buses.bus(id);
        TurnServices deps = services.withCaller(new ProviderCaller((d, c) -> waits.add(d),
                config.agent().maxStreamRestarts(), config.agent().maxCallDuration()));
        // subscribed before the turn starts, so the recording holds every event of this turn and nothing after it
        CompletableFuture<List<SessionEvent>> events = BusEvents.untilTerminal(bus.subscribe())
                .map(BusEvent::event).collect().asList().subscribeAsCompletionStage().toCompletableFuture();
        try (SessionWriter writer = store.openWriter(id);
             SinkAttachment sink = bus.attachSink(sinks.bindTo(writer))) {
            ResolvedModel model = models.resolve(writer.current().metadata().model());
            TurnRunner.PreparedPrompt prompt = new TurnRunner.PreparedPrompt(Message.userText(message), model, null,
                    config.agent().maxSteps(), writer.current().usage(), model.provider().streamIdleTimeout(),
                    deps.toolDefinitions());
            SessionResult result = new TurnRunner(deps, writer, new TurnEmitter(bus, null), new Cancellation(),
                    prompt, Clock.systemUTC(), () -> { }, null).run();
            return new Turn(List.copyOf(events.get(30, TimeUnit.SECONDS)), result);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new AssertionError("the turn's events did not arrive", e);
        }
    }

    /** The turn ended with {@code error}: one terminal event, the {@code error} event carrying the result. */
    private void assertTurnError(Turn turn, String messagePart) {
        SessionResult result = turn.result();
        assertEquals(TerminalReason.ERROR, result.terminalReason());
        assertEquals(1, result.steps());
        assertEquals("", result.text());
        assertTrue(result.error() != null && result.error().contains(messagePart), result.error());
        assertEquals(1, turn.events().stream().filter(SessionEvent::isTerminal).count(),
                "exactly one terminal event");
        SessionEvent.Error error = assertInstanceOf(SessionEvent.Error.class,
                turn.events().get(turn.events().size() - 1));
        assertEquals(result.error(), error.message());
        assertEquals(result, error.result());
        assertEquals(List.of("user"), ApiSessions.read(result.sessionId()).get("messages").findValuesAsText("role"));
    }

    private boolean isDurable(JsonNode event) {
        try {
            return mapper.treeToValue(event, SessionEvent.class).isDurable();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
